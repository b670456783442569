using System.Buffers.Binary;
using System.Net.NetworkInformation;

namespace TapSensor.Testing.Packets;

/// <summary>Link layers: Ethernet with VLAN tags, PPPoE and MPLS, and the other pcap link types.</summary>
public sealed partial class PacketBuilder
{
    private enum Link { Ethernet, Sll, Sll2, Raw, Null, Loop, Ppp, CiscoHdlc }

    private string _srcMac = TestPackets.DefaultClientMac;
    private string _dstMac = TestPackets.DefaultServerMac;
    private readonly List<(ushort Tpid, ushort Tci)> _vlanTags = [];
    private ushort? _pppoeSession;
    private readonly List<uint> _mplsLabels = [];
    private Link _link = Link.Ethernet;
    private int _linkType = 1;
    private uint _nullIpv6Family = 24;
    private bool _nullBigEndian;
    private bool _pppAddressAndControl = true;
    private bool _pppCompressedProtocol;

    /// <summary>The pcap LINKTYPE_ number of what <see cref="Build"/> returns.</summary>
    public int LinkType => _linkType;

    /// <summary>Source MAC, "02:00:00:00:00:0a" style.</summary>
    public PacketBuilder SrcMac(string mac)
    {
        _srcMac = mac;
        return this;
    }

    public PacketBuilder DstMac(string mac)
    {
        _dstMac = mac;
        return this;
    }

    /// <summary>An 802.1Q tag; call twice for two tags (outer first), or use <see cref="Qinq"/>.</summary>
    public PacketBuilder Vlan(ushort id) => VlanTag(0x8100, id);

    /// <summary>802.1ad service tag <paramref name="outer"/> around 802.1Q customer tag <paramref name="inner"/>.</summary>
    public PacketBuilder Qinq(ushort outer, ushort inner) => VlanTag(0x88A8, outer).VlanTag(0x8100, inner);

    /// <summary>A tag with any TPID (0x8100, 0x88A8, 0x9100...), added inside the tags already present.</summary>
    public PacketBuilder VlanTag(ushort tpid, ushort id, byte priority = 0)
    {
        _vlanTags.Add((tpid, (ushort)(priority << 13 | (id & 0x0FFF))));
        return this;
    }

    /// <summary>A PPPoE session header (RFC 2516) and PPP protocol field in front of the IP packet.</summary>
    public PacketBuilder Pppoe(ushort session = 1)
    {
        _pppoeSession = session;
        return this;
    }

    /// <summary>An MPLS label stack (outermost first), bottom-of-stack set on the last label.</summary>
    public PacketBuilder Mpls(params uint[] labels)
    {
        _mplsLabels.AddRange(labels);
        return this;
    }

    public PacketBuilder Ethernet() => UseLink(Link.Ethernet, 1);

    /// <summary>Linux cooked capture v1 (LINKTYPE_LINUX_SLL, 113), source MAC in the address field.</summary>
    public PacketBuilder LinuxSll() => UseLink(Link.Sll, 113);

    /// <summary>Linux cooked capture v2 (LINKTYPE_LINUX_SLL2, 276).</summary>
    public PacketBuilder LinuxSll2() => UseLink(Link.Sll2, 276);

    /// <summary>Raw IP: LINKTYPE_RAW (101), or 12, 14, 228 (IPv4 only), 229 (IPv6 only).</summary>
    public PacketBuilder RawIp(int linkType = 101) => UseLink(Link.Raw, linkType);

    /// <summary>BSD loopback (LINKTYPE_NULL, 0): address family in host byte order; little-endian unless told otherwise.</summary>
    public PacketBuilder BsdNull(uint ipv6Family = 24, bool bigEndian = false)
    {
        _nullIpv6Family = ipv6Family;
        _nullBigEndian = bigEndian;
        return UseLink(Link.Null, 0);
    }

    /// <summary>OpenBSD loopback (LINKTYPE_LOOP, 108): address family in network byte order.</summary>
    public PacketBuilder BsdLoop(uint ipv6Family = 24)
    {
        _nullIpv6Family = ipv6Family;
        return UseLink(Link.Loop, 108);
    }

    /// <summary>PPP (LINKTYPE_PPP 9, or 50 for PPP in HDLC-like framing), optionally without FF 03 or with a one-byte protocol.</summary>
    public PacketBuilder Ppp(int linkType = 9, bool addressAndControl = true, bool compressedProtocol = false)
    {
        _pppAddressAndControl = addressAndControl;
        _pppCompressedProtocol = compressedProtocol;
        return UseLink(Link.Ppp, linkType);
    }

    /// <summary>Cisco HDLC (LINKTYPE_C_HDLC 104, or 50 where it shares the PPP link type).</summary>
    public PacketBuilder CiscoHdlc(int linkType = 104) => UseLink(Link.CiscoHdlc, linkType);

    private PacketBuilder UseLink(Link link, int linkType)
    {
        _link = link;
        _linkType = linkType;
        return this;
    }

    private byte[] Frame(byte[] ip)
    {
        bool v6 = ip[0] >> 4 == 6;
        bool mpls = _mplsLabels.Count > 0;
        byte[] body = ip;
        ushort type = v6 ? (ushort)0x86DD : (ushort)0x0800;
        if (mpls)
        {
            body = Concat(MplsStack(), body);
            type = 0x8847;
        }
        if (_link is Link.Raw or Link.Null or Link.Loop or Link.Ppp && (_vlanTags.Count > 0 || _pppoeSession is not null || mpls && _link != Link.Ppp))
            throw new InvalidOperationException($"Link {_link} cannot carry VLAN tags, PPPoE or MPLS here.");

        ushort pppProtocol = mpls ? (ushort)0x0281 : v6 ? (ushort)0x0057 : (ushort)0x0021;
        if (_pppoeSession is ushort session)
        {
            var header = new byte[8];
            header[0] = 0x11;
            BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(2), session);
            BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(4), (ushort)(2 + body.Length));
            BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(6), pppProtocol);
            body = Concat(header, body);
            type = 0x8864;
        }
        for (int i = _vlanTags.Count - 1; i >= 0; i--)
        {
            var tag = new byte[4];
            BinaryPrimitives.WriteUInt16BigEndian(tag, _vlanTags[i].Tci);
            BinaryPrimitives.WriteUInt16BigEndian(tag.AsSpan(2), type);
            body = Concat(tag, body);
            type = _vlanTags[i].Tpid;
        }

        switch (_link)
        {
            case Link.Ethernet:
                return Concat(EthernetHeader(_dstMac, _srcMac, type), body);
            case Link.Sll:
            {
                var h = new byte[16];
                BinaryPrimitives.WriteUInt16BigEndian(h.AsSpan(2), 1); // ARPHRD_ETHER
                BinaryPrimitives.WriteUInt16BigEndian(h.AsSpan(4), 6);
                ParseMac(_srcMac).CopyTo(h, 6);
                BinaryPrimitives.WriteUInt16BigEndian(h.AsSpan(14), type);
                return Concat(h, body);
            }
            case Link.Sll2:
            {
                var h = new byte[20];
                BinaryPrimitives.WriteUInt16BigEndian(h, type);
                BinaryPrimitives.WriteUInt32BigEndian(h.AsSpan(4), 2); // interface index
                BinaryPrimitives.WriteUInt16BigEndian(h.AsSpan(8), 1); // ARPHRD_ETHER
                h[11] = 6;
                ParseMac(_srcMac).CopyTo(h, 12);
                return Concat(h, body);
            }
            case Link.Raw:
                return body;
            case Link.Null:
            case Link.Loop:
            {
                var h = new byte[4];
                uint family = v6 ? _nullIpv6Family : 2;
                if (_link == Link.Loop || _nullBigEndian) BinaryPrimitives.WriteUInt32BigEndian(h, family);
                else BinaryPrimitives.WriteUInt32LittleEndian(h, family);
                return Concat(h, body);
            }
            case Link.Ppp:
            {
                var h = new List<byte>();
                if (_pppAddressAndControl) h.AddRange([0xFF, 0x03]);
                if (_pppCompressedProtocol && pppProtocol <= 0xFF) h.Add((byte)pppProtocol);
                else h.AddRange([(byte)(pppProtocol >> 8), (byte)pppProtocol]);
                return Concat([.. h], body);
            }
            default:
                return Concat([0x0F, 0x00, (byte)(type >> 8), (byte)type], body);
        }
    }

    private byte[] MplsStack()
    {
        var stack = new byte[_mplsLabels.Count * 4];
        for (int i = 0; i < _mplsLabels.Count; i++)
        {
            uint entry = _mplsLabels[i] << 12 | 64; // TC 0, TTL 64
            if (i == _mplsLabels.Count - 1) entry |= 0x100;
            BinaryPrimitives.WriteUInt32BigEndian(stack.AsSpan(i * 4), entry);
        }
        return stack;
    }

    /// <summary>A 14-byte Ethernet II header, for frames built by hand.</summary>
    public static byte[] EthernetHeader(string dstMac, string srcMac, ushort type)
    {
        var header = new byte[14];
        ParseMac(dstMac).CopyTo(header, 0);
        ParseMac(srcMac).CopyTo(header, 6);
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(12), type);
        return header;
    }

    /// <summary>"02:00:00:00:00:0a" (or with dashes) to 6 bytes.</summary>
    public static byte[] ParseMac(string mac) => PhysicalAddress.Parse(mac.Replace(':', '-').ToUpperInvariant()).GetAddressBytes();

    /// <summary>A MAC as the 48-bit number PacketSummary.SrcMac/DstMac hold (first octet most significant).</summary>
    public static ulong MacValue(string mac) => MacValue(ParseMac(mac));

    /// <summary>Six MAC bytes as the 48-bit number PacketSummary.SrcMac/DstMac hold.</summary>
    public static ulong MacValue(ReadOnlySpan<byte> mac)
    {
        ulong value = 0;
        foreach (byte b in mac) value = value << 8 | b;
        return value;
    }

    /// <summary>Two byte arrays, one after the other.</summary>
    public static byte[] Concat(byte[] first, byte[] second)
    {
        var result = new byte[first.Length + second.Length];
        first.CopyTo(result, 0);
        second.CopyTo(result, first.Length);
        return result;
    }
}
