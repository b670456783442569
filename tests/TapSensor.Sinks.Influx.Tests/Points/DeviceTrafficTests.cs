using TapSensor.Sinks.Influx.Points;
using TapSensor.Sinks.Influx.Tests.Infrastructure;

namespace TapSensor.Sinks.Influx.Tests.Points;

public sealed class DeviceTrafficTests
{
    private const long S = 1_000_000_000;

    private sealed class Collect : IDeviceTrafficWriter
    {
        public readonly List<(string Device, long Start, DeviceTotals Totals)> Points = [];
        public readonly List<TrafficSeries> Series = [];
        public void Write(in TrafficSeries series, long intervalStartNs, in DeviceTotals totals)
        {
            Points.Add((series.Device, intervalStartNs, totals));
            Series.Add(series);
        }
    }

    private static FlowPoint Point(long endNs, long up, long down, string orig = "192.168.1.10")
    {
        var r = Records.Interim(orig: orig, lastNs: endNs, origIpBytes: up, respIpBytes: down, origPkts: 1, respPkts: 2);
        var p = new FlowPoint();
        new FlowPointMapper().Map(in r, p);
        return p;
    }

    [Fact]
    public void Deltas_are_summed_per_device_and_interval_and_written_two_intervals_later()
    {
        var traffic = new DeviceTraffic(TimeSpan.FromSeconds(10));
        var sink = new Collect();
        traffic.Add(Point(Records.T0 + 1 * S, 100, 1000), "a");
        traffic.Add(Point(Records.T0 + 9 * S, 50, 500), "a");
        traffic.Add(Point(Records.T0 + 5 * S, 7, 70), "b");
        traffic.Add(Point(Records.T0 + 12 * S, 1, 10), "a");
        traffic.EmitDue(ref sink);
        Assert.Empty(sink.Points);

        Assert.True(traffic.Add(Point(Records.T0 + 21 * S, 2, 20), "a"));
        traffic.EmitDue(ref sink);
        Assert.Equal(["a", "b"], sink.Points.Select(x => x.Device));
        Assert.All(sink.Points, x => Assert.Equal(Records.T0, x.Start));
        Assert.Equal((150L, 1500L, 2L, 4L), (sink.Points[0].Totals.BytesUp, sink.Points[0].Totals.BytesDown, sink.Points[0].Totals.PacketsUp, sink.Points[0].Totals.PacketsDown));

        traffic.EmitAll(ref sink);
        Assert.Equal(4, sink.Points.Count);
        Assert.Equal(150 + 7 + 1 + 2, sink.Points.Sum(x => x.Totals.BytesUp));
        Assert.Equal(1500 + 70 + 10 + 20, sink.Points.Sum(x => x.Totals.BytesDown));
    }

    [Fact]
    public void A_record_arriving_after_its_interval_was_written_still_counts()
    {
        var traffic = new DeviceTraffic(TimeSpan.FromSeconds(10));
        var sink = new Collect();
        traffic.Add(Point(Records.T0 + 1 * S, 100, 0), "a");
        traffic.Add(Point(Records.T0 + 35 * S, 1, 0), "a");
        traffic.EmitDue(ref sink);
        Assert.False(traffic.Add(Point(Records.T0 + 2 * S, 5, 0), "a"));
        Assert.False(traffic.Add(Point(Records.T0 + 3 * S, 6, 0), "a"));
        Assert.True(traffic.Add(Point(Records.T0 + 45 * S, 1, 0), "a"));
        traffic.EmitDue(ref sink);
        Assert.Equal(2, sink.Points.Count(x => x.Start == Records.T0));
        Assert.Equal(111, sink.Points.Where(x => x.Start == Records.T0).Sum(x => x.Totals.BytesUp));
    }

    [Fact]
    public void Records_without_change_add_nothing()
    {
        var traffic = new DeviceTraffic(TimeSpan.FromSeconds(10));
        var p = Point(Records.T0, 0, 0);
        p.DeltaOrigPkts = p.DeltaRespPkts = 0;
        Assert.False(traffic.Add(p, "a"));
        Assert.Equal(0, traffic.OpenEntries);
    }

    [Fact]
    public void At_the_bound_everything_open_is_written()
    {
        var traffic = new DeviceTraffic(TimeSpan.FromSeconds(10), maxEntries: 3);
        var sink = new Collect();
        for (int i = 0; i < 3; i++) traffic.Add(Point(Records.T0, 1, 1), "d" + i);
        traffic.EmitDue(ref sink);
        Assert.Equal(3, sink.Points.Count);
        Assert.Equal(0, traffic.OpenEntries);
    }

    [Fact]
    public void Country_and_protocol_split_a_devices_interval_into_series_that_sum_to_its_traffic()
    {
        var traffic = new DeviceTraffic(TimeSpan.FromSeconds(10));
        var sink = new Collect();
        var de = Point(Records.T0 + 1 * S, 100, 1000);
        de.Country = "DE";
        traffic.Add(de, "a", "Kitchen speaker");
        var us = Point(Records.T0 + 2 * S, 10, 20);
        us.Country = "US";
        traffic.Add(us, "a", "Kitchen speaker");
        traffic.Add(Point(Records.T0 + 3 * S, 1, 2), "a", "Kitchen speaker");
        traffic.EmitAll(ref sink);

        Assert.Equal(3, sink.Points.Count);
        Assert.All(sink.Series, x => Assert.Equal(("a", "Kitchen speaker", "tcp"), (x.Device, x.Label, x.Protocol)));
        Assert.Equal([null, "DE", "US"], sink.Series.Select(x => x.Country).Order());
        Assert.Equal(111, sink.Points.Sum(x => x.Totals.BytesUp));
        Assert.Equal(1022, sink.Points.Sum(x => x.Totals.BytesDown));
    }
}
