using TapSensor.Core.Packets;

namespace TapSensor.Sinks.Influx.Points;

/// <summary>
/// The <c>device_label</c> tag: a name a person recognises, for every device. The device's own name when the
/// sensor learned one (configured, DHCP, mDNS, NetBIOS), else the first word of its vendor and the last three
/// bytes of its MAC (<c>Nintendo a9:73:6d</c>), else <c>device</c> and the MAC tail (a randomised MAC has no
/// vendor), else the device key itself (an IP address: links without MACs, or a device behind a router, which is
/// known by its address since the MAC on its packets is the router's). Two devices that would share a
/// label (two phones both called <c>iPhone</c>) are told apart by the MAC tail (<c>iPhone (64:ee)</c>).
/// <para>
/// Cardinality stays that of <c>device</c>: one label per device at a time; a label changes only when the device's
/// name or vendor does (typically once, when its DHCP name is first seen). The texts are cached per device key and
/// rebuilt only on such a change, so a record costs no string; the cache is bounded like <see cref="DeviceKeys"/>.
/// </para>
/// Not thread-safe (the sink's aggregator thread).
/// </summary>
internal sealed class DeviceLabels
{
    /// <summary>Longest label written; device names come from the network and are cut here.</summary>
    public const int MaxLength = 64;

    private readonly Dictionary<string, Entry> _byKey = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _owners = new(StringComparer.Ordinal);
    private readonly int _capacity;

    public DeviceLabels(int capacity = 16_384) => _capacity = capacity;

    /// <summary>Labels built afresh because the cache was full.</summary>
    public long Uncached { get; private set; }

    /// <summary>The label of the device whose key (the <c>device</c> tag) is <paramref name="key"/>.</summary>
    public string LabelOf(string key, FlowPoint p)
    {
        string? name = p.DeviceName, vendor = p.DeviceVendor;
        if (_byKey.TryGetValue(key, out var cached)
            && ((string.Equals(cached.Name, name, StringComparison.Ordinal) && string.Equals(cached.Vendor, vendor, StringComparison.Ordinal))
                // A record the household did not enrich (no device: say a flow of the router's own) knows less than
                // the device's earlier records under the same MAC key: keep their label.
                || p.Device is null))
            return cached.Label;

        // With the household's device, its own MAC (none when known by address); without, the local end's.
        ulong mac = p.Device is null ? p.LocalMac : p.DeviceMac;
        string label = Compose(key, name, vendor, mac);
        if (_owners.TryGetValue(label, out var owner) && !string.Equals(owner, key, StringComparison.Ordinal))
            label = Cut($"{label} ({(mac != 0 ? Tail(mac, 2) : key)})");
        if (cached is not null) _owners.Remove(cached.Label);
        else if (_byKey.Count >= _capacity)
        {
            Uncached++;
            return label;
        }
        _byKey[key] = new Entry(name, vendor, label);
        _owners[label] = key;
        return label;
    }

    /// <summary>The label before telling same-named devices apart.</summary>
    public static string Compose(string key, string? name, string? vendor, ulong mac)
    {
        if (!string.IsNullOrWhiteSpace(name)) return Cut(name.Trim());
        if (mac == 0) return key;
        string first = FirstWord(vendor);
        return Cut($"{(first.Length > 0 ? first : "device")} {Tail(mac, 3)}");
    }

    /// <summary>The vendor's first word without trailing punctuation: <c>Apple, Inc.</c> gives <c>Apple</c>.</summary>
    public static string FirstWord(string? vendor)
    {
        if (string.IsNullOrWhiteSpace(vendor)) return "";
        var text = vendor.AsSpan().Trim();
        int end = text.IndexOfAny(' ', ',');
        if (end > 0) text = text[..end];
        return text.TrimEnd(".,;:").ToString();
    }

    private static string Tail(ulong mac, int bytes) => MacAddress.ToText(mac)[(18 - 3 * bytes)..];

    private static string Cut(string text) => text.Length <= MaxLength ? text : text[..MaxLength];

    private sealed record Entry(string? Name, string? Vendor, string Label);
}
