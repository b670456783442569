using BenchmarkDotNet.Attributes;
using TapSensor.Core.Flows;
using TapSensor.Core.Packets;

namespace TapSensor.Benchmarks.Flows;

/// <summary>
/// The flow table's per-packet paths and its sweep. Every benchmark must show 0 B allocated: the tables
/// are grown in setup, so what is measured is steady state.
///   dotnet run -c Release --project benchmarks/TapSensor.Benchmarks -- --filter '*FlowShard*' --job short
/// </summary>
[MemoryDiagnoser]
public class FlowShardBenchmarks
{
    private const int Batch = 4096;
    private const ulong Seed = 0x5EED_F10B_7AB1_E000UL;
    private const long Second = 1_000_000_000;
    private const long T0 = 1_700_000_000 * Second;

    private readonly NullWriter _sink = new();

    private FlowShard _hitShard = null!;
    private PacketSummary[] _hits = null!;

    private FlowShard _insertShard = null!;
    private PacketSummary[] _fresh = null!;
    private long _insertNow;

    private FlowShard _evictShard = null!;
    private PacketSummary[] _flood = null!;
    private int _floodNext;
    private long _floodNow;

    private FlowShard _sweepShard = null!;
    private long _sweepNow;

    [GlobalSetup]
    public void Setup()
    {
        // Hits: 4 096 established TCP flows, packets alternating direction.
        _hitShard = new FlowShard(new FlowTableOptions(), 0, 1);
        _hits = new PacketSummary[Batch];
        for (int i = 0; i < Batch; i++)
        {
            uint client = 0xC0A80000u | (uint)(i / 2 % 250 + 2);
            _hits[i] = Tcp(client, (ushort)(40000 + i / 2), 0xCB007107u, 443, i % 2 == 0, T0, 0x18, 100);
        }
        foreach (var p in _hits) _hitShard.OnPacket(in p, _sink);

        // Inserts: 4 096 UDP flows into a table already grown to hold them, flushed after each batch.
        _insertShard = new FlowShard(new FlowTableOptions(), 0, 1);
        _fresh = new PacketSummary[Batch];
        for (int i = 0; i < Batch; i++)
            _fresh[i] = Udp(0x0A000000u | (uint)i, (ushort)(30000 + i % 20000), 0xC0A80101u, 53, T0, 40);
        _insertNow = T0;
        InsertNewFlowsThenFlush();

        // Evictions: a full shard of 65 536 flows and a SYN flood to 262 144 distinct tuples.
        _evictShard = new FlowShard(new FlowTableOptions { MaxFlows = 65_536, InitialFlowsPerShard = 65_536 }, 0, 1);
        _flood = new PacketSummary[262_144];
        for (int i = 0; i < _flood.Length; i++)
            _flood[i] = Tcp(0x0A000000u | (uint)(i >> 4), (ushort)(1024 + (i & 15)), 0xC0000250u, 80, true, T0, 0x02, 0);
        _floodNow = T0;
        for (int i = 0; i < 65_536; i++) SynFloodAtTheBound();

        // Sweep: 100 000 two-way UDP flows that never time out; each Advance moves packet time by 1 ms.
        var quiet = new FlowTableOptions { MaxFlows = 100_000, InitialFlowsPerShard = 100_000, UdpIdle = TimeSpan.FromDays(365) };
        _sweepShard = new FlowShard(quiet, 0, 1);
        for (int i = 0; i < 100_000; i++)
        {
            var up = Udp(0x0A000000u | (uint)i, 5000, 0xC0A80101u, 6000, T0, 100);
            var down = Udp(0xC0A80101u, 6000, 0x0A000000u | (uint)i, 5000, T0, 100);
            _sweepShard.OnPacket(in up, _sink);
            _sweepShard.OnPacket(in down, _sink);
        }
        _sweepNow = T0;
        _sweepShard.Advance(_sweepNow += 20 * Second, _sink); // the interim reports go out once, here
    }

    [Benchmark(OperationsPerInvoke = Batch, Description = "OnPacket, existing flow")]
    public void OnPacketHit()
    {
        PacketSummary[] hits = _hits;
        for (int i = 0; i < hits.Length; i++) _hitShard.OnPacket(in hits[i], _sink);
    }

    /// <summary>Per flow: one insert plus its share of the flush that empties the table for the next batch.</summary>
    [Benchmark(OperationsPerInvoke = Batch, Description = "OnPacket, new flow (+ flush)")]
    public void InsertNewFlowsThenFlush()
    {
        PacketSummary[] fresh = _fresh;
        _insertNow += Second;
        for (int i = 0; i < fresh.Length; i++)
        {
            fresh[i].TimestampNs = _insertNow;
            _insertShard.OnPacket(in fresh[i], _sink);
        }
        _insertShard.FlushAll(_insertNow, CloseReason.EndOfCapture, _sink);
    }

    [Benchmark(Description = "OnPacket, new flow evicting at the bound")]
    public void SynFloodAtTheBound()
    {
        ref PacketSummary p = ref _flood[_floodNext];
        p.TimestampNs = _floodNow += 1000;
        _evictShard.OnPacket(in p, _sink);
        if (++_floodNext == _flood.Length) _floodNext = 0;
    }

    /// <summary>One Advance per millisecond of packet time: 1/1000 of a pass over 133 334 slots (100 000 flows).</summary>
    [Benchmark(Description = "Advance, 1 ms of packet time")]
    public void AdvanceSweep() => _sweepShard.Advance(_sweepNow += 1_000_000, _sink);

    private static PacketSummary Tcp(uint src, ushort srcPort, uint dst, ushort dstPort, bool forward, long ts, byte flags, int payload) =>
        forward ? Build(src, srcPort, dst, dstPort, 6, ts, flags, 40 + payload, payload)
                : Build(dst, dstPort, src, srcPort, 6, ts, flags, 40 + payload, payload);

    private static PacketSummary Udp(uint src, ushort srcPort, uint dst, ushort dstPort, long ts, int payload) =>
        Build(src, srcPort, dst, dstPort, 17, ts, 0, 28 + payload, payload);

    private static PacketSummary Build(uint src, ushort srcPort, uint dst, ushort dstPort, byte protocol, long ts, byte flags, int ipLength, int payload)
    {
        var key = FlowKey.Create(0, FlowKey.V4Lo(src), srcPort, 0, FlowKey.V4Lo(dst), dstPort, protocol, 4, 0, out bool srcIsA);
        return new PacketSummary
        {
            TimestampNs = ts,
            Key = key,
            Hash = FlowHash.Compute(in key, Seed),
            SrcMac = 0x0200_0000_0000UL | src,
            DstMac = 0x0200_0000_0000UL | dst,
            WireLength = 14 + ipLength,
            IpLength = ipLength,
            PayloadLength = payload,
            PayloadOffset = -1,
            TcpFlags = flags,
            Flags = srcIsA ? PacketFlags.SrcIsA : PacketFlags.None,
        };
    }

    private sealed class NullWriter : IFlowRecordWriter
    {
        public long Count;
        public void Write(in FlowRecord record) => Count++;
    }
}
