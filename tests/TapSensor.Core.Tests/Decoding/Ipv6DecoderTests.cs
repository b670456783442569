using System.Buffers.Binary;
using TapSensor.Core.Decoding;
using TapSensor.Core.Packets;
using TapSensor.Testing.Packets;

namespace TapSensor.Core.Tests.Decoding;

public sealed class Ipv6DecoderTests
{
    private const int Raw = 101;
    private const string Client = "2001:db8:1::10";
    private const string Server = "2001:db8:2::7";
    private readonly DecoderHarness _harness = new();

    private static PacketBuilder Tcp6() => TestPackets.Tcp().From(Client, 51514).To(Server, 443);

    [Fact]
    public void Ip_length_is_the_payload_length_plus_the_fixed_header()
    {
        Decoded d = _harness.Decode(Tcp6().Syn().Payload("hello"));

        Assert.Equal(DecodeStatus.Ok, d.Status);
        Assert.Equal(6, d.Key.Family);
        Assert.Equal($"[{Client}]:51514", d.Src);
        Assert.Equal($"[{Server}]:443", d.Dst);
        Assert.Equal(40 + 20 + 5, d.Summary.IpLength);
        Assert.Equal(5, d.Summary.PayloadLength);
    }

    [Fact]
    public void Extension_headers_are_walked_to_the_transport()
    {
        PacketBuilder builder = Tcp6().Syn().Payload("abc")
            .Ipv6Extension(0, 8).Ipv6Extension(60, 16).Ipv6Extension(43, 24).Ipv6Extension(51, 16).Ipv6Extension(60, 8);

        Decoded d = _harness.Decode(builder.Build(), 1);

        Assert.Equal(DecodeStatus.Ok, d.Status);
        Assert.Equal(6, d.Key.Protocol);
        Assert.Equal(TcpFlag.Syn, d.Summary.TcpFlags);
        Assert.Equal(3, d.Summary.PayloadLength);
        Assert.Equal(40 + 72 + 20 + 3, d.Summary.IpLength);
        Assert.Equal(14 + 40 + 72 + 20, d.PayloadStart);
    }

    [Theory]
    [InlineData(50)] // ESP
    [InlineData(59)] // No Next Header
    [InlineData(89)] // OSPF
    public void Walk_ends_at_a_protocol_without_ports(byte protocol)
    {
        Decoded d = _harness.Decode(TestPackets.Ip(protocol).From(Client).To(Server).Payload(new byte[24]).Ipv6Extension(60));

        Assert.Equal(DecodeStatus.Ok, d.Status);
        Assert.Equal(protocol, d.Key.Protocol);
        Assert.Equal(0, d.Key.PortA);
        Assert.Equal(0, d.Key.PortB);
        Assert.Equal(24, d.Summary.PayloadLength);
    }

    [Fact]
    public void Eight_extension_headers_are_walked_and_a_ninth_is_too_many()
    {
        PacketBuilder eight = Tcp6();
        PacketBuilder nine = Tcp6();
        for (int i = 0; i < Ipv6Decoder.MaxExtensionHeaders; i++)
        {
            eight.Ipv6Extension(60);
            nine.Ipv6Extension(60);
        }
        nine.Ipv6Extension(60);

        Assert.Equal(DecodeStatus.Ok, _harness.Decode(eight).Status);
        Assert.Equal(DecodeStatus.Ipv6TooManyExtensionHeaders, _harness.Decode(nine).Status);
    }

    [Fact]
    public void Extension_header_longer_than_the_packet_is_a_bad_length()
    {
        byte[] ip = Tcp6().Ipv6Extension(60).BuildIp();
        ip[41] = 30;

        Assert.Equal(DecodeStatus.Ipv6ExtensionHeaderBadLength, _harness.Decode(ip, Raw).Status);
    }

    [Fact]
    public void Extension_header_cut_by_the_snap_length_is_truncated()
    {
        byte[] ip = Tcp6().Ipv6Extension(60, 32).BuildIp();

        Assert.Equal(DecodeStatus.Ipv6ExtensionHeaderTruncated, _harness.Decode(ip[..50], Raw, ip.Length).Status);
        Assert.Equal(DecodeStatus.Ipv6ExtensionHeaderTruncated, _harness.Decode(ip[..41], Raw, ip.Length).Status);
    }

    [Fact]
    public void Header_cut_short_or_of_another_version_is_counted()
    {
        byte[] ip = Tcp6().BuildIp();

        Assert.Equal(DecodeStatus.Ipv6Truncated, _harness.Decode(ip[..39], 229, ip.Length).Status);
        ip[0] = 0x45;
        Assert.Equal(DecodeStatus.Ipv6WrongVersion, _harness.Decode(ip, 229).Status);
    }

    [Fact]
    public void Zero_payload_length_takes_the_frame_length()
    {
        byte[] ip = Tcp6().Ack().Payload(new byte[3000]).BuildIp();
        BinaryPrimitives.WriteUInt16BigEndian(ip.AsSpan(4), 0);

        Decoded d = _harness.Decode(ip, Raw);

        Assert.Equal(DecodeStatus.Ok, d.Status);
        Assert.Equal(ip.Length, d.Summary.IpLength);
        Assert.Equal(ip.Length - 60, d.Summary.PayloadLength);
        Assert.Equal(1, _harness.Counters.Read(DecodeNote.Ipv6ZeroPayloadLength));
    }

    [Fact]
    public void Zero_payload_length_of_other_protocols_is_an_empty_payload()
    {
        byte[] frame = TestPackets.Ip(99).From(Client).To(Server).Build();
        var padded = new byte[frame.Length + 6]; // Ethernet minimum frame padding
        frame.CopyTo(padded, 0);

        Decoded d = _harness.Decode(padded);

        Assert.Equal(DecodeStatus.Ok, d.Status);
        Assert.Equal(40, d.Summary.IpLength);
        Assert.Equal(0, d.Summary.PayloadLength);
        Assert.Equal(0, d.PayloadCaptured);
    }

    [Fact]
    public void Payload_length_beyond_the_wire_frame_is_clamped_to_it()
    {
        byte[] ip = Tcp6().Payload("abcd").BuildIp();
        BinaryPrimitives.WriteUInt16BigEndian(ip.AsSpan(4), 9000);

        Decoded d = _harness.Decode(ip, Raw);

        Assert.Equal(DecodeStatus.Ok, d.Status);
        Assert.Equal(ip.Length, d.Summary.IpLength);
        Assert.False(d.Has(PacketFlags.Truncated));
    }
}
