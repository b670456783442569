using TapSensor.Core.Discovery;

namespace TapSensor.Core.Devices;

/// <summary>
/// Which name each device asked for that led to an address: per device (the name that device looked up),
/// and household-wide as a fallback (another device's answer for the same address). Bounded: when full,
/// answers past their TTL and grace go first, then the oldest.
/// </summary>
internal sealed class DnsNameCache
{
    private readonly record struct Entry(string Name, long LearnedNs, long ExpiresNs);

    private readonly Dictionary<(Device Device, NetAddress Address), Entry> _perDevice = [];
    private readonly Dictionary<NetAddress, Entry> _household = [];
    private readonly int _capacity;
    private readonly long _graceNs;

    public DnsNameCache(int capacity, TimeSpan grace)
    {
        _capacity = capacity;
        _graceNs = grace.Ticks * 100;
    }

    public int Count => _perDevice.Count + _household.Count;
    public long Evicted { get; private set; }

    public void Learn(Device? device, NetAddress address, string name, uint ttlSeconds, long nowNs)
    {
        var entry = new Entry(name, nowNs, nowNs + ttlSeconds * 1_000_000_000L);
        if (Count >= _capacity) Sweep(nowNs);
        if (device is not null) _perDevice[(device, address)] = entry;
        _household[address] = entry;
    }

    /// <summary>The name for a flow to <paramref name="address"/> seen from <paramref name="firstNs"/> to <paramref name="lastNs"/>.</summary>
    public string? Lookup(Device? device, NetAddress address, long firstNs, long lastNs)
    {
        if (device is not null && _perDevice.TryGetValue((device, address), out var e) && Fits(e, firstNs, lastNs)) return e.Name;
        if (_household.TryGetValue(address, out e) && Fits(e, firstNs, lastNs)) return e.Name;
        return null;
    }

    /// <summary>Moves a device's answers to the device that absorbed it.</summary>
    public void Rekey(Device from, Device to)
    {
        var moved = _perDevice.Where(kv => ReferenceEquals(kv.Key.Device, from)).ToList();
        foreach (var (key, value) in moved)
        {
            _perDevice.Remove(key);
            _perDevice[(to, key.Address)] = value;
        }
    }

    /// <summary>Learned no later than the flow's last packet, and not dead (TTL plus grace) before its first.</summary>
    private bool Fits(Entry e, long firstNs, long lastNs) => e.LearnedNs <= lastNs && firstNs <= e.ExpiresNs + _graceNs;

    private void Sweep(long nowNs)
    {
        int before = Count;
        RemoveWhere(_perDevice, e => e.ExpiresNs + _graceNs < nowNs);
        RemoveWhere(_household, e => e.ExpiresNs + _graceNs < nowNs);
        if (Count > _capacity * 7 / 8)
        {
            // Nothing old enough: drop the oldest eighth of each map.
            DropOldest(_perDevice, _perDevice.Count / 8 + 1);
            DropOldest(_household, _household.Count / 8 + 1);
        }
        Evicted += before - Count;
    }

    private static void RemoveWhere<TKey>(Dictionary<TKey, Entry> map, Func<Entry, bool> dead) where TKey : notnull
    {
        foreach (var (key, value) in map)
        {
            if (dead(value)) map.Remove(key); // removing during enumeration is allowed for Dictionary
        }
    }

    private static void DropOldest<TKey>(Dictionary<TKey, Entry> map, int count) where TKey : notnull
    {
        foreach (var key in map.OrderBy(kv => kv.Value.LearnedNs).Take(count).Select(kv => kv.Key).ToList())
            map.Remove(key);
    }
}
