using System.Buffers.Binary;

namespace TapSensor.Sample.Wire;

/// <summary>
/// Writes Ethernet, IPv4/IPv6 and TCP/UDP/ICMP headers into a frame buffer. Callers write the headers, then the
/// payload, then call <see cref="Finish"/>, which fills in every length and checksum from the bytes actually
/// written, so a payload writer never has to know its length up front.
/// </summary>
internal static class Frames
{
    public const int EthernetLength = 14;
    public const int Ipv4Length = 20;
    public const int Ipv6Length = 40;
    public const int UdpLength = 8;
    public const int TcpLength = 20;

    /// <summary>Frames shorter than this are padded by the sending NIC (IEEE 802.3 minimum of 64 bytes with FCS).</summary>
    public const int MinimumFrame = 60;

    public const ushort EtherTypeIpv4 = 0x0800;
    public const ushort EtherTypeArp = 0x0806;
    public const ushort EtherTypeIpv6 = 0x86DD;

    public const byte Icmp = 1;
    public const byte Tcp = 6;
    public const byte Udp = 17;
    public const byte Icmpv6 = 58;

    public static void WriteMac(Span<byte> destination, ulong mac)
    {
        BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)(mac >> 32));
        BinaryPrimitives.WriteUInt32BigEndian(destination[2..], (uint)mac);
    }

    public static int Ethernet(Span<byte> frame, ulong destination, ulong source, ushort etherType)
    {
        WriteMac(frame, destination);
        WriteMac(frame[6..], source);
        BinaryPrimitives.WriteUInt16BigEndian(frame[12..], etherType);
        return EthernetLength;
    }

    /// <summary>IPv4 header without options (RFC 791 §3.1); total length and checksum come from <see cref="Finish"/>.</summary>
    public static int Ipv4Header(Span<byte> frame, uint source, uint destination, byte protocol, ushort id, byte ttl, bool dontFragment)
    {
        Span<byte> h = frame[EthernetLength..];
        h[0] = 0x45;
        h[1] = 0;
        BinaryPrimitives.WriteUInt16BigEndian(h[4..], id);
        BinaryPrimitives.WriteUInt16BigEndian(h[6..], dontFragment ? (ushort)0x4000 : (ushort)0);
        h[8] = ttl;
        h[9] = protocol;
        BinaryPrimitives.WriteUInt32BigEndian(h[12..], source);
        BinaryPrimitives.WriteUInt32BigEndian(h[16..], destination);
        return EthernetLength + Ipv4Length;
    }

    /// <summary>IPv6 fixed header (RFC 8200 §3); payload length comes from <see cref="Finish"/>.</summary>
    public static int Ipv6Header(Span<byte> frame, in Ip6 source, in Ip6 destination, byte nextHeader, byte hopLimit, uint flowLabel)
    {
        Span<byte> h = frame[EthernetLength..];
        BinaryPrimitives.WriteUInt32BigEndian(h, 0x6000_0000u | (flowLabel & 0xF_FFFF));
        h[6] = nextHeader;
        h[7] = hopLimit;
        source.Write(h[8..]);
        destination.Write(h[24..]);
        return EthernetLength + Ipv6Length;
    }

    public static int UdpHeader(Span<byte> frame, int offset, ushort sourcePort, ushort destinationPort)
    {
        BinaryPrimitives.WriteUInt16BigEndian(frame[offset..], sourcePort);
        BinaryPrimitives.WriteUInt16BigEndian(frame[(offset + 2)..], destinationPort);
        return offset + UdpLength;
    }

    /// <summary>
    /// TCP header (RFC 9293 §3.1) followed by <paramref name="options"/>, which must be a multiple of 4 bytes.
    /// Returns the payload offset.
    /// </summary>
    public static int TcpHeader(Span<byte> frame, int offset, ushort sourcePort, ushort destinationPort,
        uint sequence, uint acknowledgement, byte flags, ushort window, ReadOnlySpan<byte> options)
    {
        Span<byte> h = frame[offset..];
        BinaryPrimitives.WriteUInt16BigEndian(h, sourcePort);
        BinaryPrimitives.WriteUInt16BigEndian(h[2..], destinationPort);
        BinaryPrimitives.WriteUInt32BigEndian(h[4..], sequence);
        BinaryPrimitives.WriteUInt32BigEndian(h[8..], acknowledgement);
        h[12] = (byte)((TcpLength + options.Length) / 4 << 4);
        h[13] = flags;
        BinaryPrimitives.WriteUInt16BigEndian(h[14..], window);
        BinaryPrimitives.WriteUInt16BigEndian(h[18..], 0);
        options.CopyTo(h[TcpLength..]);
        return offset + TcpLength + options.Length;
    }

    /// <summary>
    /// Completes a frame whose last written byte is at <paramref name="end"/> - 1: IP lengths, the IPv4 header
    /// checksum, the transport checksum over its pseudo-header (RFC 9293 §3.1, RFC 768, RFC 8200 §8.1; ICMPv4 has
    /// none, RFC 792), then zero padding to the Ethernet minimum. Returns the frame length.
    /// </summary>
    public static int Finish(Span<byte> frame, int end)
    {
        ushort etherType = BinaryPrimitives.ReadUInt16BigEndian(frame[12..]);
        int l4;
        byte protocol;
        ulong pseudo;
        if (etherType == EtherTypeIpv4)
        {
            Span<byte> ip = frame[EthernetLength..];
            int headerLength = (ip[0] & 0x0F) * 4;
            l4 = EthernetLength + headerLength;
            BinaryPrimitives.WriteUInt16BigEndian(ip[2..], (ushort)(end - EthernetLength));
            BinaryPrimitives.WriteUInt16BigEndian(ip[10..], 0);
            BinaryPrimitives.WriteUInt16BigEndian(ip[10..], InternetChecksum.Finish(InternetChecksum.Add(0, ip[..headerLength])));
            protocol = ip[9];
            pseudo = InternetChecksum.Add(0, ip.Slice(12, 8));
        }
        else if (etherType == EtherTypeIpv6)
        {
            Span<byte> ip = frame[EthernetLength..];
            l4 = EthernetLength + Ipv6Length;
            BinaryPrimitives.WriteUInt16BigEndian(ip[4..], (ushort)(end - l4));
            protocol = ip[6];
            pseudo = InternetChecksum.Add(0, ip.Slice(8, 32));
        }
        else
        {
            return Pad(frame, end);
        }

        int l4Length = end - l4;
        int checksumAt;
        switch (protocol)
        {
            case Tcp:
                checksumAt = 16;
                break;
            case Udp:
                checksumAt = 6;
                BinaryPrimitives.WriteUInt16BigEndian(frame[(l4 + 4)..], (ushort)l4Length);
                break;
            case Icmp:
                checksumAt = 2;
                pseudo = 0;
                break;
            case Icmpv6:
                checksumAt = 2;
                break;
            default:
                return Pad(frame, end);
        }

        if (protocol != Icmp)
        {
            pseudo = InternetChecksum.AddWord(pseudo, protocol);
            pseudo = InternetChecksum.AddWord(pseudo, (ushort)l4Length);
        }
        Span<byte> field = frame[(l4 + checksumAt)..];
        BinaryPrimitives.WriteUInt16BigEndian(field, 0);
        ushort checksum = InternetChecksum.Finish(InternetChecksum.Add(pseudo, frame[l4..end]));
        // A computed UDP checksum of zero is sent as all ones; zero means "no checksum" (RFC 768).
        if (protocol == Udp && checksum == 0)
            checksum = 0xFFFF;
        BinaryPrimitives.WriteUInt16BigEndian(field, checksum);
        return Pad(frame, end);
    }

    private static int Pad(Span<byte> frame, int end)
    {
        if (end >= MinimumFrame)
            return end;
        frame[end..MinimumFrame].Clear();
        return MinimumFrame;
    }
}
