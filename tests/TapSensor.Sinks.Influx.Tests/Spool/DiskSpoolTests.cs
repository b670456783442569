using TapSensor.Sinks.Influx.LineProtocol;
using TapSensor.Sinks.Influx.Spool;

namespace TapSensor.Sinks.Influx.Tests.Spool;

public sealed class DiskSpoolTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tapsensor-spool-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static byte[] Body(int n, int size = 100) => Enumerable.Repeat((byte)n, size).ToArray();

    private const long Segment = DiskSpool.HeaderLength + 100;

    [Fact]
    public void Segments_come_back_oldest_first_with_their_points_and_precision()
    {
        using var spool = new DiskSpool(_dir, 1 << 20, TimeProvider.System);
        for (int i = 1; i <= 3; i++) spool.Append(Body(i), points: i * 10, TimestampPrecision.Milliseconds, out _);
        Assert.Equal((60L, 3 * Segment, 3), (spool.Points, spool.Bytes, spool.Count));
        for (int i = 1; i <= 3; i++)
        {
            Assert.True(spool.TryPeekOldest(out var e));
            Assert.Equal((i * 10, TimestampPrecision.Milliseconds), (e.Points, e.Precision));
            Assert.Equal(Body(i), spool.Read(e));
            spool.Remove(e);
        }
        Assert.False(spool.TryPeekOldest(out _));
        Assert.Empty(Directory.GetFiles(_dir));
    }

    [Fact]
    public void Past_the_bound_the_oldest_segments_are_deleted_and_their_points_reported()
    {
        using var spool = new DiskSpool(_dir, 3 * Segment, TimeProvider.System);
        int dropped = 0;
        for (int i = 1; i <= 5; i++)
        {
            dropped += spool.Append(Body(i), points: i, TimestampPrecision.Microseconds, out bool stored);
            Assert.True(stored);
        }
        Assert.Equal(1 + 2, dropped);
        Assert.Equal(3 + 4 + 5, spool.Points);
        Assert.Equal(3, Directory.GetFiles(_dir, "*.seg").Length);
        Assert.True(spool.TryPeekOldest(out var oldest));
        Assert.Equal(3, oldest.Points);
    }

    [Fact]
    public void A_batch_larger_than_the_whole_bound_is_dropped_itself()
    {
        using var spool = new DiskSpool(_dir, Segment - 1, TimeProvider.System);
        Assert.Equal(7, spool.Append(Body(1), 7, TimestampPrecision.Seconds, out bool stored));
        Assert.False(stored);
        Assert.Null(spool.LastError);
        Assert.Equal(0, spool.Count);
    }

    [Fact]
    public void A_restart_finds_the_segments_in_order_and_sets_aside_what_it_cannot_read()
    {
        using (var first = new DiskSpool(_dir, 1 << 20, TimeProvider.System))
        {
            first.Append(Body(1), 11, TimestampPrecision.Nanoseconds, out _);
            first.Append(Body(2), 22, TimestampPrecision.Seconds, out _);
        }
        File.WriteAllText(Path.Combine(_dir, "0000000000000099.seg"), "not a segment");
        File.WriteAllText(Path.Combine(_dir, "0000000000000100.seg.tmp"), "half written");
        var files = Directory.GetFiles(_dir, "*.seg").Order().ToList();
        File.WriteAllBytes(files[1], File.ReadAllBytes(files[1])[..^10]); // cut short

        using var again = new DiskSpool(_dir, 1 << 20, TimeProvider.System);
        Assert.Equal(2, again.Unreadable.Count);
        Assert.Equal((11L, 1), (again.Points, again.Count));
        Assert.True(again.TryPeekOldest(out var e));
        Assert.Equal((11, TimestampPrecision.Nanoseconds), (e.Points, e.Precision));
        Assert.Empty(Directory.GetFiles(_dir, "*.tmp"));
        Assert.Equal(2, Directory.GetFiles(_dir, "*.bad").Length);

        again.Append(Body(3), 33, TimestampPrecision.Seconds, out _);
        Assert.Equal(2, again.Count);
        Assert.True(again.TryPeekOldest(out var still));
        Assert.Equal(11, still.Points);
    }

    [Fact]
    public void The_memory_spool_keeps_the_same_bound_and_order()
    {
        using var spool = new MemorySpool(250);
        Assert.Equal(0, spool.Append(Body(1), 1, TimestampPrecision.Seconds, out _));
        Assert.Equal(0, spool.Append(Body(2), 2, TimestampPrecision.Seconds, out _));
        Assert.Equal(1, spool.Append(Body(3), 3, TimestampPrecision.Seconds, out _));
        Assert.Equal(5, spool.Points);
        Assert.True(spool.TryPeekOldest(out var e));
        Assert.Equal(Body(2), spool.Read(e));
    }
}
