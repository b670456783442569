namespace TapSensor.Core.Discovery;

public enum ObservationKind : byte
{
    /// <summary>A MAC holds an address (ARP, NDP, a DHCP lease).</summary>
    Binding,
    /// <summary>A device says what it is called (DHCP, DHCPv6, mDNS, NetBIOS).</summary>
    DeviceName,
    /// <summary>A device's resolver answered: these addresses are the name the device asked for.</summary>
    DnsAnswer,
    /// <summary>A router advertisement: this MAC is a router.</summary>
    Router,
}

/// <summary>Where a device's name came from, best first (the order is the precedence).</summary>
public enum DeviceNameSource : byte
{
    Config,
    DhcpHostname,
    DhcpFqdn,
    Dhcpv6Fqdn,
    Mdns,
    Netbios,
}

public static class DeviceNameSources
{
    public static string Name(DeviceNameSource source) => source switch
    {
        DeviceNameSource.Config => "config",
        DeviceNameSource.DhcpHostname => "dhcp",
        DeviceNameSource.DhcpFqdn => "dhcp_fqdn",
        DeviceNameSource.Dhcpv6Fqdn => "dhcpv6_fqdn",
        DeviceNameSource.Mdns => "mdns",
        DeviceNameSource.Netbios => "netbios",
        _ => "unknown",
    };
}

/// <summary>
/// Something a flow worker learned about the household from a discovery packet. Made only for packets that
/// carry names or bindings, and consumed by the aggregator, which owns the devices and the DNS cache. A value
/// carried in the worker's pooled record chunk, so making one allocates nothing.
/// </summary>
public readonly struct Observation
{
    public ObservationKind Kind { get; init; }
    public long TimestampNs { get; init; }
    /// <summary>The device's MAC, 0 when the packet does not show it.</summary>
    public ulong Mac { get; init; }
    /// <summary>The device's address (for a DNS answer: the client that asked).</summary>
    public NetAddress Address { get; init; }
    /// <summary>Device name, or for a DNS answer the name the client asked for.</summary>
    public string? Name { get; init; }
    public DeviceNameSource NameSource { get; init; }
    /// <summary>DHCP client identifier (option 61) or DHCPv6 DUID, as hex: survives a new random MAC.</summary>
    public string? ClientId { get; init; }
    public string? VendorClass { get; init; }
    /// <summary>
    /// DNS answers: each address the question resolved to, with its TTL in seconds. From a worker, the memory is
    /// its record chunk's and is reused once the aggregator has applied the observation: copy what must outlive it.
    /// </summary>
    public ReadOnlyMemory<(NetAddress Address, uint TtlSeconds)> Answers { get; init; }
}

/// <summary>Where a worker puts the observations it makes (its record chunk).</summary>
public interface IObservationWriter
{
    /// <summary>Adds an observation; a DNS answer's addresses come as <paramref name="answers"/> and are copied.</summary>
    void Write(in Observation observation, ReadOnlySpan<(NetAddress Address, uint TtlSeconds)> answers = default);
}
