using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;
using PacketDotNet;
using ProtocolType = PacketDotNet.ProtocolType;
using PacketDotNet.Utils;

namespace TapSensor.Testing.Packets;

/// <summary>
/// Fluent builder of test frames. The IP and transport layers come from PacketDotNet (lengths and checksums
/// are valid, so tshark shows the frames as well-formed); link headers, tunnels and fragments that PacketDotNet
/// does not build are written by hand in the other parts of this class.
/// Methods that add headers (<see cref="Vlan(ushort)"/>, <see cref="Mpls(uint[])"/>, the <c>In*</c> tunnels) may
/// be called several times; tags and labels are listed outermost first, tunnels wrap from the inside out.
/// </summary>
public sealed partial class PacketBuilder
{
    private readonly TransportKind _kind;
    private readonly byte _otherProtocol;
    private IPAddress _src = IPAddress.Any;
    private IPAddress _dst = IPAddress.Any;
    private ushort _srcPort;
    private ushort _dstPort;
    private byte[] _payload = [];
    private byte _tcpFlags;
    private uint _sequence = 1000;
    private uint _acknowledgment;
    private ushort _window = 64240;
    private byte[] _tcpOptions = [];
    private IcmpEcho _echo = IcmpEcho.None;
    private byte _icmpType;
    private byte _icmpCode;
    private byte _ttl = 64;
    private ushort _ipId = 1;
    private bool _dontFragment;
    private readonly List<(byte Kind, int Length)> _ipv6Extensions = [];

    private enum IcmpEcho { None, Request, Reply }

    internal PacketBuilder(TransportKind kind, byte otherProtocol = 0)
    {
        _kind = kind;
        _otherProtocol = otherProtocol;
    }

    /// <summary>Source address (IPv4 or IPv6) and, for TCP, UDP and SCTP, port.</summary>
    public PacketBuilder From(string address, ushort port = 0)
    {
        _src = IPAddress.Parse(address);
        _srcPort = port;
        return this;
    }

    /// <summary>Destination address and port.</summary>
    public PacketBuilder To(string address, ushort port = 0)
    {
        _dst = IPAddress.Parse(address);
        _dstPort = port;
        return this;
    }

    /// <summary>Swaps source and destination (addresses, ports and MACs): the reply direction.</summary>
    public PacketBuilder Reversed()
    {
        (_src, _dst) = (_dst, _src);
        (_srcPort, _dstPort) = (_dstPort, _srcPort);
        (_srcMac, _dstMac) = (_dstMac, _srcMac);
        return this;
    }

    public PacketBuilder Syn() => WithFlags(TcpFlag.Syn);
    public PacketBuilder SynAck() => WithFlags(TcpFlag.Syn | TcpFlag.Ack);
    public PacketBuilder Ack() => WithFlags(TcpFlag.Ack);
    public PacketBuilder Fin() => WithFlags(TcpFlag.Fin);
    public PacketBuilder Rst() => WithFlags(TcpFlag.Rst);
    public PacketBuilder Psh() => WithFlags(TcpFlag.Psh);
    public PacketBuilder Urg() => WithFlags(TcpFlag.Urg);

    /// <summary>Adds TCP flag bits (see <see cref="TcpFlag"/>).</summary>
    public PacketBuilder WithFlags(byte flags)
    {
        _tcpFlags |= flags;
        return this;
    }

    /// <summary>Sets the TCP flags to exactly <paramref name="flags"/>.</summary>
    public PacketBuilder TcpFlags(byte flags)
    {
        _tcpFlags = flags;
        return this;
    }

    public PacketBuilder Seq(uint sequence)
    {
        _sequence = sequence;
        return this;
    }

    public PacketBuilder AckNumber(uint acknowledgment)
    {
        _acknowledgment = acknowledgment;
        return this;
    }

    public PacketBuilder Window(ushort window)
    {
        _window = window;
        return this;
    }

    /// <summary>Raw TCP option bytes; padded with End-of-Option-List to a multiple of 4 (at most 40 bytes).</summary>
    public PacketBuilder TcpOptions(params byte[] options)
    {
        if (options.Length > 40) throw new ArgumentException("TCP options are at most 40 bytes (RFC 9293 §3.1).", nameof(options));
        _tcpOptions = new byte[(options.Length + 3) / 4 * 4];
        options.CopyTo(_tcpOptions, 0);
        return this;
    }

    public PacketBuilder Payload(byte[] payload)
    {
        _payload = payload;
        return this;
    }

    /// <summary>ASCII text as the payload (for HTTP-like or name-parser tests).</summary>
    public PacketBuilder Payload(string text) => Payload(Encoding.ASCII.GetBytes(text));

    /// <summary>A payload of <paramref name="length"/> bytes counting up from 0.</summary>
    public PacketBuilder PayloadLength(int length)
    {
        var bytes = new byte[length];
        for (int i = 0; i < bytes.Length; i++) bytes[i] = (byte)i;
        return Payload(bytes);
    }

    /// <summary>ICMP echo request (type 8, or 128 for ICMPv6).</summary>
    public PacketBuilder Echo()
    {
        _echo = IcmpEcho.Request;
        return this;
    }

    /// <summary>ICMP echo reply (type 0, or 129 for ICMPv6).</summary>
    public PacketBuilder EchoReply()
    {
        _echo = IcmpEcho.Reply;
        return this;
    }

    /// <summary>Any ICMP or ICMPv6 type and code.</summary>
    public PacketBuilder IcmpType(byte type, byte code = 0)
    {
        _echo = IcmpEcho.None;
        _icmpType = type;
        _icmpCode = code;
        return this;
    }

    public PacketBuilder Ttl(byte ttl)
    {
        _ttl = ttl;
        return this;
    }

    /// <summary>IPv4 identification; also the IPv6 fragment identification used by <see cref="BuildFragments"/>.</summary>
    public PacketBuilder IpId(ushort id)
    {
        _ipId = id;
        return this;
    }

    public PacketBuilder DontFragment()
    {
        _dontFragment = true;
        return this;
    }

    /// <summary>
    /// Adds an IPv6 extension header of <paramref name="kind"/> (0 hop-by-hop, 43 routing, 44 fragment, 60
    /// destination options, 51 AH) between the IPv6 header and the transport, filled with zeros (Pad1 options,
    /// routing type 0 with no segments left, an atomic fragment). Length: a multiple of 8 (AH: of 4, at least 12).
    /// A routing header leaves the transport checksum computed for the plain destination, which tshark, taking
    /// the routing header's last (zero) address as the final destination, then reports as wrong.
    /// </summary>
    public PacketBuilder Ipv6Extension(byte kind, int length = 8)
    {
        bool ah = kind == 51;
        if (ah ? length < 12 || length % 4 != 0 : length < 8 || length % 8 != 0 || (kind == 44 && length != 8))
            throw new ArgumentException($"Bad length {length} for extension header {kind}.", nameof(length));
        _ipv6Extensions.Add((kind, length));
        return this;
    }

    /// <summary>True when the innermost packet is IPv6.</summary>
    public bool IsIpv6 => _src.AddressFamily == AddressFamily.InterNetworkV6;

    /// <summary>The outermost IP packet, after any tunnels, without a link header.</summary>
    public byte[] BuildIp()
    {
        byte[] ip = BuildInnerIp();
        foreach (Tunnel tunnel in _tunnels) ip = tunnel.Wrap(ip);
        return ip;
    }

    /// <summary>The complete frame for <see cref="LinkType"/>.</summary>
    public byte[] Build() => Frame(BuildIp());

    /// <summary>
    /// The outermost IP packet cut into fragments carrying at most <paramref name="fragmentPayloadSize"/> bytes
    /// of it each (rounded down to a multiple of 8), each in its own frame, in order.
    /// </summary>
    public IReadOnlyList<byte[]> BuildFragments(int fragmentPayloadSize)
    {
        var frames = new List<byte[]>();
        foreach (byte[] fragment in IpFragmenter.Fragment(BuildIp(), fragmentPayloadSize, _ipId)) frames.Add(Frame(fragment));
        return frames;
    }

    private byte[] BuildInnerIp()
    {
        if (_src.AddressFamily != _dst.AddressFamily) throw new InvalidOperationException("Source and destination must both be IPv4 or both IPv6.");
        bool v6 = IsIpv6;
        IPPacket ip = v6 ? new IPv6Packet(_src, _dst) : new IPv4Packet(_src, _dst);
        ip.TimeToLive = _ttl;
        if (ip is IPv4Packet v4) v4.Id = _ipId;

        switch (_kind)
        {
            case TransportKind.Tcp:
                var tcp = new TcpPacket(new ByteArraySegment(TcpSegment()));
                ip.PayloadPacket = tcp;
                ip.UpdateCalculatedValues();
                tcp.UpdateTcpChecksum();
                break;
            case TransportKind.Udp:
                var udp = new UdpPacket(_srcPort, _dstPort) { PayloadData = _payload };
                ip.PayloadPacket = udp;
                ip.UpdateCalculatedValues();
                udp.UpdateUdpChecksum();
                break;
            case TransportKind.Icmp when v6:
                var icmp6 = new IcmpV6Packet(new ByteArraySegment(IcmpMessage(v6)));
                ip.PayloadPacket = icmp6;
                ip.UpdateCalculatedValues();
                icmp6.UpdateIcmpChecksum();
                break;
            case TransportKind.Icmp:
                var icmp = new IcmpV4Packet(new ByteArraySegment(IcmpMessage(v6)));
                ip.PayloadPacket = icmp;
                ip.UpdateCalculatedValues();
                icmp.UpdateIcmpChecksum();
                break;
            default:
                ip.Protocol = _kind == TransportKind.Sctp ? (ProtocolType)132 : (ProtocolType)_otherProtocol;
                ip.PayloadData = _kind == TransportKind.Sctp ? SctpPacket() : _payload;
                ip.UpdateCalculatedValues();
                // PacketDotNet leaves the IPv6 payload length at 0 when the payload is raw bytes.
                if (ip is IPv6Packet raw6) raw6.PayloadLength = (ushort)raw6.PayloadData.Length;
                break;
        }

        byte[] bytes = ip.Bytes;
        if (!v6)
        {
            if (_dontFragment) bytes[6] |= 0x40;
            IpFragmenter.UpdateIpv4Checksum(bytes);
            return bytes;
        }
        return InsertIpv6Extensions(bytes);
    }

    private byte[] TcpSegment()
    {
        int headerLength = 20 + _tcpOptions.Length;
        var segment = new byte[headerLength + _payload.Length];
        BinaryPrimitives.WriteUInt16BigEndian(segment, _srcPort);
        BinaryPrimitives.WriteUInt16BigEndian(segment.AsSpan(2), _dstPort);
        BinaryPrimitives.WriteUInt32BigEndian(segment.AsSpan(4), _sequence);
        BinaryPrimitives.WriteUInt32BigEndian(segment.AsSpan(8), _acknowledgment);
        segment[12] = (byte)(headerLength / 4 << 4);
        segment[13] = _tcpFlags;
        BinaryPrimitives.WriteUInt16BigEndian(segment.AsSpan(14), _window);
        _tcpOptions.CopyTo(segment, 20);
        _payload.CopyTo(segment, headerLength);
        return segment;
    }

    private byte[] IcmpMessage(bool v6)
    {
        byte type = _echo switch
        {
            IcmpEcho.Request => v6 ? (byte)128 : (byte)8,
            IcmpEcho.Reply => v6 ? (byte)129 : (byte)0,
            _ => _icmpType,
        };
        var message = new byte[8 + _payload.Length];
        message[0] = type;
        message[1] = _echo == IcmpEcho.None ? _icmpCode : (byte)0;
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(4), 0x1234); // identifier
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(6), 1);      // sequence number
        _payload.CopyTo(message, 8);
        return message;
    }

    // RFC 9260 §3.1 common header; the CRC32c checksum is left 0, which no test reads.
    private byte[] SctpPacket()
    {
        var packet = new byte[12 + _payload.Length];
        BinaryPrimitives.WriteUInt16BigEndian(packet, _srcPort);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), _dstPort);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(4), 0xC0FFEE);
        _payload.CopyTo(packet, 12);
        return packet;
    }

    private byte[] InsertIpv6Extensions(byte[] packet)
    {
        if (_ipv6Extensions.Count == 0) return packet;
        int extra = 0;
        foreach ((byte _, int length) in _ipv6Extensions) extra += length;
        var result = new byte[packet.Length + extra];
        packet.AsSpan(0, 40).CopyTo(result);
        byte upper = packet[6];
        int at = 40;
        for (int i = 0; i < _ipv6Extensions.Count; i++)
        {
            (byte kind, int length) = _ipv6Extensions[i];
            if (i == 0) result[6] = kind;
            result[at] = i + 1 < _ipv6Extensions.Count ? _ipv6Extensions[i + 1].Kind : upper;
            result[at + 1] = (byte)(kind == 51 ? length / 4 - 2 : length / 8 - 1);
            at += length;
        }
        packet.AsSpan(40).CopyTo(result.AsSpan(at));
        BinaryPrimitives.WriteUInt16BigEndian(result.AsSpan(4), (ushort)(result.Length - 40));
        return result;
    }
}
