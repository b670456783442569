using TapSensor.Core.Decoding;
using TapSensor.Testing.Packets;

namespace TapSensor.Core.Tests.Decoding;

public sealed class LinuxSllDecoderTests
{
    private readonly DecoderHarness _harness = new();

    [Fact]
    public void Sll_carries_ip_and_the_source_mac()
    {
        Decoded d = _harness.Decode(TestPackets.Tcp().Syn().SrcMac("a4:83:e7:00:00:01").LinuxSll());

        Assert.Equal(DecodeStatus.Ok, d.Status);
        Assert.Equal("192.168.1.10:51514", d.Src);
        Assert.Equal(0xA483E7000001UL, d.Summary.SrcMac);
        Assert.Equal(0UL, d.Summary.DstMac);
        Assert.Equal(16 + 20 + 20, d.PayloadStart);
    }

    [Fact]
    public void Sll2_carries_ip_and_the_source_mac()
    {
        Decoded d = _harness.Decode(TestPackets.Udp().From("2001:db8::1", 1).To("2001:db8::2", 2).SrcMac("a4:83:e7:00:00:02").LinuxSll2());

        Assert.Equal(DecodeStatus.Ok, d.Status);
        Assert.Equal(6, d.Key.Family);
        Assert.Equal(0xA483E7000002UL, d.Summary.SrcMac);
        Assert.Equal(20 + 40 + 8, d.PayloadStart);
    }

    [Fact]
    public void Vlan_tag_put_back_by_libpcap_is_read()
    {
        Decoded d = _harness.Decode(TestPackets.Udp().Vlan(42).LinuxSll());

        Assert.Equal(DecodeStatus.Ok, d.Status);
        Assert.Equal(42, d.Key.Vlan);
    }

    [Fact]
    public void Address_of_a_non_ethernet_device_is_not_a_mac()
    {
        byte[] frame = TestPackets.Udp().LinuxSll().Build();
        frame[2] = 0xFF; // ARPHRD_NONE (65534), as on tun devices
        frame[3] = 0xFE;

        Decoded d = _harness.Decode(frame, 113);

        Assert.Equal(DecodeStatus.Ok, d.Status);
        Assert.Equal(0UL, d.Summary.SrcMac);
    }

    [Fact]
    public void Headers_cut_short_are_truncated()
    {
        Assert.Equal(DecodeStatus.SllTruncated, _harness.Decode(new byte[15], 113).Status);
        Assert.Equal(DecodeStatus.Sll2Truncated, _harness.Decode(new byte[19], 276).Status);
    }

    [Fact]
    public void Non_ip_protocols_are_not_ip()
    {
        byte[] frame = TestPackets.Udp().LinuxSll().Build();
        frame[14] = 0x00; // 802.2 LLC (0x0004)
        frame[15] = 0x04;

        Assert.Equal(DecodeStatus.NotIp, _harness.Decode(frame, 113).Status);
    }
}
