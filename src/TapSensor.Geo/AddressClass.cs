namespace TapSensor.Geo;

/// <summary>
/// What kind of address an IP is, after the IANA special-purpose address registries (RFC 6890 and its updates).
/// Only <see cref="Public"/> addresses are looked up; every other class stays in the house or means nothing
/// outside one network.
/// </summary>
public enum AddressClass
{
    /// <summary>Globally routed unicast: the only class that is looked up.</summary>
    Public = 0,
    /// <summary>RFC 1918 (10/8, 172.16/12, 192.168/16) and the NAT64 local-use prefix 64:ff9b:1::/48 (RFC 8215).</summary>
    Private,
    /// <summary>127/8, ::1.</summary>
    Loopback,
    /// <summary>169.254/16 (RFC 3927), fe80::/10 (RFC 4291 §2.5.6).</summary>
    LinkLocal,
    /// <summary>224/4, ff00::/8.</summary>
    Multicast,
    /// <summary>255.255.255.255 (RFC 919).</summary>
    Broadcast,
    /// <summary>Shared address space 100.64/10 behind carrier-grade NAT (RFC 6598).</summary>
    Cgnat,
    /// <summary>192.0.2/24, 198.51.100/24, 203.0.113/24 (RFC 5737), 2001:db8::/32 (RFC 3849), 3fff::/20 (RFC 9637).</summary>
    Documentation,
    /// <summary>0.0.0.0 and ::.</summary>
    Unspecified,
    /// <summary>Everything else that is not global unicast: the rest of 0/8, 192.0.0/24, 240/4, IPv6 outside 2000::/3, ...</summary>
    Reserved,
    /// <summary>fc00::/7 (RFC 4193).</summary>
    UniqueLocal,
    /// <summary>198.18/15 (RFC 2544), 2001:2::/48 (RFC 5180).</summary>
    Benchmarking,
}
