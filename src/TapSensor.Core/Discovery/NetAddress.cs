using System.Buffers.Binary;
using System.Net;
using TapSensor.Core.Flows;

namespace TapSensor.Core.Discovery;

/// <summary>
/// An IPv4 or IPv6 address held the way <see cref="FlowKey"/> holds one: two big-endian halves of the 16 address
/// bytes, IPv4 as ::ffff:a.b.c.d, plus the family (4 or 6; 0 for none). A value type, so maps keyed by address
/// cost no object per key.
/// </summary>
public readonly record struct NetAddress(ulong Hi, ulong Lo, byte Family)
{
    public bool IsNone => Family == 0;
    public bool IsIPv4 => Family == 4;

    public static NetAddress FromIPv4(uint bigEndianValue) => new(0, FlowKey.V4Lo(bigEndianValue), 4);

    public static NetAddress FromIPv6(ReadOnlySpan<byte> bytes16)
    {
        ulong hi = BinaryPrimitives.ReadUInt64BigEndian(bytes16);
        ulong lo = BinaryPrimitives.ReadUInt64BigEndian(bytes16[8..]);
        // An IPv4-mapped IPv6 address is the IPv4 address (the decoder keys IPv4 the same way).
        if (hi == 0 && (lo >> 32) == 0xFFFF) return new NetAddress(0, lo, 4);
        return new NetAddress(hi, lo, 6);
    }

    public static NetAddress From(IPAddress address)
    {
        Span<byte> b = stackalloc byte[16];
        if (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork)
        {
            address.TryWriteBytes(b, out _);
            return FromIPv4(BinaryPrimitives.ReadUInt32BigEndian(b));
        }
        address.TryWriteBytes(b, out _);
        return FromIPv6(b);
    }

    /// <summary>The IPv4 address as a big-endian value (meaningful when <see cref="IsIPv4"/>).</summary>
    public uint V4 => (uint)Lo;

    /// <summary>0.0.0.0 or ::, which a host uses before it has an address (DHCP discover, DAD probes).</summary>
    public bool IsUnspecified => Family == 4 ? (uint)Lo == 0 : Family == 6 && Hi == 0 && Lo == 0;

    public IPAddress ToIPAddress() => FlowKey.ToAddress(Hi, Lo, Family);

    public override string ToString() => Family == 0 ? "" : ToIPAddress().ToString();
}

/// <summary>Outcome of reading one discovery message (DNS, DHCP, NetBIOS, ARP, NDP).</summary>
public enum DiscoveryParse : byte
{
    Ok,
    /// <summary>The message ends before its own lengths say it should (often a snap length).</summary>
    Truncated,
    /// <summary>Lengths or values that cannot be: pointer loops, labels past the end, bad option lengths.</summary>
    Malformed,
    /// <summary>Well formed but nothing for us (a query, an unsupported hardware type).</summary>
    Ignored,
}
