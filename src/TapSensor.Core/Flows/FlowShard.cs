using System.Runtime.CompilerServices;
using TapSensor.Core.Packets;

namespace TapSensor.Core.Flows;

/// <summary>
/// The flows of one worker: a bounded <see cref="FlowTable"/> plus the rules that open, update, split and
/// end flow records. One shard per worker thread, which is its only writer: no locks, no allocation
/// per packet (the table may grow a few times while warming up), no exceptions on the packet path.
/// This file holds the packet path; FlowShard.Expiry.cs holds the clock-driven part.
/// </summary>
internal sealed partial class FlowShard
{
    /// <summary>
    /// Slots from a new key's home slot searched for a victim when the shard is full. Suricata bounds its
    /// forced reuse the same way (src/flow-hash.c, FlowGetUsedFlow), so a flood costs constant work per packet.
    /// </summary>
    public const int EvictionWindow = 16;

    private readonly FlowTable _table;
    private readonly byte _shardIndex;
    private readonly int _bound;

    public FlowShard(FlowTableOptions options, int shardIndex, int shardCount)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(shardCount, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(shardCount, 256); // FlowRecord.Shard is a byte
        ArgumentOutOfRangeException.ThrowIfLessThan(shardIndex, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(shardIndex, shardCount);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxFlows, 1);

        _shardIndex = (byte)shardIndex;
        _bound = (int)(((long)options.MaxFlows + shardCount - 1) / shardCount);
        int initialFlows = Math.Clamp(options.InitialFlowsPerShard, 1, _bound);
        _table = new FlowTable(FlowTable.SlotsFor(initialFlows), FlowTable.SlotsFor(_bound));
        Counters = new FlowCounters();

        _normalTimeouts = new TimeoutSet(options, emergency: false);
        _emergencyTimeouts = new TimeoutSet(options, emergency: true);
        _reportIntervalNs = Math.Max(1, Ns(options.ReportInterval));
        _activeTimeoutNs = Math.Max(1, Ns(options.ActiveTimeout));
        _sweepIntervalNs = Math.Max(1, Ns(options.SweepInterval));
        _emergencySweepIntervalNs = Math.Max(1, Ns(options.EmergencySweepInterval));
        // Enter when Count > bound · enter%; leave when Count < bound · exit% (integer forms of both).
        _emergencyEnterCount = (int)((long)_bound * options.EmergencyEnterPercent / 100);
        _emergencyExitCount = (int)(((long)_bound * options.EmergencyExitPercent + 99) / 100);
        _recoveryPasses = Math.Max(1, options.EmergencyRecoveryPasses);
    }

    public FlowCounters Counters { get; }

    public int ActiveFlows => _table.Count;

    /// <summary>Bytes held by the entry array (capacity × entry size).</summary>
    public long MemoryBytes => _table.MemoryBytes;

    /// <summary>Flows this shard holds at most: ceil(MaxFlows / shardCount).</summary>
    public int Bound => _bound;

    /// <summary>The table, for tests and diagnostics.</summary>
    internal FlowTable Table => _table;

    /// <summary>
    /// Counts one packet into its flow, opening, splitting or replacing records as needed. Returns the slot of
    /// the packet's flow, or -1 when the flow was refused (emergency mode, full table).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int OnPacket(in PacketSummary packet, IFlowRecordWriter output)
    {
        long now = packet.TimestampNs;
        if (now > _clockNs) _clockNs = now;
        uint hash = (uint)packet.Hash;
        int slot = _table.Find(in packet.Key, hash, out int emptySlot);
        if (slot >= 0)
        {
            ref FlowEntry e = ref _table.EntryAt(slot);
            CloseReason ended = EndedBefore(ref e, in packet);
            if (ended == CloseReason.None)
            {
                if (now - e.FirstNs >= _activeTimeoutNs) SplitActive(ref e, now, output);
                e.Apply(in packet);
                return slot;
            }
            // The old record is over (timed out before the sweep got to it, or the ports were reused):
            // emit it, then treat the packet as the first of a new flow.
            Close(slot, ended, output);
            emptySlot = -1;
        }
        return Open(in packet, hash, emptySlot, output);
    }

    /// <summary>Why the entry's record ended before this packet, or None when the packet belongs to it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private CloseReason EndedBefore(ref FlowEntry e, in PacketSummary packet)
    {
        if (packet.TimestampNs - e.LastNs >= TimeoutNs(ref e)) return ExpiryReason(ref e);
        if ((e.State == TcpState.Closed || e.State == TcpState.Reset) && FlowEntry.IsBareSyn(packet.TcpFlags) && e.IsTcp)
            return ExpiryReason(ref e); // a new connection on the same ports
        return CloseReason.None;
    }

    private int Open(in PacketSummary packet, uint hash, int emptySlot, IFlowRecordWriter output)
    {
        if (_emergency && packet.Key.Protocol == FlowEntry.TcpProtocol && !FlowEntry.IsBareSyn(packet.TcpFlags))
        {
            Refuse(in packet);
            return -1;
        }

        int slot = -1;
        if (_table.Count >= _bound)
        {
            int victim = _table.EvictionCandidate(hash, EvictionWindow, out bool onPath);
            if (victim < 0)
            {
                Refuse(in packet); // a bound of zero flows; cannot happen with MaxFlows >= 1
                return -1;
            }
            Emit(ref _table.EntryAt(victim), CloseReason.Evicted, output);
            if (onPath)
            {
                _table.Replace(victim, in packet.Key, hash);
                slot = victim;
            }
            else
            {
                _table.RemoveAt(victim);
                emptySlot = -1;
            }
        }
        else if (_table.NeedsGrowth)
        {
            _table.Grow();
            Counters.Growths++;
            _cursor = 0; // slots were reshuffled; restart the pass
            emptySlot = -1;
        }

        if (slot < 0)
        {
            slot = emptySlot >= 0 ? emptySlot : _table.FindEmpty(hash);
            _table.Insert(slot, in packet.Key, hash);
        }
        ref FlowEntry e = ref _table.EntryAt(slot);
        e.Open(in packet, ReportEpochAt(packet.TimestampNs));
        e.Apply(in packet);

        Counters.Created++;
        Counters.Active = _table.Count;
        if (_table.LongestProbe > Counters.LongestProbe) Counters.LongestProbe = _table.LongestProbe;
        if (!_emergency && _table.Count > _emergencyEnterCount) EnterEmergency();
        return slot;
    }

    private void Refuse(in PacketSummary packet)
    {
        Counters.RefusedPackets++;
        Counters.RefusedIpBytes += packet.IpLength;
    }

    /// <summary>Active timeout: the record ends with reason active and the next record of the connection starts now.</summary>
    private void SplitActive(ref FlowEntry e, long now, IFlowRecordWriter output)
    {
        e.Report(CloseReason.Active, _shardIndex, out FlowRecord record);
        output.Write(in record);
        Counters.Closed[(int)CloseReason.Active]++;
        e.StartNextRecord(now);
    }

    /// <summary>Emits the final record of the entry in <paramref name="slot"/> and removes it.</summary>
    private void Close(int slot, CloseReason reason, IFlowRecordWriter output)
    {
        Emit(ref _table.EntryAt(slot), reason, output);
        _table.RemoveAt(slot);
        Counters.Active = _table.Count;
    }

    private void Emit(ref FlowEntry e, CloseReason reason, IFlowRecordWriter output)
    {
        e.Report(reason, _shardIndex, out FlowRecord record);
        output.Write(in record);
        Counters.Closed[(int)reason]++;
    }

    /// <summary>The reason a flow ends when its time is up: fin or rst once closed, idle otherwise.</summary>
    private static CloseReason ExpiryReason(ref FlowEntry e) => e.State switch
    {
        TcpState.Closed => CloseReason.Fin,
        TcpState.Reset => CloseReason.Rst,
        _ => CloseReason.Idle,
    };
}
