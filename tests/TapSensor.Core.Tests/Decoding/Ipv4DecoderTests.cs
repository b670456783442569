using System.Buffers.Binary;
using TapSensor.Core.Decoding;
using TapSensor.Core.Packets;
using TapSensor.Testing.Packets;

namespace TapSensor.Core.Tests.Decoding;

public sealed class Ipv4DecoderTests
{
    private const int Raw = 101;
    private readonly DecoderHarness _harness = new();

    [Fact]
    public void Options_are_skipped_by_the_header_length()
    {
        byte[] ip = WithOptions(TestPackets.Tcp().Syn().Payload("xy").BuildIp(), [0x94, 0x04, 0x00, 0x00, 0x01, 0x01, 0x01, 0x00]);

        Decoded d = _harness.Decode(ip, Raw);

        Assert.Equal(DecodeStatus.Ok, d.Status);
        Assert.Equal("192.168.1.10:51514", d.Src);
        Assert.Equal(TcpFlag.Syn, d.Summary.TcpFlags);
        Assert.Equal(28 + 20 + 2, d.Summary.IpLength);
        Assert.Equal(2, d.Summary.PayloadLength);
        Assert.Equal(28 + 20, d.PayloadStart);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(4)]
    public void Header_length_below_five_words_is_bad(int ihl)
    {
        byte[] ip = TestPackets.Udp().BuildIp();
        ip[0] = (byte)(0x40 | ihl);

        Assert.Equal(DecodeStatus.Ipv4BadHeaderLength, _harness.Decode(ip, Raw).Status);
    }

    [Fact]
    public void Total_length_below_the_header_length_is_bad()
    {
        byte[] ip = TestPackets.Udp().BuildIp();
        BinaryPrimitives.WriteUInt16BigEndian(ip.AsSpan(2), 19);

        Assert.Equal(DecodeStatus.Ipv4BadTotalLength, _harness.Decode(ip, Raw).Status);
    }

    [Fact]
    public void Header_cut_short_is_truncated()
    {
        byte[] ip = TestPackets.Udp().BuildIp();
        byte[] withOptions = WithOptions(ip, [1, 1, 1, 0]);

        Assert.Equal(DecodeStatus.Ipv4Truncated, _harness.Decode(ip[..19], Raw, ip.Length).Status);
        Assert.Equal(DecodeStatus.Ipv4Truncated, _harness.Decode(withOptions[..22], Raw, withOptions.Length).Status);
    }

    [Fact]
    public void Snap_length_cut_after_the_ports_is_ok_and_flagged_truncated()
    {
        byte[] frame = TestPackets.Tcp().Payload(new byte[1000]).Build();

        Decoded d = _harness.Decode(frame[..(14 + 20 + 4)], 1, frame.Length);

        Assert.Equal(DecodeStatus.Ok, d.Status);
        Assert.True(d.Has(PacketFlags.Truncated));
        Assert.Equal("192.168.1.10:51514", d.Src);
        Assert.Equal(20 + 20 + 1000, d.Summary.IpLength);
        Assert.Equal(1000, d.Summary.PayloadLength);
        Assert.Equal(0, d.PayloadCaptured);
        Assert.Equal(1, _harness.Counters.Read(DecodeNote.TruncatedOk));
    }

    [Fact]
    public void Snap_length_cut_inside_the_payload_offers_only_the_captured_bytes()
    {
        byte[] frame = TestPackets.Udp().PayloadLength(500).Build();

        Decoded d = _harness.Decode(frame[..96], 1, frame.Length);

        Assert.Equal(DecodeStatus.Ok, d.Status);
        Assert.True(d.Has(PacketFlags.Truncated));
        Assert.Equal(500, d.Summary.PayloadLength);
        Assert.Equal(14 + 28, d.PayloadStart);
        Assert.Equal(96 - 14 - 28, d.PayloadCaptured);
    }

    [Fact]
    public void Total_length_beyond_the_wire_frame_is_clamped_to_it()
    {
        byte[] ip = TestPackets.Udp().Payload("abcd").BuildIp();
        BinaryPrimitives.WriteUInt16BigEndian(ip.AsSpan(2), 1400);

        Decoded d = _harness.Decode(ip, Raw);

        Assert.Equal(DecodeStatus.Ok, d.Status);
        Assert.Equal(ip.Length, d.Summary.IpLength);
        Assert.Equal(4, d.Summary.PayloadLength);
        Assert.False(d.Has(PacketFlags.Truncated));
        Assert.Equal(1, _harness.Counters.Read(DecodeNote.IpLengthExceedsFrame));
    }

    [Fact]
    public void Zero_total_length_from_segmentation_offload_takes_the_frame_length()
    {
        byte[] ip = TestPackets.Tcp().Ack().Payload(new byte[3000]).BuildIp();
        BinaryPrimitives.WriteUInt16BigEndian(ip.AsSpan(2), 0);

        Decoded d = _harness.Decode(ip, Raw);

        Assert.Equal(DecodeStatus.Ok, d.Status);
        Assert.Equal(3040, d.Summary.IpLength);
        Assert.Equal(3000, d.Summary.PayloadLength);
        Assert.Equal(1, _harness.Counters.Read(DecodeNote.Ipv4ZeroTotalLength));
    }

    [Fact]
    public void Ah_in_transport_mode_is_stepped_over_to_the_transport()
    {
        byte[] ah = new byte[24];
        ah[0] = 6;   // next header TCP
        ah[1] = 4;   // (24 / 4) - 2
        byte[] ip = InsertAfterHeader(TestPackets.Tcp().Syn().Payload("z").BuildIp(), ah, protocol: 51);

        Decoded d = _harness.Decode(ip, Raw);

        Assert.Equal(DecodeStatus.Ok, d.Status);
        Assert.Equal(6, d.Key.Protocol);
        Assert.Equal("203.0.113.7:443", d.Dst);
        Assert.Equal(1, d.Summary.PayloadLength);
        Assert.Equal(20 + 24 + 20, d.PayloadStart);
    }

    [Fact]
    public void Ah_longer_than_the_packet_is_counted()
    {
        byte[] ah = new byte[12];
        ah[0] = 6;
        ah[1] = 200;
        byte[] ip = InsertAfterHeader(TestPackets.Tcp().BuildIp(), ah, protocol: 51);

        Assert.Equal(DecodeStatus.Ipv4AhTruncated, _harness.Decode(ip, Raw).Status);
    }

    /// <summary>Puts IPv4 options after the fixed header and fixes IHL, total length and checksum.</summary>
    internal static byte[] WithOptions(byte[] ip, byte[] options)
    {
        byte[] result = InsertAfterHeader(ip, options, ip[9]);
        result[0] = (byte)(0x40 | (20 + options.Length) / 4);
        IpFragmenter.UpdateIpv4Checksum(result);
        return result;
    }

    /// <summary>Inserts bytes after the 20-byte header, sets the protocol and fixes the total length and checksum.</summary>
    internal static byte[] InsertAfterHeader(byte[] ip, byte[] inserted, byte protocol)
    {
        var result = new byte[ip.Length + inserted.Length];
        ip.AsSpan(0, 20).CopyTo(result);
        inserted.CopyTo(result, 20);
        ip.AsSpan(20).CopyTo(result.AsSpan(20 + inserted.Length));
        result[9] = protocol;
        BinaryPrimitives.WriteUInt16BigEndian(result.AsSpan(2), (ushort)result.Length);
        IpFragmenter.UpdateIpv4Checksum(result);
        return result;
    }
}
