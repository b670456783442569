using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace TapSensor.Geo;

/// <summary>
/// Classifies addresses by the IANA IPv4 and IPv6 special-purpose address registries (RFC 6890, updated by
/// RFC 8190). Addresses come as TapSensor's flow key holds them: 16 bytes as two big-endian halves, IPv4 in the
/// IPv4-mapped form ::ffff:a.b.c.d (RFC 4291 §2.5.5.2). No allocation, no branches on anything but the address.
/// </summary>
public static class AddressClassifier
{
    /// <summary>High 32 bits of the low half of an IPv4-mapped address (::ffff:0:0/96).</summary>
    private const ulong V4MappedTag = 0x0000_FFFFUL;

    /// <summary>NAT64 well-known prefix 64:ff9b::/96 (RFC 6052 §2.1): the low 32 bits are an IPv4 address.</summary>
    private const ulong Nat64Hi = 0x0064_FF9B_0000_0000UL;

    public static AddressClass Classify(IPAddress a)
    {
        ArgumentNullException.ThrowIfNull(a);
        if (a.AddressFamily == AddressFamily.InterNetwork)
        {
            Span<byte> v4 = stackalloc byte[4];
            a.TryWriteBytes(v4, out _);
            return ClassifyV4(BinaryPrimitives.ReadUInt32BigEndian(v4));
        }
        Span<byte> b = stackalloc byte[16];
        a.TryWriteBytes(b, out _);
        return Classify(BinaryPrimitives.ReadUInt64BigEndian(b), BinaryPrimitives.ReadUInt64BigEndian(b[8..]), 6);
    }

    /// <summary>Classifies an address held as (hi, lo) with family 4 or 6; IPv4-mapped IPv6 follows the IPv4 rules.</summary>
    public static AddressClass Classify(ulong hi, ulong lo, byte family)
    {
        if (family == 4) return ClassifyV4((uint)lo);
        if (hi == 0 && lo >> 32 == V4MappedTag) return ClassifyV4((uint)lo);
        return ClassifyV6(hi, lo);
    }

    /// <summary>IPv4 by the first octets; the value is the address as a big-endian number (1.2.3.4 = 0x01020304).</summary>
    public static AddressClass ClassifyV4(uint a)
    {
        uint o1 = a >> 24;
        uint o2 = (a >> 16) & 0xFF;
        switch (o1)
        {
            case 0: return a == 0 ? AddressClass.Unspecified : AddressClass.Reserved; // "this network", RFC 1122 §3.2.1.3
            case 10: return AddressClass.Private;                                       // RFC 1918
            case 100 when (o2 & 0xC0) == 64: return AddressClass.Cgnat;                // 100.64.0.0/10, RFC 6598
            case 127: return AddressClass.Loopback;                                     // RFC 1122 §3.2.1.3
            case 169 when o2 == 254: return AddressClass.LinkLocal;                     // RFC 3927
            case 172 when (o2 & 0xF0) == 16: return AddressClass.Private;              // 172.16.0.0/12
            case 192:
                if (o2 == 168) return AddressClass.Private;                             // 192.168.0.0/16
                if ((a & 0xFFFF_FF00) == 0xC000_0000) return AddressClass.Reserved;    // 192.0.0.0/24, RFC 6890 §2.2.2
                if ((a & 0xFFFF_FF00) == 0xC000_0200) return AddressClass.Documentation; // 192.0.2.0/24 TEST-NET-1, RFC 5737
                return AddressClass.Public;
            case 198:
                if ((o2 & 0xFE) == 18) return AddressClass.Benchmarking;               // 198.18.0.0/15, RFC 2544
                if ((a & 0xFFFF_FF00) == 0xC633_6400) return AddressClass.Documentation; // 198.51.100.0/24 TEST-NET-2
                return AddressClass.Public;
            case 203 when (a & 0xFFFF_FF00) == 0xCB00_7100: return AddressClass.Documentation; // 203.0.113.0/24 TEST-NET-3
        }
        if (o1 >= 224 && o1 <= 239) return AddressClass.Multicast;                     // 224.0.0.0/4, RFC 5771
        if (o1 >= 240) return a == 0xFFFF_FFFF ? AddressClass.Broadcast : AddressClass.Reserved; // RFC 919; 240/4 RFC 1112 §4
        return AddressClass.Public;
    }

    private static AddressClass ClassifyV6(ulong hi, ulong lo)
    {
        uint top16 = (uint)(hi >> 48);
        if (hi == 0)
        {
            if (lo == 0) return AddressClass.Unspecified;   // ::/128
            if (lo == 1) return AddressClass.Loopback;      // ::1/128
            return AddressClass.Reserved;                   // IPv4-compatible ::/96 (deprecated, RFC 4291 §2.5.5.1) and the rest of ::/8
        }
        if (hi == Nat64Hi && lo >> 32 == 0) return ClassifyV4((uint)lo); // 64:ff9b::/96 carries an IPv4 address
        if (hi >> 16 == 0x0064_FF9B_0001UL) return AddressClass.Private; // 64:ff9b:1::/48, RFC 8215
        if ((top16 & 0xE000) == 0x2000)                     // 2000::/3 global unicast, RFC 4291 §2.4
        {
            if (hi >> 32 == 0x2001_0DB8UL) return AddressClass.Documentation; // 2001:db8::/32, RFC 3849
            if (hi >> 44 == 0x3_FFF0UL) return AddressClass.Documentation; // 3fff::/20, RFC 9637
            if (hi >> 16 == 0x2001_0002_0000UL) return AddressClass.Benchmarking; // 2001:2::/48, RFC 5180
            if (hi >> 36 == 0x2001_001UL) return AddressClass.Reserved;      // 2001:10::/28 ORCHID, deprecated (RFC 4843)
            return AddressClass.Public;
        }
        if ((top16 & 0xFE00) == 0xFC00) return AddressClass.UniqueLocal; // fc00::/7, RFC 4193
        if ((top16 & 0xFFC0) == 0xFE80) return AddressClass.LinkLocal;   // fe80::/10
        if ((top16 & 0xFF00) == 0xFF00) return AddressClass.Multicast;   // ff00::/8
        return AddressClass.Reserved;                                    // 100::/64 discard, fec0::/10 site-local, unassigned
    }

    /// <summary>
    /// The address a lookup should use: IPv4 (family 4, or IPv4-mapped, or NAT64 64:ff9b::/96) in the mapped form,
    /// everything else unchanged. Returns whether the result is IPv4.
    /// </summary>
    internal static bool Normalize(ref ulong hi, ref ulong lo, byte family)
    {
        if (family == 4 || (hi == 0 && lo >> 32 == V4MappedTag) || (hi == Nat64Hi && lo >> 32 == 0))
        {
            hi = 0;
            lo = (V4MappedTag << 32) | (uint)lo;
            return true;
        }
        return false;
    }
}
