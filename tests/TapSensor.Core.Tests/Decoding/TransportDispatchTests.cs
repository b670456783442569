using TapSensor.Core.Decoding;
using TapSensor.Core.Packets;
using TapSensor.Testing.Packets;

namespace TapSensor.Core.Tests.Decoding;

public sealed class TransportDispatchTests
{
    private readonly DecoderHarness _harness = new();

    [Theory]
    [InlineData("10.0.0.1", "10.0.0.2", "192.0.2.1", "192.0.2.2")]       // IPv4 in IPv4 (protocol 4)
    [InlineData("2001:db8::1", "2001:db8::2", "192.0.2.1", "192.0.2.2")] // 6in4 (protocol 41)
    [InlineData("10.0.0.1", "10.0.0.2", "2001:db8:f::1", "2001:db8:f::2")]
    [InlineData("2001:db8::1", "2001:db8::2", "2001:db8:f::1", "2001:db8:f::2")]
    public void Ip_in_ip_is_keyed_by_the_inner_packet(string innerSrc, string innerDst, string outerSrc, string outerDst)
    {
        PacketBuilder inner = TestPackets.Tcp().From(innerSrc, 40000).To(innerDst, 22).Syn().Payload("ssh");
        Decoded plain = new DecoderHarness().Decode(inner);

        Decoded d = _harness.Decode(inner.InIpIp(outerSrc, outerDst));

        Assert.Equal(DecodeStatus.Ok, d.Status);
        Assert.Equal(plain.Key, d.Key);
        Assert.True(d.Has(PacketFlags.Tunnelled));
        Assert.Equal(plain.Summary.IpLength, d.Summary.IpLength);
        Assert.Equal(3, d.Summary.PayloadLength);
        Assert.Equal(TcpFlag.Syn, d.Summary.TcpFlags);
        Assert.Equal(plain.Summary.SrcMac, d.Summary.SrcMac);
        Assert.Equal(1, _harness.Counters.Read(DecodeNote.Tunnelled));
    }

    [Fact]
    public void Three_nested_tunnels_are_decapsulated_and_a_fourth_is_too_deep()
    {
        PacketBuilder three = TestPackets.Udp().InIpIp("10.9.0.1", "10.9.0.2").InGre("10.8.0.1", "10.8.0.2").InIpIp("10.7.0.1", "10.7.0.2");
        PacketBuilder four = TestPackets.Udp().InIpIp("10.9.0.1", "10.9.0.2").InGre("10.8.0.1", "10.8.0.2").InIpIp("10.7.0.1", "10.7.0.2")
            .InIpIp("10.6.0.1", "10.6.0.2");

        Decoded d = _harness.Decode(three);

        Assert.Equal(DecodeStatus.Ok, d.Status);
        Assert.Equal("192.168.1.10:51514", d.Src);
        Assert.Equal(DecodeStatus.TunnelTooDeep, _harness.Decode(four).Status);
    }

    [Fact]
    public void Other_protocols_are_keyed_by_number_with_ports_zero()
    {
        Decoded d = _harness.Decode(TestPackets.Ip(89).Payload(new byte[44]));

        Assert.Equal(DecodeStatus.Ok, d.Status);
        Assert.Equal(89, d.Key.Protocol);
        Assert.Equal("192.168.1.10:0", d.Src);
        Assert.Equal(44, d.Summary.PayloadLength);
        Assert.Equal(14 + 20, d.PayloadStart);
        Assert.Equal(44, d.PayloadCaptured);
    }

    [Fact]
    public void Udp_tunnels_are_not_decapsulated()
    {
        byte[] vxlanHeader = [0x08, 0, 0, 0, 0, 0, 0x2A, 0];
        byte[] inner = TestPackets.Tcp().From("172.16.0.1", 1).To("172.16.0.2", 2).Build();
        byte[] payload = PacketBuilder.Concat(vxlanHeader, inner);

        Decoded d = _harness.Decode(TestPackets.Udp().From("192.0.2.1", 40000).To("192.0.2.2", 4789).Payload(payload));

        Assert.Equal(DecodeStatus.Ok, d.Status);
        Assert.Equal("192.0.2.2:4789", d.Dst);
        Assert.False(d.Has(PacketFlags.Tunnelled));
        Assert.Equal(payload.Length, d.Summary.PayloadLength);
    }

    [Fact]
    public void Inner_packet_cut_short_inside_a_tunnel_is_an_error_of_the_inner_header()
    {
        byte[] frame = TestPackets.Udp().InIpIp("192.0.2.1", "192.0.2.2").Build();

        Assert.Equal(DecodeStatus.Ipv4Truncated, _harness.Decode(frame[..(14 + 20 + 10)], 1, frame.Length).Status);
    }
}
