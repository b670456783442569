using System.Buffers.Binary;

namespace TapSensor.Core.Discovery;

/// <summary>
/// Address bindings from the link layer: ARP (RFC 826) for IPv4 and neighbour discovery (RFC 4861) for
/// IPv6. Each gives "this MAC holds this address", which is how a device's addresses are learned even
/// before it talks to the internet.
/// </summary>
public static class LinkMessages
{
    /// <summary>Length of an Ethernet/IPv4 ARP message.</summary>
    public const int ArpLength = 28;

    public const byte RouterSolicitation = 133;
    public const byte RouterAdvertisement = 134;
    public const byte NeighborSolicitation = 135;
    public const byte NeighborAdvertisement = 136;

    /// <summary>
    /// Reads an ARP request or reply of Ethernet and IPv4: the sender's MAC and address. A probe
    /// (sender address 0.0.0.0, RFC 5227) binds nothing.
    /// </summary>
    public static DiscoveryParse TryParseArp(ReadOnlySpan<byte> arp, out ulong senderMac, out NetAddress senderAddress)
    {
        senderMac = 0;
        senderAddress = default;
        if (arp.Length < ArpLength) return DiscoveryParse.Truncated;
        if (BinaryPrimitives.ReadUInt16BigEndian(arp) != 1 || BinaryPrimitives.ReadUInt16BigEndian(arp[2..]) != 0x0800
            || arp[4] != 6 || arp[5] != 4)
            return DiscoveryParse.Ignored;
        int op = BinaryPrimitives.ReadUInt16BigEndian(arp[6..]);
        if (op is not (1 or 2)) return DiscoveryParse.Ignored;
        senderMac = Mac(arp[8..]);
        uint ip = BinaryPrimitives.ReadUInt32BigEndian(arp[14..]);
        if (ip == 0 || senderMac == 0) return DiscoveryParse.Ignored;
        senderAddress = NetAddress.FromIPv4(ip);
        return DiscoveryParse.Ok;
    }

    /// <summary>
    /// Reads the binding a neighbour-discovery message announces. <paramref name="body"/> starts after the
    /// 8-byte ICMPv6 header. Solicitations bind the sender's address to its source link-layer option;
    /// advertisements bind the target address to the target link-layer option (or to the frame's source MAC
    /// when the option is absent); router advertisements mark their sender as a router.
    /// </summary>
    public static DiscoveryParse TryParseNdp(byte type, ReadOnlySpan<byte> body, NetAddress source, ulong frameSourceMac,
        out ulong mac, out NetAddress address, out bool isRouter)
    {
        mac = 0;
        address = default;
        isRouter = false;
        int optionsAt;
        byte wanted;
        switch (type)
        {
            case RouterSolicitation: optionsAt = 0; wanted = 1; address = source; break;
            case RouterAdvertisement: optionsAt = 8; wanted = 1; address = source; isRouter = true; break;
            case NeighborSolicitation: optionsAt = 16; wanted = 1; address = source; break;
            case NeighborAdvertisement:
                if (body.Length < 16) return DiscoveryParse.Truncated;
                optionsAt = 16;
                wanted = 2;
                address = NetAddress.FromIPv6(body[..16]);
                break;
            default: return DiscoveryParse.Ignored;
        }
        if (body.Length < optionsAt) return DiscoveryParse.Truncated;
        var options = body[optionsAt..];
        for (int o = 0, n = 0; o + 2 <= options.Length && n < 32; n++)
        {
            int len = options[o + 1] * 8;
            if (len == 0) return DiscoveryParse.Malformed; // RFC 4861 §4.6: a zero length must be discarded
            if (o + len > options.Length) return DiscoveryParse.Truncated;
            if (options[o] == wanted && len >= 8) mac = Mac(options[(o + 2)..]);
            o += len;
        }
        if (mac == 0 && type == NeighborAdvertisement) mac = frameSourceMac;
        if (mac == 0 || address.IsUnspecified) return DiscoveryParse.Ignored;
        return DiscoveryParse.Ok;
    }

    private static ulong Mac(ReadOnlySpan<byte> b) =>
        ((ulong)BinaryPrimitives.ReadUInt32BigEndian(b) << 16) | BinaryPrimitives.ReadUInt16BigEndian(b[4..]);
}
