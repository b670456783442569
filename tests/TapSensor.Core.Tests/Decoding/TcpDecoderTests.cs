using System.Buffers.Binary;
using TapSensor.Core.Decoding;
using TapSensor.Core.Packets;
using TapSensor.Testing.Packets;

namespace TapSensor.Core.Tests.Decoding;

public sealed class TcpDecoderTests
{
    private const int Raw = 101;
    private readonly DecoderHarness _harness = new();

    [Theory]
    [InlineData(TcpFlag.Syn)]
    [InlineData(TcpFlag.Syn | TcpFlag.Ack)]
    [InlineData(TcpFlag.Fin | TcpFlag.Ack)]
    [InlineData(TcpFlag.Rst)]
    [InlineData(TcpFlag.Psh | TcpFlag.Ack | TcpFlag.Urg)]
    [InlineData(TcpFlag.Syn | TcpFlag.Ece | TcpFlag.Cwr)]
    [InlineData(0)]
    public void Flags_are_reported_as_sent(byte flags)
    {
        Assert.Equal(flags, _harness.Decode(TestPackets.Tcp().TcpFlags(flags)).Summary.TcpFlags);
    }

    [Fact]
    public void Options_count_in_the_header_length()
    {
        byte[] mssSackWscale = [2, 4, 0x05, 0xB4, 4, 2, 1, 3, 3, 7];

        Decoded d = _harness.Decode(TestPackets.Tcp().Syn().TcpOptions(mssSackWscale).Payload("data"));

        Assert.Equal(DecodeStatus.Ok, d.Status);
        Assert.Equal(4, d.Summary.PayloadLength);
        Assert.Equal(14 + 20 + 32, d.PayloadStart);
        Assert.Equal(4, d.PayloadCaptured);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(4)]
    public void Data_offset_below_five_words_is_a_bad_header_length(int words)
    {
        byte[] ip = TestPackets.Tcp().BuildIp();
        ip[20 + 12] = (byte)(words << 4);

        Assert.Equal(DecodeStatus.TcpBadHeaderLength, _harness.Decode(ip, Raw).Status);
    }

    [Fact]
    public void Data_offset_beyond_the_segment_is_a_bad_header_length()
    {
        byte[] ip = TestPackets.Tcp().Payload("abc").BuildIp();
        ip[20 + 12] = 0xF0;

        Assert.Equal(DecodeStatus.TcpBadHeaderLength, _harness.Decode(ip, Raw).Status);
    }

    [Fact]
    public void Segment_shorter_than_the_fixed_header_is_too_small()
    {
        byte[] ip = TestPackets.Tcp().BuildIp();
        BinaryPrimitives.WriteUInt16BigEndian(ip.AsSpan(2), 20 + 19);

        Assert.Equal(DecodeStatus.TcpTooSmall, _harness.Decode(ip, Raw).Status);
    }

    [Fact]
    public void Snap_length_cut_before_the_flags_keeps_the_ports()
    {
        byte[] ip = TestPackets.Tcp().Syn().BuildIp();

        Decoded d = _harness.Decode(ip[..(20 + 8)], Raw, ip.Length);

        Assert.Equal(DecodeStatus.Ok, d.Status);
        Assert.Equal("203.0.113.7:443", d.Dst);
        Assert.Equal(0, d.Summary.TcpFlags);
        Assert.True(d.Has(PacketFlags.Truncated));
    }

    [Fact]
    public void Snap_length_cut_before_the_ports_is_truncated()
    {
        byte[] ip = TestPackets.Tcp().BuildIp();

        Assert.Equal(DecodeStatus.TcpTruncated, _harness.Decode(ip[..(20 + 3)], Raw, ip.Length).Status);
    }

    [Fact]
    public void Tiny_first_fragment_still_gives_its_ports()
    {
        IReadOnlyList<byte[]> fragments = TestPackets.Tcp().Syn().PayloadLength(100).BuildFragments(8);

        List<Decoded> decoded = _harness.DecodeAll(fragments);

        Assert.Equal(DecodeStatus.Ok, decoded[0].Status);
        Assert.Equal("203.0.113.7:443", decoded[0].Dst);
        Assert.Equal(0, decoded[0].Summary.TcpFlags);
        Assert.All(decoded, d => Assert.Equal(decoded[0].Key, d.Key));
    }
}
