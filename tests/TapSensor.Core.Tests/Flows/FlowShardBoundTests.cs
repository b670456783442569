using System.Runtime.CompilerServices;
using TapSensor.Core.Flows;
using TapSensor.Core.Packets;
using static TapSensor.Core.Tests.Flows.FlowTestPackets;

namespace TapSensor.Core.Tests.Flows;

/// <summary>What a shard does near and at its bound: emergency mode, eviction, floods.</summary>
public sealed class FlowShardBoundTests
{
    private readonly RecordingWriter _writer = new();

    /// <summary>A one-way UDP flow from a distinct client port (i picks the port and the host).</summary>
    private static PacketSummary Udp1(int i, long ts) =>
        Packet($"10.1.{i / 250}.{i % 250 + 1}", (ushort)(20000 + i), "192.0.2.53", 53, Udp, ts, payload: 40);

    private static PacketSummary TcpNew(int i, long ts, byte flags) =>
        Packet("10.9.0.1", (ushort)(1024 + i), "192.0.2.80", 80, Tcp, ts, flags);

    private void Fill(FlowShard shard, int flows, long ts)
    {
        for (int i = 0; i < flows; i++)
        {
            var p = Udp1(i, ts);
            shard.OnPacket(in p, _writer);
        }
    }

    [Fact]
    public void Full_shard_evicts_the_least_recently_seen_flow_on_the_new_keys_probe_path()
    {
        // 12 flows in 16 slots, all with home slot 0: they fill slots 0-11, and a newcomer with the same
        // home probes past every one of them.
        var shard = new FlowShard(Options(maxFlows: 12), 0, 1);
        var sameHome = new List<PacketSummary>();
        for (int port = 1024; sameHome.Count < 13; port++)
        {
            var p = Packet("10.1.0.1", (ushort)port, "192.0.2.53", 53, Udp, 0, payload: 40);
            if (shard.Table.Home((uint)p.Hash) == 0) sameHome.Add(p);
        }
        int[] order = [7, 2, 11, 0, 5, 9, 1, 4, 10, 3, 8, 6];
        for (int k = 0; k < order.Length; k++)
        {
            var p = sameHome[order[k]];
            p.TimestampNs = T0 + k * 100 * Ms;
            shard.OnPacket(in p, _writer);
        }
        var touch = sameHome[7]; // the oldest flow speaks again
        touch.TimestampNs = T0 + 1500 * Ms;
        shard.OnPacket(in touch, _writer);
        Assert.Empty(_writer.Records);

        var newcomer = sameHome[12];
        newcomer.TimestampNs = T0 + 1600 * Ms;
        shard.OnPacket(in newcomer, _writer);

        var evicted = _writer.SingleFinal();
        Assert.Equal(CloseReason.Evicted, evicted.Reason);
        Assert.Equal(sameHome[2].Key, evicted.Key); // second oldest, now the least recently seen
        Assert.Equal(12, shard.ActiveFlows);
        Assert.True(shard.Table.Find(in newcomer.Key, (uint)newcomer.Hash, out _) >= 0);
        Assert.Equal(1, shard.Counters.Closed[(int)CloseReason.Evicted]);
    }

    [Fact]
    public void Eviction_never_reaches_beyond_the_new_keys_probe_window()
    {
        var options = Options(maxFlows: 1024);
        options.InitialFlowsPerShard = 1024; // start at the bound so slots stay put
        var shard = new FlowShard(options, 0, 1);
        var rng = new Random(1234);
        for (int i = 0; i < 1024; i++)
        {
            var p = Udp1(i, T0 + rng.Next(0, 5000) * Ms);
            shard.OnPacket(in p, _writer);
        }
        Assert.Equal(1024, shard.ActiveFlows);

        FlowTable table = shard.Table;
        for (int n = 0; n < 200; n++)
        {
            var newcomer = Udp1(5000 + n, T0 + 6 * Second + n * Ms);
            int home = table.Home((uint)newcomer.Hash);
            var window = new Dictionary<FlowKey, long>();
            bool homeUsed = table.EntryAt(home).IsUsed;
            for (int d = 0; d < FlowShard.EvictionWindow; d++)
            {
                ref FlowEntry e = ref table.EntryAt((home + d) % table.Capacity);
                if (!e.IsUsed && homeUsed) break; // the probe path ends here
                if (e.IsUsed) window[e.Key] = e.LastNs;
            }
            int before = _writer.Records.Count;

            shard.OnPacket(in newcomer, _writer);

            var evicted = Assert.Single(_writer.Records.Skip(before));
            if (window.Count == 0) continue; // an empty window takes the next entry after it
            Assert.True(window.ContainsKey(evicted.Key), $"newcomer {n}: evicted a flow outside the window");
            Assert.Equal(window.Values.Min(), window[evicted.Key]);
            Assert.Equal(1024, shard.ActiveFlows);
            Assert.True(table.Find(in newcomer.Key, (uint)newcomer.Hash, out _) >= 0);
        }
    }

    [Fact]
    public void Syn_flood_to_distinct_tuples_keeps_memory_flat_and_the_count_at_the_bound()
    {
        var shard = new FlowShard(Options(maxFlows: 1024), 0, 1);
        var sink = new CountingWriter();
        long memoryAfterFirstWave = 0, longestAfterFirstWave = 0;
        for (int i = 0; i < 50_000; i++)
        {
            var p = Packet($"10.{i >> 16 & 255}.{i >> 8 & 255}.{i & 255}", (ushort)(1024 + i % 60000), "192.0.2.80", 80, Tcp,
                T0 + i * 1000L, Syn);
            shard.OnPacket(in p, sink);
            if (i == 4_999) (memoryAfterFirstWave, longestAfterFirstWave) = (shard.MemoryBytes, shard.Counters.LongestProbe);
        }

        Assert.Equal(1024, shard.ActiveFlows);
        Assert.Equal(memoryAfterFirstWave, shard.MemoryBytes);
        Assert.True(shard.MemoryBytes <= 1024 * 256, $"{shard.MemoryBytes} bytes for 1024 flows");
        Assert.Equal(50_000 - 1024, shard.Counters.Closed[(int)CloseReason.Evicted]);
        Assert.Equal(0, shard.Counters.RefusedPackets);
        Assert.Equal(sink.Count, shard.Counters.Closed[(int)CloseReason.Evicted]);
        // Evicted slots go to newcomers on their own probe path, so probe paths do not grow under a flood.
        Assert.True(shard.Counters.LongestProbe <= Math.Max(longestAfterFirstWave, FlowShard.EvictionWindow - 1),
            $"longest probe {shard.Counters.LongestProbe}, {longestAfterFirstWave} after the first wave");
        Assert.True(shard.IsEmergency);
    }

    [Fact]
    public void Bytes_per_flow_at_the_bound_stay_under_256()
    {
        Assert.Equal(184, Unsafe.SizeOf<FlowEntry>());
        var shard = new FlowShard(Options(maxFlows: 250_000), 0, 4);
        long boundBytes = (long)FlowTable.SlotsFor(shard.Bound) * Unsafe.SizeOf<FlowEntry>();
        Assert.True(boundBytes / (double)shard.Bound <= 256, $"{boundBytes / (double)shard.Bound:F1} bytes per flow");
        Assert.True(shard.MemoryBytes < boundBytes, "the table starts below its bound");
    }

    [Fact]
    public void Emergency_starts_above_ninety_percent_and_lets_only_a_bare_syn_open_tcp()
    {
        var shard = new FlowShard(Options(maxFlows: 1024), 0, 1);
        Fill(shard, 921, T0); // 921 / 1024 = 89.9 %
        Assert.False(shard.IsEmergency);
        var p922 = Udp1(921, T0);
        shard.OnPacket(in p922, _writer);
        Assert.True(shard.IsEmergency);
        Assert.Equal(1, shard.Counters.EmergencyEntered);
        Assert.Equal(1, shard.Counters.Emergency);

        var ack = TcpNew(1, T0 + Ms, Ack);
        var synAck = TcpNew(2, T0 + Ms, (byte)(Syn | Ack));
        var syn = TcpNew(3, T0 + Ms, Syn);
        var udp = Udp1(2000, T0 + Ms);
        shard.OnPacket(in ack, _writer);
        shard.OnPacket(in synAck, _writer);
        Assert.Equal(922, shard.ActiveFlows);
        Assert.Equal(2, shard.Counters.RefusedPackets);
        Assert.Equal(ack.IpLength + synAck.IpLength, shard.Counters.RefusedIpBytes);

        shard.OnPacket(in syn, _writer);
        shard.OnPacket(in udp, _writer);
        Assert.Equal(924, shard.ActiveFlows);
        Assert.Equal(2, shard.Counters.RefusedPackets);
    }

    [Fact]
    public void Emergency_timeouts_end_quiet_flows_sooner()
    {
        var shard = new FlowShard(Options(maxFlows: 1024), 0, 1);
        var web = new Conversation("192.168.1.10", 51514, "203.0.113.7", 443);
        foreach (var p in new[] { web.FromClient(T0, Syn), web.FromServer(T0, (byte)(Syn | Ack)), web.FromClient(T0, Ack) })
            shard.OnPacket(in p, _writer);
        Fill(shard, 922, T0);
        Assert.True(shard.IsEmergency);

        shard.Advance(T0 + 9 * Second, _writer);
        Assert.Empty(_writer.Records);
        shard.Advance(T0 + 10 * Second, _writer); // one-way UDP: 10 s instead of 60 s
        Assert.Equal(922, _writer.Finals.Count(r => r.Key.Protocol == Udp && r.Reason == CloseReason.Idle));
        Assert.Equal(1, shard.ActiveFlows);

        shard.Advance(T0 + 99 * Second, _writer);
        Assert.Equal(1, shard.ActiveFlows);
        shard.Advance(T0 + 100 * Second, _writer); // established TCP: 100 s instead of 300 s
        Assert.Equal(0, shard.ActiveFlows);
        Assert.Equal(CloseReason.Idle, _writer.Finals[^1].Reason);
        Assert.True(shard.IsEmergency, "recovery needs more passes than were made");
    }

    [Fact]
    public void Emergency_ends_after_thirty_consecutive_passes_below_seventy_percent()
    {
        var shard = new FlowShard(Options(maxFlows: 1024), 0, 1);
        Fill(shard, 922, T0);
        shard.Advance(T0 + 11 * Second, _writer); // every flow times out: this pass ends below the mark
        Assert.Equal(0, shard.ActiveFlows);
        Assert.Equal(1, shard.Counters.SweepPasses);

        long now = T0 + 11 * Second;
        for (int pass = 2; pass <= 29; pass++)
        {
            now += 250 * Ms; // one emergency pass
            shard.Advance(now, _writer);
            Assert.Equal(pass, shard.Counters.SweepPasses);
            Assert.True(shard.IsEmergency, $"still in emergency after {pass} passes");
        }
        shard.Advance(now + 250 * Ms, _writer);

        Assert.False(shard.IsEmergency);
        Assert.Equal(30, shard.Counters.SweepPasses);
        Assert.Equal(1, shard.Counters.EmergencyExited);
        Assert.Equal(0, shard.Counters.Emergency);
    }

    [Fact]
    public void A_pass_at_or_above_seventy_percent_restarts_the_recovery_count()
    {
        var shard = new FlowShard(Options(maxFlows: 1024), 0, 1);
        Fill(shard, 922, T0);
        long now = T0 + 11 * Second;
        shard.Advance(now, _writer);
        for (int i = 0; i < 20; i++) shard.Advance(now += 250 * Ms, _writer); // 21 passes below the mark

        Fill(shard, 717, now); // 717 of 1024 is 70.02 %: not below the mark
        shard.Advance(now += 250 * Ms, _writer);
        shard.Advance(now += 10 * Second, _writer); // they time out: the first pass below the mark again
        Assert.True(shard.IsEmergency);
        long passes = shard.Counters.SweepPasses;
        while (shard.IsEmergency && shard.Counters.SweepPasses - passes < 100)
            shard.Advance(now += 250 * Ms, _writer);

        Assert.False(shard.IsEmergency);
        Assert.Equal(29, shard.Counters.SweepPasses - passes);
    }

    [Fact]
    public void Flush_leaves_emergency_mode()
    {
        var shard = new FlowShard(Options(maxFlows: 1024), 0, 1);
        Fill(shard, 1000, T0);
        Assert.True(shard.IsEmergency);
        shard.FlushAll(T0 + Second, CloseReason.EndOfCapture, _writer);

        Assert.False(shard.IsEmergency);
        Assert.Equal(shard.Counters.EmergencyEntered, shard.Counters.EmergencyExited);
        Assert.Equal(1000, _writer.Finals.Count);
    }

    private sealed class CountingWriter : IFlowRecordWriter
    {
        public long Count;
        public void Write(in FlowRecord record) => Count++;
    }
}
