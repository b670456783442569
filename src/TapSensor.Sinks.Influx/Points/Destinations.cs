using TapSensor.Core.Flows;
namespace TapSensor.Sinks.Influx.Points;

/// <summary>
/// Decides when a device contacts a destination for the first time, for the <c>new_destinations</c> measurement
/// ("what did this device start talking to?"). A destination is the remote name when the sensor knows one, else
/// the remote address; only remote ends outside the household count (not local, not a private, multicast or
/// broadcast address). The set
/// of (device, destination) pairs seen lives in memory: after a restart, or once it holds <c>capacity</c> pairs
/// and is cleared, a known destination is reported once more (<see cref="Forgotten"/> counts the clears).
/// A lookup hashes two cached strings and an address: no allocation unless the pair is new.
/// Not thread-safe (the sink's aggregator thread).
/// </summary>
internal sealed class Destinations
{
    private readonly HashSet<(string Device, string? Name, FlowAddress Address)> _seen = new();
    private readonly int _capacity;

    public Destinations(int capacity = 65_536) => _capacity = capacity;

    /// <summary>Times the set was full and started over.</summary>
    public long Forgotten { get; private set; }

    public int Count => _seen.Count;

    /// <summary>True the first time <paramref name="device"/> reaches the point's remote end.</summary>
    public bool IsNew(FlowPoint p, string device)
    {
        if (p.Local == true || p.RemoteAddress.IsNone || p.RemoteAddress.IsPrivate() || IsGroup(p.RemoteAddress)) return false;
        var key = p.RemoteName is { } name ? (device, name, default(FlowAddress)) : (device, (string?)null, p.RemoteAddress);
        if (_seen.Contains(key)) return false;
        if (_seen.Count >= _capacity)
        {
            _seen.Clear();
            Forgotten++;
        }
        _seen.Add(key);
        return true;
    }

    /// <summary>Multicast and broadcast: a device announcing itself, not a destination it chose.</summary>
    private static bool IsGroup(FlowAddress a)
    {
        if (a.Family == 4 || (a.Hi == 0 && (a.Lo >> 32) == 0xFFFF))
        {
            uint v = (uint)a.Lo;
            return (v >> 28) == 0xE || v == uint.MaxValue;
        }
        return a.Family == 6 && (a.Hi >> 56) == 0xFF;
    }
}
