using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using PacketDotNet;
using ProtocolType = PacketDotNet.ProtocolType;

namespace TapSensor.Testing.Packets;

/// <summary>Tunnels: each call wraps the packet built so far in one more outer IP packet.</summary>
public sealed partial class PacketBuilder
{
    /// <summary>MACs of Ethernet frames carried inside GRE bridging and ERSPAN tunnels.</summary>
    public const string TunnelledSrcMac = "02:00:00:00:01:0a";
    public const string TunnelledDstMac = "02:00:00:00:01:0b";

    private readonly List<Tunnel> _tunnels = [];

    private sealed record Tunnel(Func<byte[], byte[]> Wrap);

    /// <summary>IP-in-IP: protocol 4 (RFC 2003) for an IPv4 inner packet, 41 (RFC 4213) for IPv6.</summary>
    public PacketBuilder InIpIp(string outerSrc, string outerDst) =>
        AddTunnel(inner => OuterIp(outerSrc, outerDst, inner[0] >> 4 == 6 ? (byte)41 : (byte)4, inner));

    /// <summary>GRE (RFC 2784, RFC 2890) carrying the IP packet, with optional checksum, key and sequence number.</summary>
    public PacketBuilder InGre(string outerSrc, string outerDst, uint? key = null, uint? sequence = null, bool checksum = false) =>
        AddTunnel(inner => OuterIp(outerSrc, outerDst, 47,
            Gre(inner[0] >> 4 == 6 ? (ushort)0x86DD : (ushort)0x0800, key, sequence, checksum, inner)));

    /// <summary>GRE transparent Ethernet bridging (0x6558): the IP packet inside an Ethernet frame inside GRE.</summary>
    public PacketBuilder InGreEthernet(string outerSrc, string outerDst, uint? key = null) =>
        AddTunnel(inner => OuterIp(outerSrc, outerDst, 47, Gre(0x6558, key, null, false, InnerEthernet(inner))));

    /// <summary>
    /// ERSPAN (draft-foschiano-erspan): type 1 (GRE 0x88BE, no sequence, no header), type 2 (0x88BE with
    /// sequence and an 8-byte header) or type 3 (0x22EB, 12-byte header).
    /// </summary>
    public PacketBuilder InErspan(string outerSrc, string outerDst, int type = 2, ushort session = 1) =>
        AddTunnel(inner =>
        {
            byte[] frame = InnerEthernet(inner);
            switch (type)
            {
                case 1:
                    return OuterIp(outerSrc, outerDst, 47, Gre(0x88BE, null, null, false, frame));
                case 2:
                {
                    var header = new byte[8];
                    BinaryPrimitives.WriteUInt16BigEndian(header, 0x1000);            // version 1, VLAN 0
                    BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(2), (ushort)(session & 0x3FF));
                    return OuterIp(outerSrc, outerDst, 47, Gre(0x88BE, null, 1, false, Concat(header, frame)));
                }
                case 3:
                {
                    var header = new byte[12];
                    BinaryPrimitives.WriteUInt16BigEndian(header, 0x2000);            // version 2, VLAN 0
                    BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(2), (ushort)(session & 0x3FF));
                    return OuterIp(outerSrc, outerDst, 47, Gre(0x22EB, null, 1, false, Concat(header, frame)));
                }
                default:
                    throw new ArgumentOutOfRangeException(nameof(type), "ERSPAN type 1, 2 or 3.");
            }
        });

    /// <summary>PPTP's enhanced GRE (RFC 2637 §4.1, version 1) carrying PPP with the IP packet.</summary>
    public PacketBuilder InPptp(string outerSrc, string outerDst, ushort callId = 1) =>
        AddTunnel(inner =>
        {
            byte[] ppp = Concat([0xFF, 0x03, 0x00, inner[0] >> 4 == 6 ? (byte)0x57 : (byte)0x21], inner);
            var header = new byte[12];
            BinaryPrimitives.WriteUInt16BigEndian(header, 0x3001);                    // K, S, version 1
            BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(2), 0x880B);
            BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(4), (ushort)ppp.Length);
            BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(6), callId);
            BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(8), 1);
            return OuterIp(outerSrc, outerDst, 47, Concat(header, ppp));
        });

    private PacketBuilder AddTunnel(Func<byte[], byte[]> wrap)
    {
        _tunnels.Add(new Tunnel(wrap));
        return this;
    }

    private static byte[] InnerEthernet(byte[] ip) =>
        Concat(EthernetHeader(TunnelledDstMac, TunnelledSrcMac, ip[0] >> 4 == 6 ? (ushort)0x86DD : (ushort)0x0800), ip);

    /// <summary>A GRE version 0 header (RFC 2784 §2.1, RFC 2890 §2) in front of <paramref name="payload"/>.</summary>
    public static byte[] Gre(ushort protocol, uint? key, uint? sequence, bool checksum, byte[] payload)
    {
        ushort flags = 0;
        int length = 4;
        if (checksum) { flags |= 0x8000; length += 4; }
        if (key is not null) { flags |= 0x2000; length += 4; }
        if (sequence is not null) { flags |= 0x1000; length += 4; }
        var gre = new byte[length + payload.Length];
        BinaryPrimitives.WriteUInt16BigEndian(gre, flags);
        BinaryPrimitives.WriteUInt16BigEndian(gre.AsSpan(2), protocol);
        int at = checksum ? 8 : 4;
        if (key is uint k) { BinaryPrimitives.WriteUInt32BigEndian(gre.AsSpan(at), k); at += 4; }
        if (sequence is uint s) BinaryPrimitives.WriteUInt32BigEndian(gre.AsSpan(at), s);
        payload.CopyTo(gre, length);
        if (checksum) BinaryPrimitives.WriteUInt16BigEndian(gre.AsSpan(4), IpFragmenter.InternetChecksum(gre));
        return gre;
    }

    /// <summary>An IPv4 or IPv6 packet from <paramref name="src"/> to <paramref name="dst"/> carrying raw <paramref name="payload"/>.</summary>
    public static byte[] OuterIp(string src, string dst, byte protocol, byte[] payload)
    {
        IPAddress s = IPAddress.Parse(src), d = IPAddress.Parse(dst);
        if (s.AddressFamily != d.AddressFamily) throw new ArgumentException("Outer source and destination must share a family.");
        if (s.AddressFamily == AddressFamily.InterNetworkV6)
        {
            var ip6 = new IPv6Packet(s, d) { NextHeader = (ProtocolType)protocol, PayloadData = payload, HopLimit = 64 };
            ip6.PayloadLength = (ushort)payload.Length;
            return ip6.Bytes;
        }
        var ip = new IPv4Packet(s, d) { Protocol = (ProtocolType)protocol, PayloadData = payload, TimeToLive = 64, Id = 0x4242 };
        ip.UpdateCalculatedValues();
        byte[] bytes = ip.Bytes;
        IpFragmenter.UpdateIpv4Checksum(bytes);
        return bytes;
    }
}
