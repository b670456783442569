using TapSensor.Core.Decoding;
using TapSensor.Core.Packets;
using TapSensor.Testing.Packets;

namespace TapSensor.Core.Tests.Decoding;

public sealed class GreDecoderTests
{
    private const string OuterSrc = "198.51.100.1";
    private const string OuterDst = "198.51.100.2";
    private readonly DecoderHarness _harness = new();

    public static TheoryData<uint?, uint?, bool> Options => new()
    {
        { null, null, false },
        { 42u, null, false },
        { null, 7u, false },
        { null, null, true },
        { 42u, 7u, true },
    };

    [Theory]
    [MemberData(nameof(Options))]
    public void Gre_is_keyed_by_the_inner_packet_whatever_optional_fields_it_has(uint? key, uint? sequence, bool checksum)
    {
        Decoded d = _harness.Decode(TestPackets.Tcp().Syn().Payload("abc").InGre(OuterSrc, OuterDst, key, sequence, checksum));

        Assert.Equal(DecodeStatus.Ok, d.Status);
        Assert.Equal("192.168.1.10:51514", d.Src);
        Assert.True(d.Has(PacketFlags.Tunnelled));
        Assert.Equal(43, d.Summary.IpLength);
        Assert.Equal(3, d.Summary.PayloadLength);
        int greLength = 4 + (key is null ? 0 : 4) + (sequence is null ? 0 : 4) + (checksum ? 4 : 0);
        Assert.Equal(14 + 20 + greLength + 20 + 20, d.PayloadStart);
    }

    [Fact]
    public void Gre_over_ipv6_carrying_ipv6_is_decapsulated()
    {
        Decoded d = _harness.Decode(TestPackets.Udp().From("2001:db8::1", 5000).To("2001:db8::2", 53).InGre("2001:db8:f::1", "2001:db8:f::2"));

        Assert.Equal(DecodeStatus.Ok, d.Status);
        Assert.Equal("[2001:db8::2]:53", d.Dst);
    }

    [Fact]
    public void Transparent_ethernet_bridging_keeps_the_outer_macs()
    {
        Decoded d = _harness.Decode(TestPackets.Udp().InGreEthernet(OuterSrc, OuterDst, key: 9));

        Assert.Equal(DecodeStatus.Ok, d.Status);
        Assert.Equal("203.0.113.7:9999", d.Dst);
        Assert.Equal(PacketBuilder.MacValue(TestPackets.DefaultClientMac), d.Summary.SrcMac);
    }

    [Fact]
    public void Bridged_frame_with_a_vlan_tag_keys_by_that_vlan()
    {
        byte[] innerFrame = TestPackets.Udp().Vlan(33).Build();
        byte[] ip = PacketBuilder.OuterIp(OuterSrc, OuterDst, 47, PacketBuilder.Gre(0x6558, null, null, false, innerFrame));

        Decoded d = _harness.Decode(ip, 101);

        Assert.Equal(DecodeStatus.Ok, d.Status);
        Assert.Equal(33, d.Key.Vlan);
        Assert.Equal(PacketBuilder.MacValue(TestPackets.DefaultClientMac), d.Summary.SrcMac);
    }

    [Fact]
    public void Gre_carrying_arp_is_keyed_by_the_outer_packet()
    {
        byte[] arp = PacketBuilder.Concat(PacketBuilder.EthernetHeader("ff:ff:ff:ff:ff:ff", "02:00:00:00:00:01", 0x0806), new byte[28]);
        byte[] ip = PacketBuilder.OuterIp(OuterSrc, OuterDst, 47, PacketBuilder.Gre(0x6558, null, null, false, arp));

        Decoded d = _harness.Decode(ip, 101);

        Assert.Equal(DecodeStatus.Ok, d.Status);
        Assert.Equal(47, d.Key.Protocol);
        Assert.Equal($"{OuterSrc}:0", d.Src);
        Assert.False(d.Has(PacketFlags.Tunnelled));
        Assert.Equal(4 + 14 + 28, d.Summary.PayloadLength);
        Assert.Equal(1, _harness.Counters.Read(DecodeNote.TunnelPayloadNotIp));
    }

    [Fact]
    public void Gre_carrying_mpls_is_decapsulated()
    {
        byte[] mplsIp = PacketBuilder.Concat([0x00, 0x01, 0x01, 0x40], TestPackets.Udp().BuildIp());
        byte[] ip = PacketBuilder.OuterIp(OuterSrc, OuterDst, 47, PacketBuilder.Gre(0x8847, null, null, false, mplsIp));

        Decoded d = _harness.Decode(ip, 101);

        Assert.Equal(DecodeStatus.Ok, d.Status);
        Assert.Equal("203.0.113.7:9999", d.Dst);
    }

    [Fact]
    public void Ppp_over_version_0_gre_is_decapsulated()
    {
        byte[] ppp = PacketBuilder.Concat([0xFF, 0x03, 0x00, 0x21], TestPackets.Udp().BuildIp());
        byte[] ip = PacketBuilder.OuterIp(OuterSrc, OuterDst, 47, PacketBuilder.Gre(0x880B, null, 1, false, ppp));

        Decoded d = _harness.Decode(ip, 101);

        Assert.Equal(DecodeStatus.Ok, d.Status);
        Assert.Equal("203.0.113.7:9999", d.Dst);
    }

    [Fact]
    public void Routing_and_recursion_bits_are_unsupported()
    {
        byte[] ip = TestPackets.Udp().InGre(OuterSrc, OuterDst).BuildIp();
        ip[20] = 0x40;

        Assert.Equal(DecodeStatus.GreUnsupportedFlags, _harness.Decode(ip, 101).Status);
        ip[20] = 0x01;
        Assert.Equal(DecodeStatus.GreUnsupportedFlags, _harness.Decode(ip, 101).Status);
    }

    [Fact]
    public void Version_above_one_is_counted()
    {
        byte[] ip = TestPackets.Udp().InGre(OuterSrc, OuterDst).BuildIp();
        ip[21] = 0x02;

        Assert.Equal(DecodeStatus.GreBadVersion, _harness.Decode(ip, 101).Status);
    }

    [Fact]
    public void Header_cut_short_is_truncated()
    {
        byte[] ip = TestPackets.Udp().InGre(OuterSrc, OuterDst, key: 1, sequence: 2).BuildIp();

        Assert.Equal(DecodeStatus.GreTruncated, _harness.Decode(ip[..23], 101, ip.Length).Status);
        Assert.Equal(DecodeStatus.GreTruncated, _harness.Decode(ip[..30], 101, ip.Length).Status);
    }

    [Fact]
    public void Pptp_gre_carrying_ppp_is_keyed_by_the_inner_packet()
    {
        Decoded d = _harness.Decode(TestPackets.Tcp().Syn().InPptp(OuterSrc, OuterDst, callId: 7));

        Assert.Equal(DecodeStatus.Ok, d.Status);
        Assert.Equal("192.168.1.10:51514", d.Src);
        Assert.True(d.Has(PacketFlags.Tunnelled));
    }

    [Fact]
    public void Pptp_acknowledgment_without_payload_is_keyed_by_the_outer_packet()
    {
        byte[] ack = [0x20, 0x81, 0x88, 0x0B, 0x00, 0x00, 0x00, 0x07, 0x00, 0x00, 0x00, 0x05]; // K, A, version 1, length 0
        byte[] ip = PacketBuilder.OuterIp(OuterSrc, OuterDst, 47, ack);

        Decoded d = _harness.Decode(ip, 101);

        Assert.Equal(DecodeStatus.Ok, d.Status);
        Assert.Equal(47, d.Key.Protocol);
        Assert.False(d.Has(PacketFlags.Tunnelled));
    }

    [Fact]
    public void Pptp_header_without_a_key_is_counted()
    {
        byte[] ip = PacketBuilder.OuterIp(OuterSrc, OuterDst, 47, [0x00, 0x01, 0x88, 0x0B, 0, 0, 0, 0]);

        Assert.Equal(DecodeStatus.GreBadPptpHeader, _harness.Decode(ip, 101).Status);
    }

    [Fact]
    public void Encrypted_pptp_payload_is_keyed_by_the_outer_packet()
    {
        byte[] ppp = [0xFF, 0x03, 0x00, 0xFD, 1, 2, 3, 4]; // compressed/encrypted datagram (MPPE)
        byte[] header = [0x30, 0x01, 0x88, 0x0B, 0x00, (byte)ppp.Length, 0x00, 0x07, 0, 0, 0, 1];
        byte[] ip = PacketBuilder.OuterIp(OuterSrc, OuterDst, 47, PacketBuilder.Concat(header, ppp));

        Decoded d = _harness.Decode(ip, 101);

        Assert.Equal(DecodeStatus.Ok, d.Status);
        Assert.Equal(47, d.Key.Protocol);
    }
}
