using TapSensor.Core.Decoding;
using TapSensor.Testing.Packets;

namespace TapSensor.Core.Tests.Decoding;

public sealed class EtherTypesTests
{
    private readonly DecoderHarness _harness = new();

    [Fact]
    public void Dot1q_tag_keys_the_flow_by_its_vlan()
    {
        Decoded d = _harness.Decode(TestPackets.Tcp().From("192.168.1.10", 51514).To("203.0.113.7", 443).Syn().Vlan(10));

        Assert.Equal(DecodeStatus.Ok, d.Status);
        Assert.Equal(10, d.Key.Vlan);
        Assert.Equal("192.168.1.10:51514", d.Src);
        Assert.Equal(TcpFlag.Syn, d.Summary.TcpFlags);
        Assert.Equal(14 + 4 + 20 + 20, d.PayloadStart);
    }

    [Fact]
    public void Qinq_frame_keys_the_flow_by_the_inner_vlan()
    {
        Decoded d = _harness.Decode(TestPackets.Udp().Qinq(outer: 100, inner: 20));

        Assert.Equal(DecodeStatus.Ok, d.Status);
        Assert.Equal(20, d.Key.Vlan);
    }

    [Theory]
    [InlineData(0x9100)]
    [InlineData(0x88A8)]
    [InlineData(0x8100)]
    public void Every_tag_protocol_id_is_read_as_a_vlan_tag(int tpid)
    {
        Decoded d = _harness.Decode(TestPackets.Udp().VlanTag((ushort)tpid, 300).Vlan(7));

        Assert.Equal(DecodeStatus.Ok, d.Status);
        Assert.Equal(7, d.Key.Vlan);
    }

    [Fact]
    public void Priority_bits_do_not_leak_into_the_vlan_id()
    {
        Decoded d = _harness.Decode(TestPackets.Udp().VlanTag(0x8100, 0xABC, priority: 7));

        Assert.Equal(0xABC, d.Key.Vlan);
    }

    [Fact]
    public void Priority_tagged_frame_has_vlan_zero()
    {
        Decoded d = _harness.Decode(TestPackets.Udp().VlanTag(0x8100, 0, priority: 5));

        Assert.Equal(DecodeStatus.Ok, d.Status);
        Assert.Equal(0, d.Key.Vlan);
    }

    [Fact]
    public void Third_vlan_tag_is_too_many()
    {
        Decoded d = _harness.Decode(TestPackets.Udp().Qinq(1, 2).Vlan(3));

        Assert.Equal(DecodeStatus.VlanTooManyTags, d.Status);
    }

    [Fact]
    public void Vlan_tag_cut_short_is_truncated()
    {
        byte[] frame = TestPackets.Udp().Vlan(5).Build();

        Assert.Equal(DecodeStatus.VlanTruncated, _harness.Decode(frame[..16], 1, frame.Length).Status);
    }

    [Fact]
    public void Vlan_tagged_arp_is_not_ip()
    {
        byte[] frame = PacketBuilder.Concat(PacketBuilder.EthernetHeader("ff:ff:ff:ff:ff:ff", "02:00:00:00:00:01", 0x8100),
            PacketBuilder.Concat([0x00, 0x0A, 0x08, 0x06], new byte[28]));

        Assert.Equal(DecodeStatus.NotIp, _harness.Decode(frame).Status);
    }

    [Fact]
    public void Provider_backbone_bridging_is_keyed_by_the_customer_frame()
    {
        byte[] customer = TestPackets.Tcp().Syn().SrcMac("02:00:00:00:77:01").Vlan(300).Build();
        byte[] serviceTag = [0x00, 0x01, 0x02, 0x03];
        byte[] frame = PacketBuilder.Concat(PacketBuilder.EthernetHeader("02:00:00:00:00:02", "02:00:00:00:00:01", 0x8100),
            PacketBuilder.Concat([0x00, 0x0A, 0x88, 0xE7], PacketBuilder.Concat(serviceTag, customer)));

        Decoded d = _harness.Decode(frame);

        Assert.Equal(DecodeStatus.Ok, d.Status);
        Assert.Equal(300, d.Key.Vlan);
        Assert.Equal("192.168.1.10:51514", d.Src);
        Assert.Equal(0x020000000001UL, d.Summary.SrcMac);
        Assert.Equal(DecodeStatus.PbbTruncated, _harness.Decode(frame[..20], 1, frame.Length).Status);
    }

    [Fact]
    public void Vlans_separate_flows_with_the_same_addresses()
    {
        Decoded a = _harness.Decode(TestPackets.Udp().Vlan(10));
        Decoded b = _harness.Decode(TestPackets.Udp().Vlan(20));

        Assert.NotEqual(a.Key, b.Key);
    }
}
