using System.Runtime.CompilerServices;

namespace TapSensor.Core.Flows;

/// <summary>
/// The clock-driven part of a shard: timeouts, the amortised expiry sweep with interim reports, emergency
/// mode and the final flush. Time is always packet time: the latest packet or tick the shard has seen.
/// </summary>
internal sealed partial class FlowShard
{
    /// <summary>
    /// Most slots one <see cref="Advance"/> visits (about 11 MiB of entries, well under a millisecond), so a
    /// long quiet gap or a huge table never stalls a batch; the rest of the pass carries over to later calls.
    /// </summary>
    public const int MaxSweepSlotsPerAdvance = 65_536;

    private readonly TimeoutSet _normalTimeouts;
    private readonly TimeoutSet _emergencyTimeouts;
    private readonly long _reportIntervalNs;
    private readonly long _activeTimeoutNs;
    private readonly long _sweepIntervalNs;
    private readonly long _emergencySweepIntervalNs;
    private readonly int _emergencyEnterCount;
    private readonly int _emergencyExitCount;
    private readonly int _recoveryPasses;

    private long _clockNs = long.MinValue;
    private long _lastAdvanceNs;
    private bool _advanced;
    private double _sweepCredit;
    private int _cursor;
    private bool _emergency;
    private int _passesBelowExit;

    /// <summary>True while the shard runs with emergency timeouts and lets only a bare SYN open TCP flows.</summary>
    public bool IsEmergency => _emergency;

    /// <summary>
    /// Runs after each batch and on tick batches: advances the sweep cursor over as many slots as the packet
    /// time elapsed since the previous call earns (a full pass per SweepInterval, or per
    /// EmergencySweepInterval in emergency), ending flows past their timeout and reporting flows that changed
    /// since the last report interval began.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Advance(long nowNs, IFlowRecordWriter output)
    {
        if (nowNs > _clockNs) _clockNs = nowNs;
        long now = _clockNs;
        int capacity = _table.Capacity;
        if (!_advanced)
        {
            _advanced = true;
            _sweepCredit = capacity;
        }
        else if (now > _lastAdvanceNs)
        {
            long passNs = _emergency ? _emergencySweepIntervalNs : _sweepIntervalNs;
            _sweepCredit = Math.Min(capacity, _sweepCredit + (double)(now - _lastAdvanceNs) * capacity / passNs);
        }
        _lastAdvanceNs = now;

        int slots = (int)Math.Min(_sweepCredit, MaxSweepSlotsPerAdvance);
        _sweepCredit -= slots;
        Sweep(slots, now, output);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Sweep(int slots, long now, IFlowRecordWriter output)
    {
        byte epoch = ReportEpochAt(now);
        int cursor = _cursor;
        int visited = 0;
        // Each step either moves the cursor or removes a flow, so slots + Count steps always suffice.
        int steps = slots + _table.Count;
        for (int step = 0; step < steps && visited < slots; step++)
        {
            ref FlowEntry e = ref _table.EntryAt(cursor);
            if (e.IsUsed)
            {
                if (now - e.LastNs >= TimeoutNs(ref e))
                {
                    // Backward shift may pull the next entry of the cluster into this slot: look at it again.
                    // Entries only move back towards the cursor, so none is skipped by this pass.
                    Close(cursor, ExpiryReason(ref e), output);
                    continue;
                }
                if (e.ReportEpoch != epoch && e.HasUnreportedPackets)
                {
                    e.Report(CloseReason.None, _shardIndex, out FlowRecord record);
                    e.ReportEpoch = epoch;
                    output.Write(in record);
                    Counters.InterimReports++;
                }
            }
            visited++;
            if (++cursor == _table.Capacity)
            {
                cursor = 0;
                PassCompleted();
            }
        }
        _cursor = cursor;
    }

    private void PassCompleted()
    {
        Counters.SweepPasses++;
        if (!_emergency) return;
        if (_table.Count < _emergencyExitCount)
        {
            if (++_passesBelowExit >= _recoveryPasses) ExitEmergency();
        }
        else
        {
            _passesBelowExit = 0;
        }
    }

    /// <summary>
    /// End of capture or shutdown: every flow emits its final record and the table is emptied. Flows already
    /// closed by FIN/RST, or past their timeout, keep their own reason (fin, rst, idle), so the records do not
    /// depend on how far the sweep had got; the others end with <paramref name="reason"/>.
    /// </summary>
    public void FlushAll(long nowNs, CloseReason reason, IFlowRecordWriter output)
    {
        ArgumentOutOfRangeException.ThrowIfEqual(reason, CloseReason.None);
        if (nowNs > _clockNs) _clockNs = nowNs;
        long now = _clockNs;
        int capacity = _table.Capacity;
        for (int slot = 0; slot < capacity; slot++)
        {
            ref FlowEntry e = ref _table.EntryAt(slot);
            if (!e.IsUsed) continue;
            bool ended = e.State == TcpState.Closed || e.State == TcpState.Reset || now - e.LastNs >= TimeoutNs(ref e);
            CloseReason r = ended ? ExpiryReason(ref e) : reason;
            e.Report(r, _shardIndex, out FlowRecord record);
            output.Write(in record);
            Counters.Closed[(int)r]++;
        }
        _table.Clear();
        Counters.Active = 0;
        _cursor = 0;
        if (_emergency) ExitEmergency();
    }

    private void EnterEmergency()
    {
        _emergency = true;
        _passesBelowExit = 0;
        Counters.Emergency = 1;
        Counters.EmergencyEntered++;
    }

    private void ExitEmergency()
    {
        _emergency = false;
        _passesBelowExit = 0;
        Counters.Emergency = 0;
        Counters.EmergencyExited++;
    }

    /// <summary>Low byte of the report interval number at <paramref name="nowNs"/>; wraps every 256 intervals, which at worst delays one report by one interval.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private byte ReportEpochAt(long nowNs) => (byte)(nowNs / _reportIntervalNs);

    /// <summary>How long the entry may stay quiet before its record ends, by protocol and state.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private long TimeoutNs(ref FlowEntry e)
    {
        ref readonly TimeoutSet t = ref _emergency ? ref _emergencyTimeouts : ref _normalTimeouts;
        switch (e.Key.Protocol)
        {
            case FlowEntry.TcpProtocol:
                return e.State switch
                {
                    TcpState.Established or TcpState.Closing => t.TcpEstablished,
                    TcpState.Closed or TcpState.Reset => t.TcpClosed,
                    _ => t.TcpNotEstablished,
                };
            case FlowEntry.UdpProtocol:
                return e.OrigPkts > 0 && e.RespPkts > 0 ? t.UdpBothWays : t.UdpOneWay;
            default:
                return e.OrigPkts > 0 && e.RespPkts > 0 ? t.OtherBothWays : t.OtherOneWay;
        }
    }

    /// <summary>
    /// Timeouts in nanoseconds. Emergency values never lengthen a normal one: each is the smaller of the two,
    /// and UDP/other flows seen both ways count as established, one-way ones as new (Suricata's split).
    /// </summary>
    private readonly struct TimeoutSet
    {
        public readonly long TcpEstablished;
        public readonly long TcpClosed;
        public readonly long TcpNotEstablished;
        public readonly long UdpBothWays;
        public readonly long UdpOneWay;
        public readonly long OtherBothWays;
        public readonly long OtherOneWay;

        public TimeoutSet(FlowTableOptions o, bool emergency)
        {
            long est = Ns(o.TcpEstablishedIdle), closed = Ns(o.TcpClosedLinger), notEst = Ns(o.TcpNotEstablished);
            long udp = Ns(o.UdpIdle), other = Ns(o.OtherIdle);
            long emEst = emergency ? Ns(o.EmergencyEstablishedIdle) : long.MaxValue;
            long emNew = emergency ? Ns(o.EmergencyNew) : long.MaxValue;
            long emClosed = emergency ? Ns(o.EmergencyClosedLinger) : long.MaxValue;
            TcpEstablished = Math.Min(est, emEst);
            TcpClosed = Math.Min(closed, emClosed);
            TcpNotEstablished = Math.Min(notEst, emNew);
            UdpBothWays = Math.Min(udp, emEst);
            UdpOneWay = Math.Min(udp, emNew);
            OtherBothWays = Math.Min(other, emEst);
            OtherOneWay = Math.Min(other, emNew);
        }
    }

    private static long Ns(TimeSpan t) => t.Ticks * (1_000_000_000 / TimeSpan.TicksPerSecond);
}
