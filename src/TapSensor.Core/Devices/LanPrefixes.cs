using System.Net;
using System.Net.Sockets;
using TapSensor.Core.Discovery;

namespace TapSensor.Core.Devices;

/// <summary>
/// The household's own address space: which end of a flow is a device and which is the world. Defaults to
/// the private and local ranges a home network uses: RFC 1918, CGNAT (RFC 6598, where a provider puts the
/// household behind its own NAT), IPv4 link-local, IPv6 unique-local and link-local. A household's public
/// IPv6 prefix is global, so it must be configured to count as LAN.
/// </summary>
public sealed class LanPrefixes
{
    public static readonly IReadOnlyList<string> Defaults =
        ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "169.254.0.0/16", "fc00::/7", "fe80::/10"];

    private readonly (ulong Hi, ulong Lo, ulong MaskHi, ulong MaskLo, byte Family)[] _prefixes;

    public LanPrefixes(IEnumerable<string> prefixes)
    {
        var list = new List<(ulong, ulong, ulong, ulong, byte)>();
        foreach (var text in prefixes)
        {
            if (!TryParse(text, out var p)) throw new FormatException($"not an address prefix: '{text}'");
            list.Add(p);
        }
        _prefixes = [.. list];
        Texts = [.. prefixes];
    }

    public IReadOnlyList<string> Texts { get; }

    public static LanPrefixes Default { get; } = new(Defaults);

    /// <summary>Checks a configured prefix: an address and a length in range, e.g. 192.168.1.0/24 or 2001:db8:1::/48.</summary>
    public static bool IsValid(string text) => TryParse(text, out _);

    public bool Contains(ulong hi, ulong lo, byte family)
    {
        foreach (var p in _prefixes)
        {
            if (p.Family == family && (hi & p.MaskHi) == p.Hi && (lo & p.MaskLo) == p.Lo) return true;
        }
        return false;
    }

    public bool Contains(NetAddress a) => Contains(a.Hi, a.Lo, a.Family);

    private static bool TryParse(string text, out (ulong Hi, ulong Lo, ulong MaskHi, ulong MaskLo, byte Family) prefix)
    {
        prefix = default;
        int slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || !IPAddress.TryParse(text.AsSpan(0, slash), out var address)) return false;
        if (!int.TryParse(text.AsSpan(slash + 1), out int length)) return false;
        var a = NetAddress.From(address);
        bool v4 = address.AddressFamily == AddressFamily.InterNetwork;
        if (length < 0 || length > (v4 ? 32 : 128)) return false;
        // IPv4 prefixes apply to the low 32 bits of the mapped form; the mapped prefix itself is always matched.
        int bits = v4 ? 96 + length : length;
        ulong maskHi = bits >= 64 ? ulong.MaxValue : bits == 0 ? 0 : ulong.MaxValue << (64 - bits);
        int lowBits = bits - 64;
        ulong maskLo = lowBits <= 0 ? 0 : lowBits >= 64 ? ulong.MaxValue : ulong.MaxValue << (64 - lowBits);
        prefix = (a.Hi & maskHi, a.Lo & maskLo, maskHi, maskLo, a.Family);
        return true;
    }
}
