using TapSensor.Core.Flows;
using TapSensor.Sinks.Influx.Tests.Infrastructure;

namespace TapSensor.Sinks.Influx.Tests.Integration;

/// <summary>influxd goes away in the middle of a replay and comes back: nothing is lost, or what is lost is counted exactly.</summary>
[Collection("influxd")]
public sealed class OutageTests(InfluxdFixture influx) : IDisposable
{
    private static List<FlowRecord[]>? s_chunks;
    private readonly string _dir = Directory.CreateTempSubdirectory("tapsensor-influx-outage-").FullName;

    public void Dispose()
    {
        Directory.Delete(_dir, recursive: true);
        if (!influx.Running) influx.StartAsync().GetAwaiter().GetResult();
    }

    /// <summary>Record chunks of a generated capture, as the aggregator hands them to sinks (computed once).</summary>
    private List<FlowRecord[]> Chunks()
    {
        if (s_chunks is not null) return s_chunks;
        string pcap = CaptureRecords.WriteHousehold(_dir, 40_000, seed: 11);
        return s_chunks = CaptureRecords.Read(pcap);
    }

    private InfluxOptions Options(string db, string sensor) => new()
    {
        Url = influx.Url,
        Database = db,
        Sensor = sensor,
        BatchPoints = 50,
        FlushInterval = TimeSpan.FromMilliseconds(50),
        MaxRetries = 0,
        RetryBaseDelay = TimeSpan.FromMilliseconds(50),
        RetryMaxDelay = TimeSpan.FromMilliseconds(400),
        RequestTimeout = TimeSpan.FromSeconds(5),
        CompleteTimeout = TimeSpan.FromSeconds(60),
        SensorInterval = TimeSpan.FromHours(1),
        SpoolDirectory = Path.Combine(_dir, "spool-" + sensor),
    };

    private static void Feed(InfluxSink sink, IEnumerable<FlowRecord[]> chunks)
    {
        foreach (var chunk in chunks) sink.Write(chunk);
    }

    private static async Task Until(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail("timed out waiting until " + what);
            await Task.Delay(20);
        }
    }

    private async Task<long> StoredPoints(string db) =>
        await influx.ScalarAsync(db, "SELECT count(orig_ip_bytes) FROM flows")
        + await influx.ScalarAsync(db, "SELECT count(bytes_up) FROM device_traffic")
        + await influx.ScalarAsync(db, "SELECT count(points_written) FROM sensor")
        + await influx.ScalarAsync(db, "SELECT count(remote_ip) FROM new_destinations");

    [InfluxdFact]
    public async Task Stopping_influxd_in_the_middle_of_a_replay_loses_no_point()
    {
        var chunks = Chunks();
        string db = "outage_" + Guid.NewGuid().ToString("N")[..8];
        await influx.CreateDatabaseAsync(db);
        var logger = new ListLogger();
        using var sink = new InfluxSink(Options(db, "outage"), logger, TimeProvider.System, 0, null, null, null);
        int third = chunks.Count / 3;

        Feed(sink, chunks.Take(third));
        await Until(() => sink.PendingPoints == 0 && sink.Counters.Written > 0, "the first third is written");

        influx.Stop();
        Feed(sink, chunks.Skip(third).Take(third));
        await Until(() => sink.SpoolPoints > 0 && sink.PendingPoints == sink.SpoolPoints, "the second third is spooled");

        await influx.StartAsync();
        Feed(sink, chunks.Skip(2 * third));
        sink.Complete();

        var c = sink.Counters;
        Assert.True(c.Spooled > 0);
        Assert.Equal(c.Spooled, c.Replayed);
        Assert.Equal((0L, 0L, 0L), (c.Dropped, c.Rejected, sink.PendingPoints));
        Assert.Equal(c.Produced, c.Written);
        Assert.Equal(c.Written, await StoredPoints(db));

        var finals = chunks.SelectMany(x => x).Where(r => r.IsFinal).ToList();
        Assert.Equal(finals.Count, await influx.ScalarAsync(db, "SELECT count(orig_ip_bytes) FROM flows"));
        Assert.Equal(finals.Sum(r => r.OrigIpBytes + r.RespIpBytes), await influx.ScalarAsync(db, "SELECT sum(orig_ip_bytes) + sum(resp_ip_bytes) FROM flows"));
        long deltas = chunks.SelectMany(x => x).Sum(r => r.DeltaOrigIpBytes + r.DeltaRespIpBytes);
        Assert.Equal(deltas, await influx.ScalarAsync(db, "SELECT sum(bytes_up) + sum(bytes_down) FROM device_traffic"));
        Assert.NotEmpty(logger.WithId(5003));
        Assert.NotEmpty(logger.WithId(5004));
    }

    [InfluxdFact]
    public async Task With_a_tiny_spool_the_points_dropped_are_counted_exactly()
    {
        var chunks = Chunks();
        string db = "tinyspool_" + Guid.NewGuid().ToString("N")[..8];
        await influx.CreateDatabaseAsync(db);
        var options = Options(db, "tiny");
        options.SpoolMaxBytes = 24 * 1024;
        var logger = new ListLogger();
        using var sink = new InfluxSink(options, logger, TimeProvider.System, 0, null, null, null);

        influx.Stop();
        Feed(sink, chunks);
        await Until(() => sink.PendingPoints == sink.SpoolPoints, "everything is spooled or dropped");
        Assert.True(sink.Counters.Dropped > 0, "the spool bound was reached");

        await influx.StartAsync();
        sink.Complete();

        var c = sink.Counters;
        long stored = await StoredPoints(db);
        Assert.Equal(c.Written, stored);
        Assert.Equal(c.Produced - c.Dropped, stored);
        Assert.Equal(0, c.Rejected);
        Assert.Equal(0, sink.PendingPoints);
        Assert.NotEmpty(logger.WithId(5008));
    }
}
