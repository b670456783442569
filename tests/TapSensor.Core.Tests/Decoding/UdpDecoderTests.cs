using System.Buffers.Binary;
using TapSensor.Core.Decoding;
using TapSensor.Core.Packets;
using TapSensor.Testing.Packets;

namespace TapSensor.Core.Tests.Decoding;

public sealed class UdpDecoderTests
{
    private const int Raw = 101;
    private readonly DecoderHarness _harness = new();

    [Fact]
    public void Ports_and_payload_are_reported()
    {
        byte[] frame = TestPackets.Udp().From("192.168.1.20", 5353).To("224.0.0.251", 5353).Payload("mdns").Build();

        Decoded d = _harness.Decode(frame);

        Assert.Equal(DecodeStatus.Ok, d.Status);
        Assert.Equal("192.168.1.20:5353", d.Src);
        Assert.Equal("224.0.0.251:5353", d.Dst);
        Assert.Equal(4, d.Summary.PayloadLength);
        Assert.Equal("mdns"u8.ToArray(), frame.AsSpan(d.PayloadStart, d.PayloadCaptured).ToArray());
    }

    [Theory]
    [InlineData(7)]
    [InlineData(0)]
    [InlineData(8 + 5)]
    public void Length_field_below_the_header_or_beyond_the_ip_payload_is_bad(int udpLength)
    {
        byte[] ip = TestPackets.Udp().Payload("abcd").BuildIp();
        BinaryPrimitives.WriteUInt16BigEndian(ip.AsSpan(24), (ushort)udpLength);

        Assert.Equal(DecodeStatus.UdpBadLength, _harness.Decode(ip, Raw).Status);
    }

    [Fact]
    public void Length_field_shorter_than_the_ip_payload_is_accepted()
    {
        byte[] ip = TestPackets.Udp().Payload("abcd").BuildIp();
        BinaryPrimitives.WriteUInt16BigEndian(ip.AsSpan(24), 8 + 2);

        Decoded d = _harness.Decode(ip, Raw);

        Assert.Equal(DecodeStatus.Ok, d.Status);
        Assert.Equal(4, d.Summary.PayloadLength);
    }

    [Fact]
    public void Ip_payload_shorter_than_a_udp_header_is_bad()
    {
        byte[] ip = TestPackets.Udp().BuildIp();
        BinaryPrimitives.WriteUInt16BigEndian(ip.AsSpan(2), 20 + 7);

        Assert.Equal(DecodeStatus.UdpBadLength, _harness.Decode(ip, Raw).Status);
    }

    [Fact]
    public void Snap_length_cut_after_the_ports_is_ok()
    {
        byte[] ip = TestPackets.Udp().PayloadLength(100).BuildIp();

        Decoded d = _harness.Decode(ip[..24], Raw, ip.Length);

        Assert.Equal(DecodeStatus.Ok, d.Status);
        Assert.True(d.Has(PacketFlags.Truncated));
        Assert.Equal(100, d.Summary.PayloadLength);
    }

    [Fact]
    public void Snap_length_cut_before_the_ports_is_truncated()
    {
        byte[] ip = TestPackets.Udp().BuildIp();

        Assert.Equal(DecodeStatus.UdpTruncated, _harness.Decode(ip[..22], Raw, ip.Length).Status);
    }
}
