using System.Buffers.Binary;
using PacketDotNet;
using TapSensor.Sample;

namespace TapSensor.Core.Tests.Sample;

public sealed class HouseholdCaptureTests : IClassFixture<SampleFiles>
{
    private readonly SampleFiles _files;

    public HouseholdCaptureTests(SampleFiles files) => _files = files;

    private static byte[] Generate(HouseholdOptions options, out SampleStats stats)
    {
        using var stream = new MemoryStream();
        stats = HouseholdCapture.Write(stream, options);
        return stream.ToArray();
    }

    [Fact]
    public void Same_seed_writes_identical_bytes()
    {
        var options = new HouseholdOptions { Seed = 11, Packets = 5_000 };
        byte[] first = Generate(options, out _);
        byte[] second = Generate(options, out _);
        Assert.Equal(first, second);
    }

    [Fact]
    public void Different_seed_writes_different_bytes()
    {
        byte[] first = Generate(new HouseholdOptions { Seed = 11, Packets = 5_000 }, out _);
        byte[] second = Generate(new HouseholdOptions { Seed = 12, Packets = 5_000 }, out _);
        Assert.NotEqual(first, second);
    }

    [Fact]
    public void File_holds_exactly_the_requested_packets_in_time_order_and_matches_the_stats()
    {
        byte[] file = File.ReadAllBytes(_files.HouseholdPath);
        List<PcapRecord> records = PcapRecords.Read(file, out int snap, out int linkType);
        SampleStats stats = _files.HouseholdStats;

        Assert.Equal(1, linkType);
        Assert.Equal(65535, snap);
        Assert.Equal(SampleFiles.HouseholdPackets, records.Count);
        Assert.Equal(stats.Packets, records.Count);
        Assert.Equal(stats.Bytes, records.Sum(r => (long)r.WireLength));
        Assert.Equal(stats.Ipv6Packets, records.Count(r => BinaryPrimitives.ReadUInt16BigEndian(file.AsSpan(r.Offset + 12)) == 0x86DD));
        Assert.All(records, r => Assert.InRange(r.WireLength, 60, 1514));
        for (int i = 1; i < records.Count; i++)
            Assert.True(records[i].Micros >= records[i - 1].Micros, $"record {i} goes back in time");
        Assert.Equal(new DateTimeOffset(2026, 6, 1, 18, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds() * 1000, records[0].Micros);
    }

    [Fact]
    public void Flow_counts_add_up_and_track_the_requested_flows()
    {
        SampleStats stats = _files.HouseholdStats;
        Assert.Equal(stats.Flows, stats.TcpFlows + stats.UdpFlows + stats.IcmpFlows);
        Assert.True(stats.TcpFlows > 0 && stats.UdpFlows > 0);
        // Flows defaults to one per 100 packets; the capture stops at the packet count, so it is a target.
        Assert.InRange(stats.Flows, 170, 260);
    }

    [Fact]
    public void Ipv6_share_of_packets_is_near_the_target()
    {
        SampleStats stats = _files.HouseholdStats;
        Assert.InRange(stats.Ipv6Packets / (double)stats.Packets, 0.15, 0.25);
    }

    [Fact]
    public void Zero_ipv6_share_writes_no_ipv6_at_all()
    {
        Generate(new HouseholdOptions { Seed = 3, Packets = 3_000, Ipv6Share = 0 }, out SampleStats stats);
        Assert.Equal(3_000, stats.Packets);
        Assert.Equal(0, stats.Ipv6Packets);
    }

    [Fact]
    public void Snap_length_cuts_captured_bytes_but_keeps_wire_lengths()
    {
        byte[] full = Generate(new HouseholdOptions { Seed = 5, Packets = 2_000 }, out SampleStats fullStats);
        byte[] cut = Generate(new HouseholdOptions { Seed = 5, Packets = 2_000, SnapLength = 96 }, out SampleStats cutStats);
        List<PcapRecord> fullRecords = PcapRecords.Read(full, out _, out _);
        List<PcapRecord> cutRecords = PcapRecords.Read(cut, out int snap, out _);

        Assert.Equal(96, snap);
        Assert.Equal(fullStats.Bytes, cutStats.Bytes);
        for (int i = 0; i < fullRecords.Count; i++)
        {
            Assert.Equal(fullRecords[i].WireLength, cutRecords[i].WireLength);
            Assert.Equal(Math.Min(96, fullRecords[i].WireLength), cutRecords[i].CapturedLength);
            Assert.True(full.AsSpan(fullRecords[i].Offset, cutRecords[i].CapturedLength)
                .SequenceEqual(cut.AsSpan(cutRecords[i].Offset, cutRecords[i].CapturedLength)));
        }
    }

    [Fact]
    public void Ip_tcp_and_udp_checksums_verify_with_an_independent_decoder()
    {
        byte[] file = File.ReadAllBytes(_files.HouseholdPath);
        int tcp = 0, udp = 0;
        foreach (PcapRecord r in PcapRecords.Read(file, out _, out _))
        {
            var packet = Packet.ParsePacket(LinkLayers.Ethernet, file.AsSpan(r.Offset, r.CapturedLength).ToArray());
            if (packet.Extract<IPv4Packet>() is { } v4)
                Assert.True(v4.ValidIPChecksum, $"IPv4 header checksum of {v4}");
            if (packet.Extract<TcpPacket>() is { } t)
            {
                Assert.True(t.ValidTcpChecksum, $"TCP checksum of {t}");
                tcp++;
            }
            if (packet.Extract<UdpPacket>() is { } u)
            {
                Assert.True(u.ValidUdpChecksum, $"UDP checksum of {u}");
                udp++;
            }
        }
        Assert.True(tcp > 1_000 && udp > 100);
    }

    [Fact]
    public void Invalid_options_are_refused_before_anything_is_written()
    {
        using var stream = new MemoryStream();
        Assert.Throws<ArgumentOutOfRangeException>(() => HouseholdCapture.Write(stream, new HouseholdOptions { Packets = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => HouseholdCapture.Write(stream, new HouseholdOptions { Ipv6Share = 1.5 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => HouseholdCapture.Write(stream, new HouseholdOptions { SnapLength = 10 }));
        Assert.Equal(0, stream.Length);
    }
}
