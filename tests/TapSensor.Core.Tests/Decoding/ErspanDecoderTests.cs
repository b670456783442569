using TapSensor.Core.Decoding;
using TapSensor.Core.Packets;
using TapSensor.Testing.Packets;

namespace TapSensor.Core.Tests.Decoding;

public sealed class ErspanDecoderTests
{
    private readonly DecoderHarness _harness = new();

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Mirrored_frame_is_keyed_by_its_own_packet(int type)
    {
        Decoded d = _harness.Decode(TestPackets.Tcp().Syn().InErspan("10.255.0.1", "10.255.0.2", type));

        Assert.Equal(DecodeStatus.Ok, d.Status);
        Assert.Equal("192.168.1.10:51514", d.Src);
        Assert.True(d.Has(PacketFlags.Tunnelled));
    }

    [Fact]
    public void Type_3_platform_subheader_is_skipped()
    {
        byte[] header = new byte[12 + 8];
        header[0] = 0x20;
        header[11] = 0x01; // O: platform-specific sub-header present
        byte[] inner = PacketBuilder.Concat(header, TestPackets.Udp().Build());
        byte[] ip = PacketBuilder.OuterIp("10.255.0.1", "10.255.0.2", 47, PacketBuilder.Gre(0x22EB, null, 1, false, inner));

        Decoded d = _harness.Decode(ip, 101);

        Assert.Equal(DecodeStatus.Ok, d.Status);
        Assert.Equal("203.0.113.7:9999", d.Dst);
    }

    [Fact]
    public void Type_3_carrying_something_other_than_ethernet_is_keyed_by_the_outer_packet()
    {
        byte[] header = new byte[12];
        header[0] = 0x20;
        header[10] = 7 << 2; // frame type 7
        byte[] inner = PacketBuilder.Concat(header, TestPackets.Udp().Build());
        byte[] ip = PacketBuilder.OuterIp("10.255.0.1", "10.255.0.2", 47, PacketBuilder.Gre(0x22EB, null, 1, false, inner));

        Decoded d = _harness.Decode(ip, 101);

        Assert.Equal(DecodeStatus.Ok, d.Status);
        Assert.Equal(47, d.Key.Protocol);
        Assert.Equal("10.255.0.2:0", d.Dst);
    }

    [Theory]
    [InlineData(2, 0x20)]
    [InlineData(3, 0x10)]
    public void Header_of_another_version_is_counted(int type, byte firstByte)
    {
        byte[] ip = TestPackets.Udp().InErspan("10.255.0.1", "10.255.0.2", type).BuildIp();
        ip[20 + 8] = firstByte;

        Assert.Equal(DecodeStatus.ErspanBadVersion, _harness.Decode(ip, 101).Status);
    }

    [Fact]
    public void Header_cut_short_is_truncated()
    {
        byte[] ip = TestPackets.Udp().InErspan("10.255.0.1", "10.255.0.2", 2).BuildIp();

        Assert.Equal(DecodeStatus.ErspanTruncated, _harness.Decode(ip[..32], 101, ip.Length).Status);
    }
}
