using TapSensor.Core.Decoding;
using TapSensor.Testing.Packets;

namespace TapSensor.Core.Tests.Decoding;

public sealed class EthernetDecoderTests
{
    private readonly DecoderHarness _harness = new();

    [Fact]
    public void Frame_shorter_than_an_ethernet_header_is_truncated()
    {
        Assert.Equal(DecodeStatus.EthernetTruncated, _harness.Decode(new byte[13]).Status);
    }

    [Theory]
    [InlineData(0x0806)] // ARP
    [InlineData(0x88CC)] // LLDP
    [InlineData(0x8863)] // PPPoE discovery
    [InlineData(0x888E)] // EAPOL
    [InlineData(0x05DC)] // 802.3 length 1500 (LLC, e.g. STP)
    [InlineData(0x0026)] // 802.3 length 38
    public void Frames_without_ip_are_not_ip(int etherType)
    {
        byte[] frame = PacketBuilder.Concat(PacketBuilder.EthernetHeader("01:80:c2:00:00:00", "02:00:00:00:00:01", (ushort)etherType), new byte[46]);

        Decoded d = _harness.Decode(frame);

        Assert.Equal(DecodeStatus.NotIp, d.Status);
        Assert.False(DecodeStatusNames.IsError(d.Status));
    }

    [Fact]
    public void Ethertype_ipv4_with_an_ipv6_packet_is_the_wrong_version()
    {
        byte[] ip6 = TestPackets.Udp().From("2001:db8::1", 1).To("2001:db8::2", 2).BuildIp();
        byte[] frame = PacketBuilder.Concat(PacketBuilder.EthernetHeader("02:00:00:00:00:02", "02:00:00:00:00:01", 0x0800), ip6);

        Assert.Equal(DecodeStatus.Ipv4WrongVersion, _harness.Decode(frame).Status);
    }

    [Fact]
    public void Macs_are_read_first_octet_most_significant()
    {
        Decoded d = _harness.Decode(TestPackets.Tcp().SrcMac("a4:83:e7:12:34:56").DstMac("f0:9f:c2:ab:cd:ef"));

        Assert.Equal(0xA483E7123456UL, d.Summary.SrcMac);
        Assert.Equal(0xF09FC2ABCDEFUL, d.Summary.DstMac);
    }

    [Fact]
    public void Ethernet_padding_is_neither_ip_length_nor_payload()
    {
        byte[] frame = TestPackets.Udp().Payload("abc").Build();
        var padded = new byte[60];
        frame.CopyTo(padded, 0);
        padded[^1] = 0xEE;

        Decoded d = _harness.Decode(padded);

        Assert.Equal(DecodeStatus.Ok, d.Status);
        Assert.Equal(20 + 8 + 3, d.Summary.IpLength);
        Assert.Equal(3, d.Summary.PayloadLength);
        Assert.Equal(3, d.PayloadCaptured);
        Assert.Equal(60, d.Summary.WireLength);
    }
}
