using TapSensor.Core.Decoding;
using TapSensor.Testing.Packets;

namespace TapSensor.Core.Tests.Decoding;

public sealed class CiscoHdlcDecoderTests
{
    private readonly DecoderHarness _harness = new();

    [Theory]
    [InlineData("10.1.1.1", "10.1.1.2")]
    [InlineData("2001:db8::1", "2001:db8::2")]
    public void Cisco_hdlc_carries_ip(string src, string dst)
    {
        Decoded d = _harness.Decode(TestPackets.Udp().From(src, 5000).To(dst, 53).CiscoHdlc());

        Assert.Equal(DecodeStatus.Ok, d.Status);
        Assert.Equal(53, d.Summary.SrcIsA ? d.Key.PortB : d.Key.PortA);
    }

    [Fact]
    public void Slarp_keepalive_is_not_ip()
    {
        Assert.Equal(DecodeStatus.NotIp, _harness.Decode([0x8F, 0x00, 0x80, 0x35, 0, 0, 0, 2, 1, 2, 3, 4], 104).Status);
    }

    [Fact]
    public void Header_cut_short_is_truncated()
    {
        Assert.Equal(DecodeStatus.CiscoHdlcTruncated, _harness.Decode([0x0F, 0x00, 0x08], 104).Status);
    }
}
