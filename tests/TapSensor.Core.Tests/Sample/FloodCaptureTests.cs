using System.Buffers.Binary;
using TapSensor.Sample;

namespace TapSensor.Core.Tests.Sample;

public sealed class FloodCaptureTests : IClassFixture<SampleFiles>
{
    private readonly SampleFiles _files;

    public FloodCaptureTests(SampleFiles files) => _files = files;

    [Fact]
    public void Every_frame_is_a_60_byte_syn_on_its_own_five_tuple_one_microsecond_apart()
    {
        byte[] file = File.ReadAllBytes(_files.FloodPath);
        List<PcapRecord> records = PcapRecords.Read(file, out _, out _);
        var tuples = new HashSet<(uint, ushort, uint, ushort)>();
        for (int i = 0; i < records.Count; i++)
        {
            PcapRecord r = records[i];
            ReadOnlySpan<byte> f = file.AsSpan(r.Offset, r.CapturedLength);
            Assert.Equal(60, r.WireLength);
            Assert.Equal(60, r.CapturedLength);
            Assert.Equal(0x0800, BinaryPrimitives.ReadUInt16BigEndian(f[12..]));
            Assert.Equal(6, f[23]);
            Assert.Equal(0x02, f[47]); // SYN only
            if (i > 0)
                Assert.Equal(records[i - 1].Micros + 1, r.Micros);
            tuples.Add((BinaryPrimitives.ReadUInt32BigEndian(f[26..]), BinaryPrimitives.ReadUInt16BigEndian(f[34..]),
                BinaryPrimitives.ReadUInt32BigEndian(f[30..]), BinaryPrimitives.ReadUInt16BigEndian(f[36..])));
        }
        Assert.Equal(SampleFiles.FloodPackets, records.Count);
        Assert.Equal(SampleFiles.FloodPackets, tuples.Count);
        Assert.Equal(SampleFiles.FloodPackets, _files.FloodStats.Flows);
        Assert.Equal(60L * SampleFiles.FloodPackets, _files.FloodStats.Bytes);
    }

    [Fact]
    public void Sources_come_from_many_addresses_and_ports()
    {
        byte[] file = File.ReadAllBytes(_files.FloodPath);
        List<PcapRecord> records = PcapRecords.Read(file, out _, out _);
        int addresses = records.Select(r => BinaryPrimitives.ReadUInt32BigEndian(file.AsSpan(r.Offset + 26))).Distinct().Count();
        int ports = records.Select(r => BinaryPrimitives.ReadUInt16BigEndian(file.AsSpan(r.Offset + 34))).Distinct().Count();
        Assert.Equal(records.Count, addresses);
        Assert.True(ports > 10_000, $"only {ports} source ports");
    }

    [Fact]
    public void Same_seed_writes_identical_bytes()
    {
        using var a = new MemoryStream();
        using var b = new MemoryStream();
        FloodCapture.Write(a, new FloodOptions { Seed = 3, Packets = 1_000 });
        FloodCapture.Write(b, new FloodOptions { Seed = 3, Packets = 1_000 });
        Assert.Equal(a.ToArray(), b.ToArray());
    }

    [TsharkFact]
    public void Tshark_reads_every_flood_frame_as_a_valid_syn()
    {
        string[] bad = Tshark.Lines("-r", _files.FloodPath, "-o", "ip.check_checksum:TRUE", "-o", "tcp.check_checksum:TRUE",
            "-Y", "_ws.malformed || ip.checksum.status == 2 || tcp.checksum.status == 2 || tcp.flags != 0x002",
            "-T", "fields", "-e", "frame.number");
        Assert.Empty(bad);
    }
}
