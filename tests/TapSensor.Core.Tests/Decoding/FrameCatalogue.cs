using TapSensor.Testing.Packets;

namespace TapSensor.Core.Tests.Decoding;

/// <summary>One valid frame for every path through the decoder, for the property-style tests.</summary>
internal static class FrameCatalogue
{
    public static IReadOnlyList<(string Name, int LinkType, byte[] Frame)> Frames { get; } = Build();

    private static List<(string, int, byte[])> Build()
    {
        var frames = new List<(string, int, byte[])>();
        void Add(string name, PacketBuilder builder) => frames.Add((name, builder.LinkType, builder.Build()));

        const string v6a = "2001:db8:1::10", v6b = "2001:db8:2::7";
        Add("ethernet ipv4 tcp", TestPackets.Tcp().Syn().TcpOptions(2, 4, 5, 0xB4).Payload("GET / HTTP/1.1\r\n"));
        Add("ethernet ipv6 udp", TestPackets.Udp().From(v6a, 5353).To(v6b, 53).PayloadLength(40));
        Add("ipv4 icmp echo", TestPackets.Icmp().PayloadLength(24));
        Add("ipv6 icmpv6 neighbor solicitation", TestPackets.Icmp().From("fe80::1").To("ff02::1:ff00:2").IcmpType(135).PayloadLength(16));
        Add("sctp", TestPackets.Sctp().PayloadLength(20));
        Add("ipv4 other protocol", TestPackets.Ip(89).PayloadLength(30));
        Add("ipv6 extension headers", TestPackets.Tcp().From(v6a, 1).To(v6b, 2).Ack().Ipv6Extension(0).Ipv6Extension(43, 24).Ipv6Extension(51, 16).Ipv6Extension(60));
        Add("ipv6 esp", TestPackets.Ip(50).From(v6a).To(v6b).PayloadLength(32));
        Add("vlan", TestPackets.Tcp().Ack().Vlan(10).Payload("x"));
        Add("qinq", TestPackets.Udp().Qinq(100, 20).PayloadLength(12));
        Add("0x9100 tag", TestPackets.Udp().VlanTag(0x9100, 5).Vlan(6));
        Add("pppoe ipv4", TestPackets.Tcp().Syn().Pppoe(7));
        Add("pppoe ipv6", TestPackets.Udp().From(v6a, 1).To(v6b, 2).Vlan(3).Pppoe(8));
        Add("mpls", TestPackets.Udp().Mpls(16, 17, 18).PayloadLength(8));
        Add("linux sll", TestPackets.Tcp().Ack().Vlan(9).LinuxSll());
        Add("linux sll2", TestPackets.Udp().From(v6a, 1).To(v6b, 2).LinuxSll2());
        Add("raw ipv4", TestPackets.Udp().RawIp());
        Add("raw ipv6 only", TestPackets.Tcp().From(v6a, 1).To(v6b, 2).RawIp(229));
        Add("bsd null", TestPackets.Tcp().BsdNull());
        Add("bsd null ipv6 big-endian", TestPackets.Udp().From("::1", 1).To("::1", 2).BsdNull(30, bigEndian: true));
        Add("bsd loop", TestPackets.Udp().BsdLoop());
        Add("ppp", TestPackets.Udp().Ppp(9, addressAndControl: false, compressedProtocol: true));
        Add("ppp hdlc", TestPackets.Tcp().Mpls(20).Ppp(50));
        Add("cisco hdlc", TestPackets.Udp().From(v6a, 1).To(v6b, 2).CiscoHdlc());
        Add("ip in ip", TestPackets.Tcp().Syn().InIpIp("192.0.2.1", "192.0.2.2"));
        Add("6in4", TestPackets.Udp().From(v6a, 1).To(v6b, 2).InIpIp("192.0.2.1", "192.0.2.2"));
        Add("gre with everything", TestPackets.Tcp().Psh().Payload("abc").InGre("198.51.100.1", "198.51.100.2", 7, 9, checksum: true));
        Add("gre bridging", TestPackets.Udp().Vlan(4).InGreEthernet("198.51.100.1", "198.51.100.2", 1));
        Add("erspan 2", TestPackets.Tcp().InErspan("10.255.0.1", "10.255.0.2", 2));
        Add("erspan 3", TestPackets.Udp().InErspan("2001:db8:f::1", "2001:db8:f::2", 3));
        Add("pptp", TestPackets.Tcp().Syn().InPptp("198.51.100.1", "198.51.100.2"));
        Add("nested tunnels", TestPackets.Udp().InIpIp("10.9.0.1", "10.9.0.2").InGre("10.8.0.1", "10.8.0.2").InIpIp("10.7.0.1", "10.7.0.2"));
        foreach (byte[] fragment in TestPackets.Udp().PayloadLength(600).BuildFragments(256))
            frames.Add(("ipv4 fragment", 1, fragment));
        foreach (byte[] fragment in TestPackets.Tcp().From(v6a, 1).To(v6b, 2).PayloadLength(600).BuildFragments(256))
            frames.Add(("ipv6 fragment", 1, fragment));
        return frames;
    }
}
