using System.Runtime.InteropServices;

namespace TapSensor.Sinks.Influx.Points;

/// <summary>
/// Sums the records' deltas per series (device, its label, the remote end's country, the protocol) and interval
/// of packet time, for the <c>device_traffic</c> measurement; country and protocol are there so a dashboard's
/// country and protocol filters apply to traffic over time too. Every record (interim report or final record) adds what changed since the flow's previous
/// report, so the sums over all intervals equal the flows' totals, exactly (the way ntopng feeds host
/// counters from flow deltas). A record counts in the interval of its latest packet.
/// <para>
/// Records of an interval keep arriving after it ends: interim reports are emitted once the workers' clocks
/// pass the interval, and workers run apart. An interval is therefore written once packet time is
/// <see cref="LagIntervals"/> intervals past it, and on <see cref="EmitAll"/> (end of run, a quiet network, the
/// bound). A record that arrives even later still counts: its interval is written again at the next advance, as
/// one more point that the timestamp de-duplication moves one unit later, never over the first.
/// </para>
/// Bounded by <c>maxEntries</c> (series × open interval); reaching it writes everything open. Not thread-safe.
/// </summary>
internal sealed class DeviceTraffic
{
    public const int LagIntervals = 2;

    private readonly Dictionary<(TrafficSeries Series, long Interval), DeviceTotals> _open = new();
    private readonly List<(TrafficSeries Series, long Interval)> _due = new();
    private readonly long _intervalNs;
    private readonly int _maxEntries;
    private long _newest = long.MinValue;

    public DeviceTraffic(TimeSpan interval, int maxEntries = 16_384)
    {
        _intervalNs = Math.Max(1, interval.Ticks * 100);
        _maxEntries = maxEntries;
    }

    /// <summary>The newest interval seen (index: Unix ns / interval), long.MinValue before the first record.</summary>
    public long NewestInterval => _newest;

    public int OpenEntries => _open.Count;

    /// <summary>Adds one record's deltas; returns true when something became due (call <see cref="EmitDue"/>): the newest interval moved on, or the bound was reached.</summary>
    public bool Add(FlowPoint p, string device) => Add(p, device, device);

    /// <inheritdoc cref="Add(FlowPoint, string)"/>
    public bool Add(FlowPoint p, string device, string label)
    {
        long upBytes = p.DeltaUpIpBytes, downBytes = p.DeltaDownIpBytes, upPkts = p.DeltaUpPkts, downPkts = p.DeltaDownPkts;
        if ((upBytes | downBytes | upPkts | downPkts) == 0) return false;
        long interval = p.EndNs / _intervalNs;
        if (p.EndNs % _intervalNs < 0) interval--;
        ref var t = ref CollectionsMarshal.GetValueRefOrAddDefault(_open, (new TrafficSeries(device, label, p.Country, p.Protocol), interval), out _);
        t.BytesUp += upBytes;
        t.BytesDown += downBytes;
        t.PacketsUp += upPkts;
        t.PacketsDown += downPkts;
        if (p.DeviceName is not null) t.DeviceName = p.DeviceName;
        bool advanced = interval > _newest;
        if (advanced) _newest = interval;
        // A late record's interval waits for the next advance, so late records of many chunks make one point, not one each.
        return advanced || _open.Count >= _maxEntries;
    }

    /// <summary>Writes the intervals at least <see cref="LagIntervals"/> behind the newest (all of them at the bound).</summary>
    public int EmitDue<TWriter>(ref TWriter writer) where TWriter : IDeviceTrafficWriter =>
        Emit(ref writer, _open.Count >= _maxEntries ? long.MaxValue : _newest - LagIntervals);

    /// <summary>Writes everything open.</summary>
    public int EmitAll<TWriter>(ref TWriter writer) where TWriter : IDeviceTrafficWriter => Emit(ref writer, long.MaxValue);

    private int Emit<TWriter>(ref TWriter writer, long upTo) where TWriter : IDeviceTrafficWriter
    {
        _due.Clear();
        foreach (var key in _open.Keys)
            if (key.Interval <= upTo) _due.Add(key);
        if (_due.Count == 0) return 0;
        // Oldest first, then by device: the same input gives the same lines.
        _due.Sort(static (a, b) => a.Interval != b.Interval ? a.Interval.CompareTo(b.Interval) : a.Series.CompareTo(b.Series));
        foreach (var key in _due)
        {
            _open.Remove(key, out var totals);
            writer.Write(in key.Series, key.Interval * _intervalNs, in totals);
        }
        return _due.Count;
    }
}

/// <summary>Receives the intervals <see cref="DeviceTraffic"/> emits.</summary>
internal interface IDeviceTrafficWriter
{
    void Write(in TrafficSeries series, long intervalStartNs, in DeviceTotals totals);
}

/// <summary>The tags of one <c>device_traffic</c> series (besides <c>sensor</c>).</summary>
internal readonly record struct TrafficSeries(string Device, string Label, string? Country, string Protocol)
{
    public int CompareTo(in TrafficSeries other)
    {
        int c = string.CompareOrdinal(Device, other.Device);
        if (c == 0) c = string.CompareOrdinal(Label, other.Label);
        if (c == 0) c = string.CompareOrdinal(Country, other.Country);
        if (c == 0) c = string.CompareOrdinal(Protocol, other.Protocol);
        return c;
    }
}
