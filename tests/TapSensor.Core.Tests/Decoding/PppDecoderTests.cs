using TapSensor.Core.Decoding;
using TapSensor.Testing.Packets;

namespace TapSensor.Core.Tests.Decoding;

public sealed class PppDecoderTests
{
    private readonly DecoderHarness _harness = new();

    [Theory]
    [InlineData(9, true, false)]
    [InlineData(9, false, false)]
    [InlineData(9, false, true)]
    [InlineData(9, true, true)]
    [InlineData(50, true, false)]
    public void Ppp_link_carries_ipv4_with_or_without_address_control_and_protocol_compression(int linkType, bool addressAndControl, bool compressed)
    {
        PacketBuilder builder = TestPackets.Tcp().Syn().Ppp(linkType, addressAndControl, compressed);

        Decoded d = _harness.Decode(builder);

        Assert.Equal(DecodeStatus.Ok, d.Status);
        Assert.Equal("192.168.1.10:51514", d.Src);
        Assert.Equal(0UL, d.Summary.SrcMac);
        Assert.Equal((addressAndControl ? 2 : 0) + (compressed ? 1 : 2) + 20 + 20, d.PayloadStart);
    }

    [Fact]
    public void Ppp_link_carries_ipv6()
    {
        Decoded d = _harness.Decode(TestPackets.Udp().From("2001:db8::1", 1000).To("2001:db8::2", 53).Ppp());

        Assert.Equal(DecodeStatus.Ok, d.Status);
        Assert.Equal(6, d.Key.Family);
    }

    [Fact]
    public void Ppp_link_carries_mpls()
    {
        Decoded d = _harness.Decode(TestPackets.Udp().Mpls(100).Ppp());

        Assert.Equal(DecodeStatus.Ok, d.Status);
        Assert.Equal(17, d.Key.Protocol);
    }

    [Theory]
    [InlineData(0xC0, 0x21)] // LCP
    [InlineData(0x80, 0x21)] // IPCP
    [InlineData(0x00, 0xFD)] // compressed datagram
    public void Ppp_control_and_compressed_frames_are_not_ip(byte high, byte low)
    {
        Assert.Equal(DecodeStatus.NotIp, _harness.Decode([0xFF, 0x03, high, low, 1, 2, 3, 4], 9).Status);
    }

    [Fact]
    public void Ppp_frame_without_a_protocol_is_truncated()
    {
        Assert.Equal(DecodeStatus.PppTruncated, _harness.Decode([0xFF, 0x03], 9).Status);
        Assert.Equal(DecodeStatus.PppTruncated, _harness.Decode([0xFF, 0x03, 0x00], 9).Status);
    }

    [Theory]
    [InlineData(9)]
    [InlineData(50)]
    public void Ppp_link_types_with_a_cisco_address_are_cisco_hdlc(int linkType)
    {
        Decoded d = _harness.Decode(TestPackets.Udp().CiscoHdlc(linkType));

        Assert.Equal(DecodeStatus.Ok, d.Status);
        Assert.Equal(4 + 20 + 8, d.PayloadStart);
    }
}
