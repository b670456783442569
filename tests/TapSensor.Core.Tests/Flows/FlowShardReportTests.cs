using TapSensor.Core.Flows;
using TapSensor.Core.Packets;
using Xunit.Abstractions;
using static TapSensor.Core.Tests.Flows.FlowTestPackets;

namespace TapSensor.Core.Tests.Flows;

/// <summary>Interim reports and the deltas that let the aggregator keep exact totals.</summary>
public sealed class FlowShardReportTests(ITestOutputHelper output)
{
    private readonly FlowShard _shard = new(Options(), 0, 1);
    private readonly RecordingWriter _writer = new();

    private void Feed(PacketSummary p) => _shard.OnPacket(in p, _writer);

    [Fact]
    public void Interim_report_comes_once_per_interval_only_for_flows_that_changed()
    {
        // T0 is a multiple of the 10 s report interval.
        var a = new Conversation("192.168.1.10", 40000, "192.0.2.1", 443, Udp);
        var b = new Conversation("192.168.1.11", 40000, "192.0.2.1", 443, Udp);
        Feed(a.FromClient(T0 + 1 * Second, payload: 100));
        Feed(a.FromServer(T0 + 2 * Second, payload: 200));
        Feed(b.FromClient(T0 + 1 * Second, payload: 100));

        _shard.Advance(T0 + 5 * Second, _writer);           // same interval as the first packets
        Assert.Empty(_writer.Records);

        _shard.Advance(T0 + 10 * Second + 500 * Ms, _writer); // next interval: both changed
        Assert.Equal(2, _writer.Interims.Count);
        var ra = Assert.Single(_writer.Interims, r => r.Key == a.Key);
        Assert.Equal((1, 1), (ra.DeltaOrigPkts, ra.DeltaRespPkts));
        Assert.Equal((128, 228), (ra.DeltaOrigIpBytes, ra.DeltaRespIpBytes));
        Assert.Equal(CloseReason.None, ra.Reason);

        Feed(a.FromClient(T0 + 11 * Second, payload: 100));
        _shard.Advance(T0 + 12 * Second, _writer);          // still that interval: a was reported already
        Assert.Equal(2, _writer.Interims.Count);

        _shard.Advance(T0 + 20 * Second + 500 * Ms, _writer); // only a changed
        Assert.Equal(3, _writer.Interims.Count);
        var last = _writer.Interims[^1];
        Assert.Equal(a.Key, last.Key);
        Assert.Equal((1, 0), (last.DeltaOrigPkts, last.DeltaRespPkts));
        Assert.Equal((2, 1), (last.OrigPkts, last.RespPkts));
        Assert.Equal(3, _shard.Counters.InterimReports);
    }

    [Fact]
    public void Final_record_carries_only_what_changed_since_the_last_interim_report()
    {
        var a = new Conversation("192.168.1.10", 40000, "192.0.2.1", 443, Udp);
        Feed(a.FromClient(T0 + 1 * Second, payload: 100));
        _shard.Advance(T0 + 10 * Second, _writer);
        Feed(a.FromClient(T0 + 11 * Second, payload: 100));
        Feed(a.FromServer(T0 + 12 * Second, payload: 100));
        _shard.FlushAll(T0 + 13 * Second, CloseReason.EndOfCapture, _writer);

        var final = _writer.SingleFinal();
        Assert.Equal((2, 1), (final.OrigPkts, final.RespPkts));
        Assert.Equal((1, 1), (final.DeltaOrigPkts, final.DeltaRespPkts));
    }

    [Theory]
    [InlineData(11)]
    [InlineData(2024)]
    public void Deltas_of_every_record_sum_exactly_to_its_totals(int seed)
    {
        output.WriteLine($"seed {seed}");
        var options = Options();
        options.ActiveTimeout = TimeSpan.FromSeconds(90); // splits happen too
        var shard = new FlowShard(options, 0, 1);
        var writer = new RecordingWriter();
        var rng = new Random(seed);
        var conversations = Enumerable.Range(0, 40)
            .Select(i => new Conversation($"192.168.1.{10 + i}", (ushort)(40000 + i), "192.0.2.1", (ushort)(i % 2 == 0 ? 443 : 53),
                i % 2 == 0 ? Tcp : Udp))
            .ToArray();

        long t = T0;
        for (int n = 0; n < 6000; n++)
        {
            t += rng.Next(1, 200) * Ms;
            var c = conversations[rng.Next(conversations.Length)];
            var p = rng.Next(2) == 0 ? c.FromClient(t, Ack, rng.Next(0, 1400)) : c.FromServer(t, Ack, rng.Next(0, 1400));
            shard.OnPacket(in p, writer);
            if (n % 16 == 15) shard.Advance(t, writer);
        }
        shard.FlushAll(t + Ms, CloseReason.EndOfCapture, writer);

        Assert.True(writer.Interims.Count > 100, $"seed {seed}: only {writer.Interims.Count} interim reports");
        Assert.Contains(writer.Finals, r => r.Reason == CloseReason.Active);
        foreach (var record in writer.Records.GroupBy(r => (r.Key, r.Sequence, r.FirstNs)))
        {
            var final = Assert.Single(record, r => r.IsFinal);
            Assert.True(record.Sum(r => r.DeltaOrigPkts) == final.OrigPkts, $"seed {seed}: orig pkts of {record.Key}");
            Assert.True(record.Sum(r => r.DeltaRespPkts) == final.RespPkts, $"seed {seed}: resp pkts of {record.Key}");
            Assert.True(record.Sum(r => r.DeltaOrigIpBytes) == final.OrigIpBytes, $"seed {seed}: orig bytes of {record.Key}");
            Assert.True(record.Sum(r => r.DeltaRespIpBytes) == final.RespIpBytes, $"seed {seed}: resp bytes of {record.Key}");
        }
        Assert.Equal(6000, writer.Records.Sum(r => r.DeltaOrigPkts + r.DeltaRespPkts));
    }
}
