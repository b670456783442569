using TapSensor.Sinks.Influx.LineProtocol;

namespace TapSensor.Sinks.Influx.Tests.LineProtocol;

public sealed class SeriesTimestampsTests
{
    [Fact]
    public void A_taken_timestamp_moves_one_unit_at_a_time_until_free()
    {
        var t = new SeriesTimestamps(window: 1000, capacity: 100);
        Assert.Equal(10, t.Claim(1, 10));
        Assert.Equal(11, t.Claim(1, 10));
        Assert.Equal(12, t.Claim(1, 10));
        Assert.Equal(12 - 10 + 1, t.Moved);
    }

    [Fact]
    public void Other_series_keep_their_timestamps()
    {
        var t = new SeriesTimestamps(1000, 100);
        Assert.Equal(10, t.Claim(1, 10));
        Assert.Equal(10, t.Claim(2, 10));
        Assert.Equal(0, t.Moved);
    }

    [Fact]
    public void Points_arriving_out_of_order_still_never_collide()
    {
        // A long flow's point (start 50) arrives after a short one that started later (100).
        var t = new SeriesTimestamps(1000, 100);
        Assert.Equal(100, t.Claim(1, 100));
        Assert.Equal(50, t.Claim(1, 50));
        Assert.Equal(101, t.Claim(1, 100));
        Assert.Equal(51, t.Claim(1, 50));
        Assert.Equal(102, t.Claim(1, 100));
    }

    [Fact]
    public void Entries_older_than_the_window_are_forgotten()
    {
        var t = new SeriesTimestamps(window: 10, capacity: 100);
        t.Claim(1, 0);
        t.Claim(1, 100);
        Assert.Equal(1, t.Count);
        Assert.Equal(0, t.Forgotten);
    }

    [Fact]
    public void The_capacity_bounds_memory_and_counts_what_it_forgets()
    {
        var t = new SeriesTimestamps(window: 1_000_000, capacity: 2);
        t.Claim(1, 1);
        t.Claim(1, 2);
        t.Claim(1, 3);
        Assert.Equal(2, t.Count);
        Assert.Equal(1, t.Forgotten);
    }

    [Fact]
    public void The_series_hash_depends_on_every_byte()
    {
        var a = SeriesTimestamps.Hash("flows,device=aa:bb,sensor=attic"u8);
        var b = SeriesTimestamps.Hash("flows,device=aa:bc,sensor=attic"u8);
        var c = SeriesTimestamps.Hash("flows,device=aa:bb,sensor=attid"u8);
        Assert.NotEqual(a, b);
        Assert.NotEqual(a, c);
        Assert.Equal(a, SeriesTimestamps.Hash("flows,device=aa:bb,sensor=attic"u8));
    }
}
