using TapSensor.Core.Decoding;
using TapSensor.Testing.Packets;

namespace TapSensor.Core.Tests.Decoding;

public sealed class PppoeDecoderTests
{
    private readonly DecoderHarness _harness = new();

    [Theory]
    [InlineData("192.168.1.10", "203.0.113.7")]
    [InlineData("2001:db8::10", "2001:db8:ffff::7")]
    public void Pppoe_session_carries_ip(string src, string dst)
    {
        Decoded d = _harness.Decode(TestPackets.Tcp().From(src, 40000).To(dst, 443).Syn().Pppoe(0x1234));

        Assert.Equal(DecodeStatus.Ok, d.Status);
        Assert.Equal(6, d.Key.Protocol);
        Assert.Equal(src.Contains(':') ? $"[{dst}]:443" : $"{dst}:443", d.Dst);
        Assert.Equal(14 + 8 + (src.Contains(':') ? 40 : 20) + 20, d.PayloadStart);
    }

    [Fact]
    public void Pppoe_session_inside_a_vlan_is_read()
    {
        Decoded d = _harness.Decode(TestPackets.Udp().Vlan(7).Pppoe());

        Assert.Equal(DecodeStatus.Ok, d.Status);
        Assert.Equal(7, d.Key.Vlan);
    }

    [Fact]
    public void Ppp_control_protocol_in_a_session_is_not_ip()
    {
        byte[] frame = TestPackets.Udp().Pppoe().Build();
        frame[14 + 6] = 0xC0; // LCP 0xC021
        frame[14 + 7] = 0x21;

        Assert.Equal(DecodeStatus.NotIp, _harness.Decode(frame).Status);
    }

    [Fact]
    public void Wrong_version_or_type_is_counted()
    {
        byte[] frame = TestPackets.Udp().Pppoe().Build();
        frame[14] = 0x12;

        Assert.Equal(DecodeStatus.PppoeBadVersion, _harness.Decode(frame).Status);
    }

    [Fact]
    public void Session_frame_with_a_discovery_code_is_counted()
    {
        byte[] frame = TestPackets.Udp().Pppoe().Build();
        frame[15] = 0x09; // PADI

        Assert.Equal(DecodeStatus.PppoeBadCode, _harness.Decode(frame).Status);
    }

    [Fact]
    public void Header_cut_short_is_truncated()
    {
        byte[] frame = TestPackets.Udp().Pppoe().Build();

        Assert.Equal(DecodeStatus.PppoeTruncated, _harness.Decode(frame[..19], 1, frame.Length).Status);
        Assert.Equal(DecodeStatus.PppTruncated, _harness.Decode(frame[..21], 1, frame.Length).Status);
    }

    [Fact]
    public void Session_length_bounds_the_ip_packet()
    {
        byte[] frame = TestPackets.Tcp().Payload("0123456789").Pppoe().Build();
        frame[14 + 5] -= 4; // the session claims 4 bytes fewer than the IP packet holds

        Decoded d = _harness.Decode(frame);

        Assert.Equal(DecodeStatus.Ok, d.Status);
        Assert.Equal(20 + 20 + 10 - 4, d.Summary.IpLength);
        Assert.Equal(10 - 4, d.Summary.PayloadLength);
        Assert.Equal(1, _harness.Counters.Read(DecodeNote.IpLengthExceedsFrame));
    }
}
