using TapSensor.Core.Decoding;
using TapSensor.Testing.Packets;

namespace TapSensor.Core.Tests.Decoding;

public sealed class LoopbackDecoderTests
{
    private readonly DecoderHarness _harness = new();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Null_link_reads_ipv4_in_either_byte_order(bool bigEndian)
    {
        Decoded d = _harness.Decode(TestPackets.Tcp().From("127.0.0.1", 40000).To("127.0.0.1", 8080).Syn().BsdNull(bigEndian: bigEndian));

        Assert.Equal(DecodeStatus.Ok, d.Status);
        Assert.Equal(4, d.Key.Family);
        Assert.Equal(4 + 20 + 20, d.PayloadStart);
    }

    [Theory]
    [InlineData(24u, false)]
    [InlineData(28u, false)]
    [InlineData(30u, false)]
    [InlineData(24u, true)]
    [InlineData(30u, true)]
    public void Null_link_reads_every_bsd_ipv6_family(uint family, bool bigEndian)
    {
        Decoded d = _harness.Decode(TestPackets.Udp().From("::1", 1).To("::1", 2).BsdNull(family, bigEndian));

        Assert.Equal(DecodeStatus.Ok, d.Status);
        Assert.Equal(6, d.Key.Family);
    }

    [Theory]
    [InlineData("10.0.0.1", "10.0.0.2")]
    [InlineData("2001:db8::1", "2001:db8::2")]
    public void Loop_link_reads_the_family_in_network_order(string src, string dst)
    {
        Decoded d = _harness.Decode(TestPackets.Udp().From(src, 1).To(dst, 2).BsdLoop());

        Assert.Equal(DecodeStatus.Ok, d.Status);
    }

    [Fact]
    public void Other_families_are_not_ip()
    {
        Assert.Equal(DecodeStatus.NotIp, _harness.Decode([7, 0, 0, 0, 1, 2, 3, 4], 0).Status);
        Assert.Equal(DecodeStatus.NotIp, _harness.Decode([0, 0, 0, 7, 1, 2, 3, 4], 108).Status);
    }

    [Fact]
    public void Header_cut_short_is_truncated()
    {
        Assert.Equal(DecodeStatus.LoopbackTruncated, _harness.Decode([2, 0, 0], 0).Status);
        Assert.Equal(DecodeStatus.LoopbackTruncated, _harness.Decode([0, 0, 0], 108).Status);
    }
}
