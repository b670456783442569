using System.Globalization;
using System.Net;

namespace TapSensor.Core.Devices;

/// <summary>The household's address space, the user's own device names, and the bounds of what is remembered.</summary>
public sealed class HouseholdOptions
{
    public const string Section = "Household";

    /// <summary>LAN prefixes; null means <see cref="Devices.LanPrefixes.Defaults"/>.</summary>
    public string[]? LanPrefixes { get; set; }

    /// <summary>The user's names for devices, by MAC or address; these win over anything learned.</summary>
    public List<DeviceAlias> Devices { get; set; } = [];

    /// <summary>Devices remembered at most; past it, new ones are counted but not tracked.</summary>
    public int MaxDevices { get; set; } = 4096;

    /// <summary>DNS answers remembered at most (per device and household-wide together).</summary>
    public int DnsCacheEntries { get; set; } = 200_000;

    /// <summary>
    /// How long past its TTL an answer still names flows: devices keep using an address after the TTL
    /// (connection reuse, caches that ignore TTLs), and a later flow to it is still that name's traffic.
    /// </summary>
    public TimeSpan DnsGrace { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// A MAC that carries this many distinct LAN IPv4 addresses is a router between the sensor and the
    /// devices (a mirrored uplink, a capture on the router): devices behind it are keyed by address.
    /// </summary>
    public int RouterAddressThreshold { get; set; } = 4;

    public IEnumerable<string> Validate()
    {
        foreach (var p in LanPrefixes ?? [])
        {
            if (!TapSensor.Core.Devices.LanPrefixes.IsValid(p)) yield return $"Household:LanPrefixes: '{p}' is not an address prefix such as 192.168.1.0/24";
        }
        for (int i = 0; i < Devices.Count; i++)
        {
            var d = Devices[i];
            if (string.IsNullOrWhiteSpace(d.Name))
                yield return $"Household:Devices:{i}:Name is required";
            if (d.Match is null || !DeviceAlias.TryParseMatch(d.Match, out _, out _))
                yield return $"Household:Devices:{i}:Match must be a MAC (aa:bb:cc:dd:ee:ff) or an IP address; got '{d.Match}'";
        }
        if (MaxDevices < 1) yield return $"Household:MaxDevices must be at least 1; got {MaxDevices}";
        if (DnsCacheEntries < 16) yield return $"Household:DnsCacheEntries must be at least 16; got {DnsCacheEntries}";
        if (DnsGrace < TimeSpan.Zero) yield return $"Household:DnsGrace must not be negative; got {DnsGrace}";
        if (RouterAddressThreshold < 2) yield return $"Household:RouterAddressThreshold must be at least 2; got {RouterAddressThreshold}";
    }
}

/// <summary>A user's name for one device: <c>{ "Match": "aa:bb:cc:dd:ee:ff", "Name": "Anna's iPhone", "Group": "Kids" }</c>.</summary>
public sealed class DeviceAlias
{
    public string? Match { get; set; }
    public string? Name { get; set; }
    public string? Group { get; set; }

    /// <summary>A MAC in colon, hyphen or dot-less hex form, or an IPv4/IPv6 address.</summary>
    public static bool TryParseMatch(string text, out ulong mac, out IPAddress? address)
    {
        mac = 0;
        address = null;
        string hex = text.Replace(":", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal);
        if (hex.Length == 12 && ulong.TryParse(hex, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out mac))
            return true;
        mac = 0;
        return IPAddress.TryParse(text, out address);
    }
}
