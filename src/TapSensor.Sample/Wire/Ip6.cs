using System.Buffers.Binary;

namespace TapSensor.Sample.Wire;

/// <summary>An IPv6 address as two big-endian halves, written to the wire in network order.</summary>
internal readonly record struct Ip6(ulong Hi, ulong Lo)
{
    public void Write(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt64BigEndian(destination, Hi);
        BinaryPrimitives.WriteUInt64BigEndian(destination[8..], Lo);
    }

    /// <summary>Parses the textual form once while catalogues are built; never on the packet path.</summary>
    public static Ip6 Parse(string text)
    {
        Span<byte> bytes = stackalloc byte[16];
        System.Net.IPAddress.Parse(text).TryWriteBytes(bytes, out _);
        return new Ip6(BinaryPrimitives.ReadUInt64BigEndian(bytes), BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]));
    }

    /// <summary>Modified EUI-64 interface identifier from a MAC (RFC 4291 Appendix A): U/L bit flipped, FFFE inserted.</summary>
    public static ulong Eui64(ulong mac)
    {
        ulong upper = (mac >> 24) ^ 0x020000;
        return (upper << 40) | (0xFFFEUL << 24) | (mac & 0xFFFFFF);
    }

    /// <summary>Solicited-node multicast address ff02::1:ffXX:XXXX for an address (RFC 4291 §2.7.1).</summary>
    public Ip6 SolicitedNode() => new(0xFF02_0000_0000_0000UL, 0x0000_0001_FF00_0000UL | (Lo & 0xFF_FFFF));

    /// <summary>Ethernet multicast MAC 33:33 + the low 32 bits of an IPv6 multicast address (RFC 2464 §7).</summary>
    public ulong MulticastMac() => 0x3333_0000_0000UL | (Lo & 0xFFFF_FFFF);
}
