using TapSensor.Sample.Payloads;
using TapSensor.Sample.Wire;

namespace TapSensor.Sample.Household;

/// <summary>
/// A device's life on the LAN outside its sessions: it joins with DHCP DISCOVER, OFFER, REQUEST, ACK (RFC 2131
/// §3.1), announces its address with a gratuitous ARP (RFC 5227 §2.3), solicits a Router Advertisement for SLAAC
/// when it speaks IPv6, announces its DNS-SD service over mDNS; then, until the capture ends, the router refreshes
/// its ARP and neighbour caches and the device re-announces or browses now and then.
/// </summary>
internal sealed class LinkEmitter
{
    private const byte Discover = 0, Offer = 1, Request = 2, Ack = 3, Announce = 4, Solicit = 5, Advertise = 6,
        MdnsJoin = 7, Idle = 8, ArpReply = 9, NeighborReply = 10;

    private const ulong BroadcastMac = 0xFFFF_FFFF_FFFFUL;
    private const uint MdnsGroup = 0xE000_00FB; // 224.0.0.251 (RFC 6762 §3)
    private static readonly Ip6 AllNodes = new(0xFF02_0000_0000_0000UL, 1);
    private static readonly Ip6 AllRouters = new(0xFF02_0000_0000_0000UL, 2);

    private readonly FrameContext _ctx;
    private readonly byte[][] _browsedTypes =
    [
        DnsMessage.Encode("_airplay._tcp.local"),
        DnsMessage.Encode("_googlecast._tcp.local"),
        DnsMessage.Encode("_spotify-connect._tcp.local"),
        DnsMessage.Encode("_raop._tcp.local"),
    ];

    public LinkEmitter(FrameContext context) => _ctx = context;

    public long Emit(ref FlowState f, long now)
    {
        SampleRandom r = _ctx.Random;
        HouseholdModel m = _ctx.Model;
        Device d = _ctx.DeviceOf(f);
        Span<byte> frame = _ctx.Writer.NextFrame();
        int o;
        switch (f.Phase)
        {
            case Discover:
            case Request:
            {
                o = _ctx.BeginLinkUdp(frame, BroadcastMac, d.Mac, 0, Ipv4.Broadcast, 68, 67, 64);
                byte type = f.Phase == Discover ? DhcpMessage.Discover : DhcpMessage.Request;
                o += DhcpMessage.Write(frame[o..], type, d.DhcpTransaction, (ushort)(f.Phase == Discover ? 0 : 1), d.Mac,
                    d.V4, HouseholdModel.RouterV4, Identity(d), m.Lease);
                _ctx.Commit(frame, o, now);
                f.Phase++;
                return now + r.Micros(1_000, 30_000);
            }
            case Offer:
            case Ack:
            {
                // The router answers by unicast to the offered address and the client's MAC (RFC 2131 §4.1).
                o = _ctx.BeginLinkUdp(frame, d.Mac, m.RouterMac, HouseholdModel.RouterV4, d.V4, 67, 68, 64);
                byte type = f.Phase == Offer ? DhcpMessage.Offer : DhcpMessage.Ack;
                o += DhcpMessage.Write(frame[o..], type, d.DhcpTransaction, 0, d.Mac, d.V4, HouseholdModel.RouterV4, Identity(d), m.Lease);
                _ctx.Commit(frame, o, now);
                f.Phase++;
                return now + (f.Phase == Announce ? r.Micros(50_000, 500_000) : r.Micros(500, 5_000));
            }
            case Announce:
                o = Frames.Ethernet(frame, BroadcastMac, d.Mac, Frames.EtherTypeArp);
                o += ArpMessage.Write(frame[o..], ArpMessage.Request, d.Mac, d.V4, 0, d.V4);
                _ctx.Commit(frame, o, now);
                f.Phase = d.Ipv6 ? Solicit : MdnsJoin;
                return now + r.Micros(10_000, 200_000);
            case Solicit:
                Frames.Ethernet(frame, AllRouters.MulticastMac(), d.Mac, Frames.EtherTypeIpv6);
                o = Frames.Ipv6Header(frame, d.LinkLocal, AllRouters, Frames.Icmpv6, 255, 0);
                o += IcmpMessages.WriteRouterSolicitation(frame[o..], d.Mac);
                _ctx.Commit(frame, o, now);
                f.Phase = Advertise;
                return now + r.Micros(500, 10_000);
            case Advertise:
                // Neighbour discovery messages must carry hop limit 255 (RFC 4861 §6.1.2).
                Frames.Ethernet(frame, AllNodes.MulticastMac(), m.RouterMac, Frames.EtherTypeIpv6);
                o = Frames.Ipv6Header(frame, m.RouterLinkLocal, AllNodes, Frames.Icmpv6, 255, 0);
                o += IcmpMessages.WriteRouterAdvertisement(frame[o..], m.RouterMac, HouseholdModel.Prefix);
                _ctx.Commit(frame, o, now);
                f.Phase = MdnsJoin;
                return now + r.Micros(100_000, 1_000_000);
            case MdnsJoin:
                Mdns(frame, d, now);
                return Sleep(ref f, now);
            case Idle:
                return Chatter(ref f, frame, d, now);
            case ArpReply:
                o = Frames.Ethernet(frame, m.RouterMac, d.Mac, Frames.EtherTypeArp);
                o += ArpMessage.Write(frame[o..], ArpMessage.Reply, d.Mac, d.V4, m.RouterMac, HouseholdModel.RouterV4);
                _ctx.Commit(frame, o, now);
                return Sleep(ref f, now);
            case NeighborReply:
                Frames.Ethernet(frame, m.RouterMac, d.Mac, Frames.EtherTypeIpv6);
                o = Frames.Ipv6Header(frame, d.Global, m.RouterGlobal, Frames.Icmpv6, 255, 0);
                o += IcmpMessages.WriteNeighborAdvertisement(frame[o..], d.Global, d.Mac);
                _ctx.Commit(frame, o, now);
                return Sleep(ref f, now);
            default:
                return -1;
        }
    }

    private long Chatter(ref FlowState f, Span<byte> frame, Device d, long now)
    {
        SampleRandom r = _ctx.Random;
        HouseholdModel m = _ctx.Model;
        int o;
        switch (r.Below(3))
        {
            case 0:
                o = Frames.Ethernet(frame, BroadcastMac, m.RouterMac, Frames.EtherTypeArp);
                o += ArpMessage.Write(frame[o..], ArpMessage.Request, m.RouterMac, HouseholdModel.RouterV4, 0, d.V4);
                _ctx.Commit(frame, o, now);
                f.Phase = ArpReply;
                return now + r.Micros(200, 5_000);
            case 1 when d.Ipv6:
                Ip6 group = d.Global.SolicitedNode();
                Frames.Ethernet(frame, group.MulticastMac(), m.RouterMac, Frames.EtherTypeIpv6);
                o = Frames.Ipv6Header(frame, m.RouterGlobal, group, Frames.Icmpv6, 255, 0);
                o += IcmpMessages.WriteNeighborSolicitation(frame[o..], d.Global, m.RouterMac);
                _ctx.Commit(frame, o, now);
                f.Phase = NeighborReply;
                return now + r.Micros(200, 5_000);
            default:
                Mdns(frame, d, now);
                return Sleep(ref f, now);
        }
    }

    /// <summary>Announces the device's service, or browses for others if it has none.</summary>
    private void Mdns(Span<byte> frame, Device d, long now)
    {
        bool browses = (d.Profile.Role & DeviceRole.Screens) != 0;
        if (d.Mdns is null && !browses)
        {
            // Devices without DNS-SD still answer the router's ARP; write that instead so every call emits a packet.
            int a = Frames.Ethernet(frame, BroadcastMac, d.Mac, Frames.EtherTypeArp);
            a += ArpMessage.Write(frame[a..], ArpMessage.Request, d.Mac, d.V4, 0, HouseholdModel.RouterV4);
            _ctx.Commit(frame, a, now);
            return;
        }
        // mDNS goes to 224.0.0.251:5353 from port 5353 with TTL 255 (RFC 6762 §11).
        int o = _ctx.BeginLinkUdp(frame, Ipv4.MulticastMac(MdnsGroup), d.Mac, d.V4, MdnsGroup, 5353, 5353, 255);
        o += d.Mdns is { } service
            ? DnsMessage.WriteMdnsAnnouncement(frame[o..], service, d.V4)
            : DnsMessage.WriteMdnsQuery(frame[o..], _browsedTypes[_ctx.Random.Below(_browsedTypes.Length)]);
        _ctx.Commit(frame, o, now);
    }

    private long Sleep(ref FlowState f, long now)
    {
        f.Phase = Idle;
        return now + Math.Max(1_000_000, (long)_ctx.Random.Exponential(60e6));
    }

    private static DhcpIdentity Identity(Device d) =>
        new(d.HostName, d.Profile.VendorClass, d.Profile.Fqdn, d.Profile.ParameterRequestList);
}
