using TapSensor.Capture.Tests.Infrastructure;
using TapSensor.Core.Flows;
using TapSensor.Sample;

namespace TapSensor.Capture.Tests;

/// <summary>The number of flow workers changes where a flow is processed, never what is recorded.</summary>
public sealed class WorkerCountTests : IDisposable
{
    private readonly string _pcap = Path.Combine(Path.GetTempPath(), $"tapsensor-workers-{Environment.ProcessId}.pcap");

    public WorkerCountTests()
    {
        using var f = File.Create(_pcap);
        HouseholdCapture.Write(f, new HouseholdOptions { Packets = 60_000, Seed = 11 });
    }

    public void Dispose() => File.Delete(_pcap);

    private static List<string> Normalised(PipelineRun run) =>
        run.Finals
            .Select(r => string.Join(',', r.Key.ToString(), r.OrigIsA, r.Reason, r.Sequence, r.FirstNs, r.LastNs, r.OrigPkts, r.RespPkts,
                r.OrigIpBytes, r.RespIpBytes, r.OrigBytes, r.RespBytes, r.OrigTcpFlags, r.RespTcpFlags, r.History, r.OrigMac, r.RespMac))
            .Order(StringComparer.Ordinal)
            .ToList();

    [Fact]
    public void One_and_three_workers_give_identical_flow_records()
    {
        var one = PipelineRun.Read(_pcap, workers: 1);
        var three = PipelineRun.Read(_pcap, workers: 3);

        Assert.True(one.Finals.Count() > 500, "the sample should hold hundreds of flows");
        Assert.Equal(Normalised(one), Normalised(three));
        Assert.Equal(3, three.Finals.Select(r => r.Shard).Distinct().Count());
    }

    [Fact]
    public void Every_decoded_packet_ends_up_in_exactly_one_final_record()
    {
        var run = PipelineRun.Read(_pcap, workers: 2);

        Assert.Equal(60_000, run.Capture.Packets);
        Assert.Equal(run.DecodedOk, run.Finals.Sum(r => r.OrigPkts + r.RespPkts));
        Assert.Equal(0, run.Pipeline.Dispatcher.RingFullPackets);
    }

    [Fact]
    public void Interim_deltas_and_final_deltas_add_up_to_the_record_totals()
    {
        var run = PipelineRun.Read(_pcap, workers: 2);
        var byFlow = run.Records.GroupBy(r => (r.Key, r.Sequence, r.FirstNs));
        foreach (var g in byFlow)
        {
            var final = g.Single(r => r.IsFinal);
            Assert.Equal(final.OrigPkts, g.Sum(r => r.DeltaOrigPkts));
            Assert.Equal(final.RespIpBytes, g.Sum(r => r.DeltaRespIpBytes));
        }
        Assert.Contains(run.Records, r => !r.IsFinal);
    }

    [Fact]
    public void A_flood_bounded_at_a_small_table_evicts_and_still_accounts_for_every_packet()
    {
        var flood = Path.Combine(Path.GetTempPath(), $"tapsensor-flood-{Environment.ProcessId}.pcap");
        try
        {
            using (var f = File.Create(flood)) FloodCapture.Write(f, new FloodOptions { Packets = 20_000 });
            var run = PipelineRun.Read(flood, workers: 2, maxFlows: 2048);
            long evicted = run.Finals.Count(r => r.Reason == CloseReason.Evicted);
            long refused = run.Pipeline.Workers.Sum(w => w.Shard.Counters.RefusedPackets);

            Assert.True(evicted > 10_000, $"expected most SYN flows evicted at the bound, got {evicted}");
            Assert.Equal(20_000, run.Finals.Sum(r => r.OrigPkts + r.RespPkts) + refused);
            Assert.All(run.Pipeline.Workers, w => Assert.True(w.Shard.MemoryBytes < 2048 * 256, $"shard holds {w.Shard.MemoryBytes} bytes"));
        }
        finally
        {
            File.Delete(flood);
        }
    }
}
