using System.Buffers.Binary;
using TapSensor.Testing.Packets;
using TapSensor.Testing.Pcap;

namespace TapSensor.Core.Tests.Decoding;

/// <summary>The test-only pcap writer and reader the corpus and pipeline tests rely on.</summary>
public sealed class PcapReaderTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Frames_written_by_the_pcap_writer_read_back_unchanged(bool nanosecond)
    {
        byte[] syn = TestPackets.Tcp().Syn().Build();
        byte[] big = TestPackets.Udp().PayloadLength(1000).Build();
        using var stream = new MemoryStream();
        using (var writer = new PcapWriter(stream, linkType: 1, snapLength: 200, nanosecond: nanosecond, leaveOpen: true))
        {
            writer.Write(1_700_000_000_123_456_789, syn);
            writer.Write(1_700_000_001_000_000_000, big);
        }

        var reader = new PcapReader(stream.ToArray());
        List<PcapRecord> records = reader.ReadAll().ToList();

        Assert.Null(reader.Error);
        Assert.Equal("pcap", reader.Format);
        Assert.Equal(2, records.Count);
        Assert.Equal(syn, records[0].Data.ToArray());
        Assert.Equal(nanosecond ? 1_700_000_000_123_456_789 : 1_700_000_000_123_456_000, records[0].TimestampNs);
        Assert.Equal(1, records[0].LinkType);
        Assert.Equal(big[..200], records[1].Data.ToArray());
        Assert.Equal(big.Length, records[1].WireLength);
    }

    [Fact]
    public void Pcapng_packets_carry_their_interface_link_type_and_time_resolution()
    {
        byte[] ip = TestPackets.Udp().BuildIp();
        var file = new List<byte>();
        file.AddRange(Block(0x0A0D0D0A, [0x4D, 0x3C, 0x2B, 0x1A, 1, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]));
        file.AddRange(Block(1, [1, 0, 0, 0, 0, 0, 4, 0, 9, 0, 1, 0, 9, 0, 0, 0, 0, 0, 0, 0])); // Ethernet, if_tsresol 9
        file.AddRange(Block(1, [101, 0, 0, 0, 0, 0, 4, 0]));                                  // raw IP, microseconds
        file.AddRange(Block(0x0BAD, [1, 2, 3, 4]));                                           // unknown: skipped
        file.AddRange(Block(6, Epb(1, 1_700_000_000_000_001, ip)));
        file.AddRange(Block(6, Epb(0, 1_700_000_000_000_000_002, ip)));

        var reader = new PcapReader([.. file]);
        List<PcapRecord> records = reader.ReadAll().ToList();

        Assert.Null(reader.Error);
        Assert.Equal("pcapng", reader.Format);
        Assert.Equal(2, records.Count);
        Assert.Equal(101, records[0].LinkType);
        Assert.Equal(1_700_000_000_000_001_000, records[0].TimestampNs);
        Assert.Equal(ip, records[0].Data.ToArray());
        Assert.Equal(1, records[1].LinkType);
        Assert.Equal(1_700_000_000_000_000_002, records[1].TimestampNs);
    }

    [Fact]
    public void Unreadable_and_cut_short_files_are_reported_not_thrown()
    {
        Assert.NotNull(new PcapReader([1, 2, 3]).Error);
        Assert.NotNull(new PcapReader([0xEF, 0xBE, 0xAD, 0xDE, 0, 0, 0, 0]).Error);

        using var stream = new MemoryStream();
        using (var writer = new PcapWriter(stream, 1, leaveOpen: true)) writer.Write(0, new byte[60]);
        byte[] cut = stream.ToArray()[..^10];
        var reader = new PcapReader(cut);

        Assert.False(reader.TryRead(out _));
        Assert.Equal("record data truncated", reader.Error);
    }

    private static byte[] Block(uint type, byte[] body)
    {
        int padded = (body.Length + 3) / 4 * 4;
        var block = new byte[12 + padded];
        BinaryPrimitives.WriteUInt32LittleEndian(block, type);
        BinaryPrimitives.WriteUInt32LittleEndian(block.AsSpan(4), (uint)block.Length);
        body.CopyTo(block, 8);
        BinaryPrimitives.WriteUInt32LittleEndian(block.AsSpan(block.Length - 4), (uint)block.Length);
        return block;
    }

    private static byte[] Epb(uint interfaceId, ulong timestamp, byte[] data)
    {
        var body = new byte[20 + data.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(body, interfaceId);
        BinaryPrimitives.WriteUInt32LittleEndian(body.AsSpan(4), (uint)(timestamp >> 32));
        BinaryPrimitives.WriteUInt32LittleEndian(body.AsSpan(8), (uint)timestamp);
        BinaryPrimitives.WriteUInt32LittleEndian(body.AsSpan(12), (uint)data.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(body.AsSpan(16), (uint)data.Length);
        data.CopyTo(body, 20);
        return body;
    }
}
