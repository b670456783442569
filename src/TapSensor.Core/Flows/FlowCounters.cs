namespace TapSensor.Core.Flows;

/// <summary>
/// Counters of one flow shard. Plain fields written only by the shard's worker thread; the stats reporter
/// reads them from another thread through <see cref="Enumerate"/>, which uses <see cref="Volatile.Read(ref long)"/>.
/// Names are stable and dotted, in the manner of Suricata's stats (flow.emerg_mode_entered, src/flow-manager.c).
/// </summary>
internal sealed class FlowCounters
{
    // One slot per CloseReason value, so indexing by any reason is always in range.
    private static readonly int ClosedSlots = Enum.GetValues<CloseReason>().Max(r => (int)r) + 1;

    /// <summary>Flows in the table now (a gauge).</summary>
    public long Active;
    /// <summary>Flows opened, including ones reopened after an idle end or port reuse.</summary>
    public long Created;
    /// <summary>Final records emitted, indexed by <see cref="CloseReason"/> (Evicted counts evictions; None is unused).</summary>
    public readonly long[] Closed = new long[ClosedSlots];
    /// <summary>Packets that could not open a flow (emergency mode lets only a bare SYN open TCP), and their IP bytes.</summary>
    public long RefusedPackets;
    public long RefusedIpBytes;
    /// <summary>1 while the shard is in emergency mode (a gauge).</summary>
    public long Emergency;
    public long EmergencyEntered;
    public long EmergencyExited;
    /// <summary>Interim records (close reason none) emitted.</summary>
    public long InterimReports;
    /// <summary>Times the table was resized.</summary>
    public long Growths;
    /// <summary>Longest distance from its home slot at which an entry was placed (a high-water mark).</summary>
    public long LongestProbe;
    /// <summary>Completed passes of the expiry sweep.</summary>
    public long SweepPasses;

    /// <summary>Cold path: every counter with its stable name.</summary>
    public IEnumerable<(string Name, long Value)> Enumerate()
    {
        yield return ("flow.active", Volatile.Read(ref Active));
        yield return ("flow.created", Volatile.Read(ref Created));
        for (int r = 1; r < Closed.Length; r++)
            yield return ("flow.closed." + CloseReasonNames.Name((CloseReason)r), Volatile.Read(ref Closed[r]));
        yield return ("flow.refused_packets", Volatile.Read(ref RefusedPackets));
        yield return ("flow.refused_ip_bytes", Volatile.Read(ref RefusedIpBytes));
        yield return ("flow.emergency", Volatile.Read(ref Emergency));
        yield return ("flow.emergency_entered", Volatile.Read(ref EmergencyEntered));
        yield return ("flow.emergency_exited", Volatile.Read(ref EmergencyExited));
        yield return ("flow.interim_reports", Volatile.Read(ref InterimReports));
        yield return ("flow.growths", Volatile.Read(ref Growths));
        yield return ("flow.longest_probe", Volatile.Read(ref LongestProbe));
        yield return ("flow.sweep_passes", Volatile.Read(ref SweepPasses));
    }
}
