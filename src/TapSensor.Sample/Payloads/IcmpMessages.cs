using System.Buffers.Binary;
using TapSensor.Sample.Wire;

namespace TapSensor.Sample.Payloads;

/// <summary>
/// ICMP echo (RFC 792, RFC 4443 §4) and IPv6 neighbour discovery (RFC 4861 §4). Checksums are left to
/// <see cref="Frames.Finish"/>.
/// </summary>
internal static class IcmpMessages
{
    public const byte EchoRequestV4 = 8;
    public const byte EchoReplyV4 = 0;
    public const byte EchoRequestV6 = 128;
    public const byte EchoReplyV6 = 129;

    /// <summary>Echo with the 56-byte payload of Linux ping: a timeval, then bytes 0x10, 0x11, ...</summary>
    public static int WriteEcho(Span<byte> p, byte type, ushort identifier, ushort sequence, long sentMicros)
    {
        p[0] = type;
        p[1] = 0;
        BinaryPrimitives.WriteUInt16BigEndian(p[2..], 0);
        BinaryPrimitives.WriteUInt16BigEndian(p[4..], identifier);
        BinaryPrimitives.WriteUInt16BigEndian(p[6..], sequence);
        BinaryPrimitives.WriteInt64LittleEndian(p[8..], sentMicros / 1_000_000);
        BinaryPrimitives.WriteInt64LittleEndian(p[16..], sentMicros % 1_000_000);
        for (int i = 24; i < 64; i++)
            p[i] = (byte)(i - 8);
        return 64;
    }

    /// <summary>Router Solicitation with the source link-layer address option (RFC 4861 §4.1).</summary>
    public static int WriteRouterSolicitation(Span<byte> p, ulong sourceMac)
    {
        p[0] = 133;
        p[1] = 0;
        p[2..8].Clear();
        return 8 + LinkLayerOption(p[8..], 1, sourceMac);
    }

    /// <summary>
    /// Router Advertisement (RFC 4861 §4.2) with the router's link-layer address, the MTU and one on-link,
    /// autonomous /64 prefix (§4.6.2) for SLAAC (RFC 4862).
    /// </summary>
    public static int WriteRouterAdvertisement(Span<byte> p, ulong routerMac, in Ip6 prefix)
    {
        p[0] = 134;
        p[1] = 0;
        BinaryPrimitives.WriteUInt16BigEndian(p[2..], 0);
        p[4] = 64;        // current hop limit
        p[5] = 0x00;      // no DHCPv6 (M and O clear)
        BinaryPrimitives.WriteUInt16BigEndian(p[6..], 1800);
        BinaryPrimitives.WriteUInt32BigEndian(p[8..], 0);
        BinaryPrimitives.WriteUInt32BigEndian(p[12..], 0);
        int o = 16 + LinkLayerOption(p[16..], 1, routerMac);
        p[o] = 5;         // MTU
        p[o + 1] = 1;
        BinaryPrimitives.WriteUInt16BigEndian(p[(o + 2)..], 0);
        BinaryPrimitives.WriteUInt32BigEndian(p[(o + 4)..], 1500);
        o += 8;
        p[o] = 3;         // prefix information
        p[o + 1] = 4;
        p[o + 2] = 64;
        p[o + 3] = 0xC0;  // L and A
        BinaryPrimitives.WriteUInt32BigEndian(p[(o + 4)..], 86_400);
        BinaryPrimitives.WriteUInt32BigEndian(p[(o + 8)..], 14_400);
        BinaryPrimitives.WriteUInt32BigEndian(p[(o + 12)..], 0);
        prefix.Write(p[(o + 16)..]);
        return o + 32;
    }

    /// <summary>Neighbour Solicitation for <paramref name="target"/> with the sender's link-layer address (§4.3).</summary>
    public static int WriteNeighborSolicitation(Span<byte> p, in Ip6 target, ulong sourceMac)
    {
        p[0] = 135;
        p[1] = 0;
        p[2..8].Clear();
        target.Write(p[8..]);
        return 24 + LinkLayerOption(p[24..], 1, sourceMac);
    }

    /// <summary>Solicited, override Neighbour Advertisement with the target link-layer address (§4.4).</summary>
    public static int WriteNeighborAdvertisement(Span<byte> p, in Ip6 target, ulong targetMac)
    {
        p[0] = 136;
        p[1] = 0;
        BinaryPrimitives.WriteUInt16BigEndian(p[2..], 0);
        BinaryPrimitives.WriteUInt32BigEndian(p[4..], 0x6000_0000);
        target.Write(p[8..]);
        return 24 + LinkLayerOption(p[24..], 2, targetMac);
    }

    private static int LinkLayerOption(Span<byte> p, byte type, ulong mac)
    {
        p[0] = type;
        p[1] = 1; // in units of 8 bytes
        Frames.WriteMac(p[2..], mac);
        return 8;
    }
}
