using TapSensor.Core.Discovery;
using TapSensor.Core.Flows;
using TapSensor.Core.Packets;

namespace TapSensor.Core.Devices;

/// <summary>What the household's records and observations add up to, counted by the aggregator.</summary>
public sealed class HouseholdCounters
{
    public long Observations;
    public long Bindings;
    public long DeviceNames;
    public long DnsAnswers;
    public long DnsAddresses;
    public long RecordsNamedByDns;
    public long RecordsNamedByPayload;
    public long RecordsLocated;
    public long DevicesMerged;
    public long DevicesNotTracked;
}

/// <summary>
/// The household as the sensor knows it: its devices (found, keyed, named, counted) and the names their
/// DNS answers gave to addresses. It runs on the aggregator thread: observations from the workers come in,
/// and each flow record is enriched with its device, its remote end's name, service and location before any
/// sink sees it. Nothing here looks anything up over the network.
/// </summary>
public sealed class Household : IFlowRecordEnricher
{
    private readonly HouseholdOptions _options;
    private readonly LanPrefixes _lan;
    private readonly OuiRegistry _vendors;
    private readonly IRemoteLocator? _locator;
    private readonly DnsNameCache _dns;
    private readonly List<Device> _devices = [];
    private readonly Dictionary<ulong, Device> _byMac = [];
    private readonly Dictionary<NetAddress, Device> _byAddressKey = [];
    /// <summary>Which device holds an address now (bindings and traffic), whatever the device is keyed by.</summary>
    private readonly Dictionary<NetAddress, Device> _holder = [];
    private readonly Dictionary<ulong, HashSet<uint>> _lanV4PerMac = [];
    private readonly HashSet<ulong> _routerMacs = [];
    private readonly HashSet<ulong> _gatewayMacs = [];
    private readonly Dictionary<NetAddress, (DeviceNameSource Source, string Name)> _pendingNames = [];
    private readonly Dictionary<ulong, DeviceAlias> _aliasByMac = [];
    private readonly Dictionary<NetAddress, DeviceAlias> _aliasByAddress = [];
    private readonly Dictionary<string, long> _destinationBytes = new(StringComparer.Ordinal);

    public Household(HouseholdOptions options, OuiRegistry? vendors = null, IRemoteLocator? locator = null)
    {
        _options = options;
        _lan = options.LanPrefixes is { Length: > 0 } p ? new LanPrefixes(p) : LanPrefixes.Default;
        _vendors = vendors ?? OuiRegistry.Empty;
        _locator = locator;
        _dns = new DnsNameCache(options.DnsCacheEntries, options.DnsGrace);
        foreach (var alias in options.Devices)
        {
            if (alias.Match is null || !DeviceAlias.TryParseMatch(alias.Match, out ulong mac, out var address)) continue;
            if (mac != 0) _aliasByMac[mac] = alias;
            else if (address is not null) _aliasByAddress[NetAddress.From(address)] = alias;
        }
    }

    public LanPrefixes Lan => _lan;
    public HouseholdCounters Counters { get; } = new();
    public IReadOnlyList<Device> Devices => _devices;
    public int DnsCacheEntries => _dns.Count;

    /// <summary>Raised once per MAC found to be a router with devices behind it (they are keyed by address from then on).</summary>
    public event Action<ulong, int>? RouterDetected;

    /// <summary>Bytes per destination name (either direction), for the summary's top destinations.</summary>
    public IReadOnlyDictionary<string, long> DestinationBytes => _destinationBytes;

    public void Observe(in Observation o)
    {
        Counters.Observations++;
        switch (o.Kind)
        {
            case ObservationKind.Binding:
                Counters.Bindings++;
                if (o.Mac != 0 && _lan.Contains(o.Address)) Bind(DeviceFor(o.Mac, o.Address, o.TimestampNs), o.Address, o.TimestampNs);
                break;
            case ObservationKind.Router:
                if (o.Mac != 0 && DeviceFor(o.Mac, o.Address, o.TimestampNs) is { } router) router.IsRouter = true;
                break;
            case ObservationKind.DeviceName:
                Counters.DeviceNames++;
                OnDeviceName(o);
                break;
            case ObservationKind.DnsAnswer:
                Counters.DnsAnswers++;
                OnDnsAnswer(o);
                break;
        }
    }

    public void Enrich(Span<FlowRecord> records)
    {
        for (int i = 0; i < records.Length; i++) Enrich(ref records[i]);
    }

    public void Enrich(ref FlowRecord r)
    {
        byte family = r.Key.Family;
        bool origLan = _lan.Contains(r.OrigHi, r.OrigLo, family);
        bool respLan = _lan.Contains(r.RespHi, r.RespLo, family);
        if (origLan != respLan)
        {
            // The MAC on the world's side of a LAN device's flow is a gateway's.
            ulong worldMac = origLan ? r.RespMac : r.OrigMac;
            if (worldMac != 0 && !OuiRegistry.IsGroup(worldMac)) _gatewayMacs.Add(worldMac);
        }
        else if (!origLan)
        {
            // Neither address is in the LAN prefixes (a household's global IPv6 addresses, unless configured):
            // an end whose MAC is a known household device, not a gateway, is that device.
            origLan = IsDeviceMac(r.OrigMac);
            respLan = !origLan && IsDeviceMac(r.RespMac);
        }
        r.Local = origLan && respLan;
        r.DeviceIsOrig = origLan || !respLan;
        if (origLan || respLan)
        {
            bool orig = origLan;
            var local = new NetAddress(orig ? r.OrigHi : r.RespHi, orig ? r.OrigLo : r.RespLo, family);
            r.Device = DeviceFor(orig ? r.OrigMac : r.RespMac, local, r.FirstNs, fromTraffic: true);
        }

        var remote = new NetAddress(r.RemoteHi, r.RemoteLo, family);
        var device = r.Device;
        if (r.RemoteName is null)
        {
            string? name = _dns.Lookup(device, remote, r.FirstNs, r.LastNs);
            if (name is not null)
            {
                r.RemoteName = name;
                r.RemoteNameSource = RemoteNameSource.Dns;
                Counters.RecordsNamedByDns++;
            }
        }
        else if (r.Sequence == 0 && r.IsFinal)
        {
            Counters.RecordsNamedByPayload++;
        }

        ushort serverPort = r.RemoteIsOrig ? r.OrigPort : r.RespPort;
        r.Service = ServiceLabels.For(r.App, r.Key.Protocol, serverPort);
        if (!r.Local && _locator is not null)
        {
            r.Location = _locator.Locate(remote.Hi, remote.Lo, family);
            if (r.Location is not null) Counters.RecordsLocated++;
        }

        long up = r.DeviceIsOrig ? r.DeltaOrigIpBytes : r.DeltaRespIpBytes;
        long down = r.DeviceIsOrig ? r.DeltaRespIpBytes : r.DeltaOrigIpBytes;
        if (r.RemoteName is not null) _destinationBytes[r.RemoteName] = _destinationBytes.GetValueOrDefault(r.RemoteName) + up + down;
        if (device is null) return;

        device.Seen(r.FirstNs);
        device.Seen(r.LastNs);
        device.BytesUp += up;
        device.BytesDown += down;
        device.PacketsUp += r.DeviceIsOrig ? r.DeltaOrigPkts : r.DeltaRespPkts;
        device.PacketsDown += r.DeviceIsOrig ? r.DeltaRespPkts : r.DeltaOrigPkts;
        if (r.IsFinal && r.Sequence == 0) device.Flows++;
        device.AddDestination(remote);
        if (r.Location?.CountryCode is { } country) device.AddCountry(country, up + down);
    }

    private bool IsDeviceMac(ulong mac) =>
        mac != 0 && _byMac.ContainsKey(mac) && !_gatewayMacs.Contains(mac) && !_routerMacs.Contains(mac);

    /// <summary>
    /// The device at one end of a flow or observation: by MAC on the segment, or by address when the MAC
    /// is missing, a group address, or a router's. Creates it on first sight.
    /// </summary>
    private Device? DeviceFor(ulong mac, NetAddress address, long ns, bool fromTraffic = false)
    {
        bool byAddress = mac == 0 || OuiRegistry.IsGroup(mac) || _routerMacs.Contains(mac);
        Device? device;
        if (!byAddress)
        {
            if (fromTraffic && address.IsIPv4 && _lan.Contains(address) && CountsAsRouter(mac, address))
                return DeviceFor(0, address, ns, fromTraffic);
            if (!_byMac.TryGetValue(mac, out device))
            {
                device = Create(MacAddress.ToText(mac), mac, keyedByAddress: false, ns);
                if (device is null) return null;
                _byMac[mac] = device;
            }
        }
        else
        {
            if (address.IsNone || address.IsUnspecified) return null;
            if (!_byAddressKey.TryGetValue(address, out device))
            {
                // A binding may already tie the address to a MAC-keyed device (ARP from behind no router).
                if (mac == 0 && _holder.TryGetValue(address, out var holder) && !holder.KeyedByAddress && !_routerMacs.Contains(holder.Mac))
                    device = holder;
                else
                {
                    device = Create(address.ToString(), 0, keyedByAddress: true, ns);
                    if (device is null) return null;
                    _byAddressKey[address] = device;
                }
            }
        }
        if (fromTraffic) Bind(device, address, ns);
        else device.Seen(ns);
        return device;
    }

    private Device? Create(string id, ulong mac, bool keyedByAddress, long ns)
    {
        if (_devices.Count >= _options.MaxDevices)
        {
            Counters.DevicesNotTracked++;
            return null;
        }
        var device = new Device(id, mac, keyedByAddress, ns) { Vendor = mac == 0 ? null : _vendors.Lookup(mac) };
        if (mac != 0 && _aliasByMac.TryGetValue(mac, out var alias)) ApplyAlias(device, alias);
        _devices.Add(device);
        return device;
    }

    private static void ApplyAlias(Device device, DeviceAlias alias)
    {
        if (alias.Name is not null) device.SetName(DeviceNameSource.Config, alias.Name);
        if (alias.Group is not null) device.Group = alias.Group;
    }

    /// <summary>
    /// Counts the LAN IPv4 addresses a MAC sends from; at the threshold the MAC is a router's and the
    /// devices behind it are keyed by address from then on.
    /// </summary>
    private bool CountsAsRouter(ulong mac, NetAddress address)
    {
        if (!_lanV4PerMac.TryGetValue(mac, out var set)) _lanV4PerMac[mac] = set = [];
        if (set.Count >= _options.RouterAddressThreshold) return false; // counted before; not a router
        if (!set.Add(address.V4) || set.Count < _options.RouterAddressThreshold) return false;
        _routerMacs.Add(mac);
        if (_byMac.TryGetValue(mac, out var router)) router.IsRouter = true;
        RouterDetected?.Invoke(mac, set.Count);
        return true;
    }

    private void Bind(Device? device, NetAddress address, long ns)
    {
        if (device is null) return;
        device.Seen(ns);
        if (!device.AddAddress(address)) return;
        _holder[address] = device;
        if (_aliasByAddress.TryGetValue(address, out var alias)) ApplyAlias(device, alias);
        if (_pendingNames.Remove(address, out var pending)) device.SetName(pending.Source, pending.Name);
    }

    private void OnDeviceName(in Observation o)
    {
        if (o.Name is null) return;
        if (o.Mac == 0)
        {
            // Only the address is known (an mDNS record for another host, a NetBIOS answer): name whoever holds it.
            if (_holder.TryGetValue(o.Address, out var holder)) holder.SetName(o.NameSource, o.Name);
            else if (_lan.Contains(o.Address)) _pendingNames[o.Address] = (o.NameSource, o.Name);
            return;
        }

        Reidentify(o);
        var device = DeviceFor(o.Mac, o.Address, o.TimestampNs);
        if (device is null) return;
        device.SetName(o.NameSource, o.Name);
        if (o.ClientId is not null) device.ClientId = o.ClientId;
        if (o.VendorClass is not null) device.VendorClass = o.VendorClass;
        if (!o.Address.IsNone && !o.Address.IsUnspecified && _lan.Contains(o.Address)) Bind(device, o.Address, o.TimestampNs);
    }

    /// <summary>
    /// A device back under a new random MAC keeps its identity when its DHCP client identifier matches, or
    /// when its DHCP host name matches that of another device whose MAC was random too.
    /// </summary>
    private void Reidentify(in Observation o)
    {
        if (o.NameSource is not (DeviceNameSource.DhcpHostname or DeviceNameSource.DhcpFqdn or DeviceNameSource.Dhcpv6Fqdn)) return;
        if (!OuiRegistry.IsLocallyAdministered(o.Mac)) return;
        _byMac.TryGetValue(o.Mac, out var current);
        Device? earlier = null;
        foreach (var d in _devices)
        {
            if (ReferenceEquals(d, current) || d.KeyedByAddress || d.Macs.Contains(o.Mac)) continue;
            bool sameClient = o.ClientId is not null && d.ClientId == o.ClientId;
            bool sameName = d.RandomizedMac && d.Names.TryGetValue(o.NameSource, out var n)
                && string.Equals(n, o.Name, StringComparison.OrdinalIgnoreCase);
            if (sameClient || sameName) { earlier = d; break; }
        }
        if (earlier is null) return;

        earlier.AddMac(o.Mac);
        _byMac[o.Mac] = earlier;
        if (current is not null)
        {
            earlier.Absorb(current);
            _devices.Remove(current);
            _dns.Rekey(current, earlier);
            foreach (var a in current.Addresses) _holder[a] = earlier;
            Counters.DevicesMerged++;
        }
    }

    private void OnDnsAnswer(in Observation o)
    {
        if (o.Name is null || o.Answers.IsEmpty) return;
        // The asking device, when it is on the LAN (a capture may also see the router's own upstream lookups).
        Device? client = _lan.Contains(o.Address) ? DeviceFor(o.Mac, o.Address, o.TimestampNs) : null;
        Bind(client, o.Address, o.TimestampNs);
        foreach (var (address, ttl) in o.Answers.Span)
        {
            _dns.Learn(client, address, o.Name, ttl, o.TimestampNs);
            Counters.DnsAddresses++;
        }
    }

}

/// <summary>The aggregator's step between the workers and the sinks: learn from observations, enrich records.</summary>
public interface IFlowRecordEnricher
{
    void Observe(in Observation observation);
    void Enrich(Span<FlowRecord> records);
}
