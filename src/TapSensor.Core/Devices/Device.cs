using TapSensor.Core.Discovery;

namespace TapSensor.Core.Devices;

/// <summary>
/// One device of the household. Keyed by its MAC on the mirrored segment, or by its address when all its
/// traffic arrives with a router's MAC. Owned by the aggregator thread; exporters read it from that thread
/// (records carry a reference) or take a <see cref="Household.Snapshot"/>.
/// </summary>
public sealed class Device
{
    /// <summary>Distinct addresses kept per device (a phone collects IPv6 privacy addresses).</summary>
    public const int MaxAddresses = 64;
    /// <summary>Distinct destinations remembered per device; past it the count stops growing.</summary>
    public const int MaxDestinations = 65536;

    private readonly List<ulong> _macs = [];
    private readonly List<NetAddress> _addresses = [];
    private readonly Dictionary<DeviceNameSource, string> _names = [];
    private readonly HashSet<NetAddress> _destinations = [];
    private readonly Dictionary<string, long> _countries = new(StringComparer.Ordinal);

    internal Device(string id, ulong mac, bool keyedByAddress, long firstSeenNs)
    {
        Id = id;
        Mac = mac;
        KeyedByAddress = keyedByAddress;
        FirstSeenNs = firstSeenNs;
        LastSeenNs = firstSeenNs;
        if (mac != 0) _macs.Add(mac);
    }

    /// <summary>Stable id: the MAC (or address) the device was first seen with.</summary>
    public string Id { get; }
    /// <summary>The MAC the device uses now (0 when keyed by address behind a router).</summary>
    public ulong Mac { get; internal set; }
    public bool KeyedByAddress { get; }
    public IReadOnlyList<ulong> Macs => _macs;
    public bool RandomizedMac => Mac != 0 && OuiRegistry.IsLocallyAdministered(Mac);
    public string? Vendor { get; internal set; }
    public string? Group { get; internal set; }
    public string? ClientId { get; internal set; }
    public string? VendorClass { get; internal set; }
    public bool IsRouter { get; internal set; }
    public IReadOnlyList<NetAddress> Addresses => _addresses;
    public IReadOnlyDictionary<DeviceNameSource, string> Names => _names;

    /// <summary>The best name: configured, then DHCP host name, DHCP FQDN, DHCPv6 FQDN, mDNS, NetBIOS.</summary>
    public string? Name { get; private set; }
    public DeviceNameSource? NameSource { get; private set; }

    public long FirstSeenNs { get; internal set; }
    public long LastSeenNs { get; internal set; }
    public long BytesUp { get; internal set; }
    public long BytesDown { get; internal set; }
    public long PacketsUp { get; internal set; }
    public long PacketsDown { get; internal set; }
    /// <summary>Flows this device took part in (counted once, at their first record).</summary>
    public long Flows { get; internal set; }
    public int Destinations => _destinations.Count;
    /// <summary>Bytes exchanged per destination country (ISO code), once geolocation knows it.</summary>
    public IReadOnlyDictionary<string, long> Countries => _countries;

    internal void Seen(long ns)
    {
        if (ns < FirstSeenNs || FirstSeenNs == 0) FirstSeenNs = ns;
        if (ns > LastSeenNs) LastSeenNs = ns;
    }

    internal bool AddAddress(NetAddress address)
    {
        if (address.IsNone || address.IsUnspecified || _addresses.Contains(address)) return false;
        if (_addresses.Count >= MaxAddresses) _addresses.RemoveAt(0);
        _addresses.Add(address);
        return true;
    }

    internal void AddMac(ulong mac)
    {
        if (mac == 0) return;
        Mac = mac;
        if (!_macs.Contains(mac)) _macs.Add(mac);
    }

    internal void SetName(DeviceNameSource source, string name)
    {
        if (string.IsNullOrWhiteSpace(name)) return;
        _names[source] = name;
        foreach (var s in Enum.GetValues<DeviceNameSource>())
        {
            if (_names.TryGetValue(s, out var best))
            {
                Name = best;
                NameSource = s;
                return;
            }
        }
    }

    internal void AddDestination(NetAddress remote)
    {
        if (_destinations.Count < MaxDestinations) _destinations.Add(remote);
    }

    internal void AddCountry(string country, long bytes)
    {
        _countries[country] = _countries.GetValueOrDefault(country) + bytes;
    }

    /// <summary>Takes over another device's history (the same device seen under a new random MAC).</summary>
    internal void Absorb(Device other)
    {
        foreach (var mac in other._macs) if (!_macs.Contains(mac)) _macs.Add(mac);
        foreach (var a in other._addresses) AddAddress(a);
        foreach (var (source, name) in other._names) if (!_names.ContainsKey(source)) SetName(source, name);
        foreach (var d in other._destinations) AddDestination(d);
        foreach (var (c, b) in other._countries) AddCountry(c, b);
        if (other.FirstSeenNs != 0) Seen(other.FirstSeenNs);
        Seen(other.LastSeenNs);
        BytesUp += other.BytesUp;
        BytesDown += other.BytesDown;
        PacketsUp += other.PacketsUp;
        PacketsDown += other.PacketsDown;
        Flows += other.Flows;
        ClientId ??= other.ClientId;
        VendorClass ??= other.VendorClass;
    }
}
