using System.Buffers.Binary;

namespace TapSensor.Core.Tests.Sample;

/// <summary>One record of a classic pcap file, as offsets into the file's bytes.</summary>
internal readonly record struct PcapRecord(long Micros, int CapturedLength, int WireLength, int Offset);

/// <summary>Walks a little-endian, microsecond classic pcap file (pcap-savefile(5)); enough to check what a generator wrote.</summary>
internal static class PcapRecords
{
    public static List<PcapRecord> Read(byte[] file, out int snapLength, out int linkType)
    {
        Assert.Equal(0xA1B2C3D4u, BinaryPrimitives.ReadUInt32LittleEndian(file));
        Assert.Equal(2, BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(4)));
        Assert.Equal(4, BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(6)));
        snapLength = BinaryPrimitives.ReadInt32LittleEndian(file.AsSpan(16));
        linkType = BinaryPrimitives.ReadInt32LittleEndian(file.AsSpan(20));
        var records = new List<PcapRecord>();
        int o = 24;
        while (o < file.Length)
        {
            Assert.True(o + 16 <= file.Length, "truncated record header");
            long micros = (BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(o)) * 1_000_000L)
                + BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(o + 4));
            int captured = BinaryPrimitives.ReadInt32LittleEndian(file.AsSpan(o + 8));
            int wire = BinaryPrimitives.ReadInt32LittleEndian(file.AsSpan(o + 12));
            Assert.True(o + 16 + captured <= file.Length, "truncated record");
            records.Add(new PcapRecord(micros, captured, wire, o + 16));
            o += 16 + captured;
        }
        return records;
    }
}
