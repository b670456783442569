using TapSensor.Core.Decoding;
using TapSensor.Testing.Packets;

namespace TapSensor.Core.Tests.Decoding;

public sealed class RawIpDecoderTests
{
    private readonly DecoderHarness _harness = new();

    [Theory]
    [InlineData(101, "10.0.0.1", "10.0.0.2")]
    [InlineData(101, "2001:db8::1", "2001:db8::2")]
    [InlineData(12, "10.0.0.1", "10.0.0.2")]
    [InlineData(14, "2001:db8::1", "2001:db8::2")]
    [InlineData(228, "10.0.0.1", "10.0.0.2")]
    [InlineData(229, "2001:db8::1", "2001:db8::2")]
    public void Raw_link_types_start_at_the_ip_header(int linkType, string src, string dst)
    {
        Decoded d = _harness.Decode(TestPackets.Udp().From(src, 1).To(dst, 2).RawIp(linkType));

        Assert.Equal(DecodeStatus.Ok, d.Status);
        Assert.Equal(0UL, d.Summary.SrcMac);
        Assert.Equal((src.Contains(':') ? 40 : 20) + 8, d.PayloadStart);
    }

    [Fact]
    public void Ipv4_only_link_type_rejects_ipv6_and_the_reverse()
    {
        Assert.Equal(DecodeStatus.Ipv4WrongVersion, _harness.Decode(TestPackets.Udp().From("::1", 1).To("::2", 2).RawIp(228)).Status);
        Assert.Equal(DecodeStatus.Ipv6WrongVersion, _harness.Decode(TestPackets.Udp().PayloadLength(40).RawIp(229)).Status);
    }

    [Fact]
    public void Raw_frame_with_another_version_or_no_bytes_is_a_bad_version()
    {
        Assert.Equal(DecodeStatus.RawBadVersion, _harness.Decode([0x55, 0, 0, 0], 101).Status);
        Assert.Equal(DecodeStatus.RawBadVersion, _harness.Decode([], 101).Status);
    }
}
