using System.Text;
using Microsoft.Extensions.Logging;
using TapSensor.Core.Pipeline;
using TapSensor.Sinks.Influx.Tests.Infrastructure;
using R = TapSensor.Sinks.Influx.Tests.Infrastructure.ScriptedHandler;

namespace TapSensor.Sinks.Influx.Tests.Writing;

/// <summary>The sink's batching and its writer's handling of every kind of answer, on a fake clock and a scripted server.</summary>
public sealed class DeliveryTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tapsensor-delivery-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static int FlowLines(IEnumerable<R.Request> requests) => requests.Sum(r => r.Lines.Count(l => l.StartsWith("flows,", StringComparison.Ordinal)));

    private static void AssertEveryPointAccountedFor(TestSink t)
    {
        var c = t.Counters;
        Assert.Equal(c.Produced + c.SpoolPointsAtStart, c.Written + c.Rejected + c.Dropped + t.Sink.PendingPoints);
    }

    [Fact]
    public async Task A_batch_is_sent_when_it_is_full_or_when_its_first_point_is_old()
    {
        using var t = new TestSink(o => o.BatchPoints = 10);
        t.Sink.Write(Records.Many(25));
        await t.Handler.WaitForAsync(2);
        Assert.Equal(5, t.Sink.PendingPoints);

        t.Time.Advance(TimeSpan.FromSeconds(1));
        await t.Handler.WaitForAsync(3);
        Assert.Equal([10, 10, 5], t.Handler.Requests.Select(r => r.Lines.Length));
        Assert.Equal(25, t.Counters.Written);
        AssertEveryPointAccountedFor(t);
    }

    [Fact]
    public async Task The_1x_API_gets_gzipped_posts_with_database_retention_policy_precision_and_basic_authentication()
    {
        using var t = new TestSink(o =>
        {
            o.BatchPoints = 2;
            o.RetentionPolicy = "a year";
            o.Username = "sensor";
            o.Password = new Secret("pa:ss");
            o.Precision = "ms";
        });
        t.Sink.Write(Records.Many(2));
        await t.Handler.WaitForAsync(1);
        var r = t.Handler.Requests[0];
        Assert.Equal(HttpMethod.Post, r.Method);
        Assert.Equal("http://influx.test:8086/write?db=tap&rp=a%20year&precision=ms", r.Uri.AbsoluteUri);
        Assert.Equal("gzip", r.Header("Content-Encoding"));
        Assert.Equal("text/plain; charset=utf-8", r.Header("Content-Type"));
        Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("sensor:pa:ss")), r.Header("Authorization"));
        Assert.True(r.GzipBytes > 0);
        Assert.All(r.Lines, l => Assert.StartsWith("flows,", l));
        Assert.EndsWith(" 1767225600000", r.Lines[0]);
    }

    [Fact]
    public async Task The_v2_API_gets_org_bucket_precision_and_the_token()
    {
        using var t = new TestSink(o =>
        {
            o.Database = null;
            o.Org = "home & garden";
            o.Bucket = "tap";
            o.Token = new Secret("tok-123");
            o.BatchPoints = 1;
        });
        t.Sink.Write(Records.Many(1));
        await t.Handler.WaitForAsync(1);
        var r = t.Handler.Requests[0];
        Assert.Equal("http://influx.test:8086/api/v2/write?org=home%20%26%20garden&bucket=tap&precision=us", r.Uri.AbsoluteUri);
        Assert.Equal("Token tok-123", r.Header("Authorization"));
        Assert.Equal("gzip", r.Header("Content-Encoding"));
    }

    [Fact]
    public async Task Transient_errors_are_retried_with_exponential_backoff()
    {
        using var t = new TestSink(o => o.BatchPoints = 5, script: (_, i) => i < 2 ? R.Status(503) : R.Status(204));
        t.Sink.Write(Records.Many(5));
        await t.Handler.WaitForAsync(1);
        await t.AdvanceUntilAsync(() => t.Handler.Count >= 3, TimeSpan.FromMilliseconds(100));
        var at = t.Handler.Requests.Select(r => r.At).ToList();
        // random() = 1: the waits are the ceilings, 1 s then 2 s.
        Assert.True(at[1] - at[0] >= TimeSpan.FromSeconds(1), $"first retry after {at[1] - at[0]}");
        Assert.True(at[2] - at[1] >= TimeSpan.FromSeconds(2), $"second retry after {at[2] - at[1]}");
        await t.AdvanceUntilAsync(() => t.Counters.Written == 5, TimeSpan.FromMilliseconds(100));
        Assert.Equal((5L, 10L, 2L, 0L), (t.Counters.Written, t.Counters.Retried, t.Counters.BatchesFailed, t.Counters.Spooled));
        Assert.Equal(2, t.Logger.WithId(5002).Count());
    }

    [Fact]
    public async Task Retry_after_is_honoured()
    {
        using var t = new TestSink(o => o.BatchPoints = 5, script: (_, i) => i == 0 ? R.Status(429, retryAfter: TimeSpan.FromSeconds(7)) : R.Status(204),
            random: () => 0);
        t.Sink.Write(Records.Many(5));
        await t.Handler.WaitForAsync(1);
        await t.AdvanceUntilAsync(() => t.Handler.Count >= 2, TimeSpan.FromMilliseconds(250));
        var at = t.Handler.Requests.Select(r => r.At).ToList();
        Assert.True(at[1] - at[0] >= TimeSpan.FromSeconds(7), $"retried after {at[1] - at[0]}");
    }

    [Fact]
    public async Task A_server_that_stays_away_gets_its_batches_spooled_and_replayed_when_it_returns()
    {
        bool up = false;
        using var t = new TestSink(o =>
        {
            o.BatchPoints = 5;
            o.MaxRetries = 1;
            o.SpoolDirectory = _dir;
        }, script: (_, _) => Volatile.Read(ref up) ? R.Status(204) : R.Refused());
        t.Sink.Write(Records.Many(25));
        await t.AdvanceUntilAsync(() => t.Counters.Spooled == 25, TimeSpan.FromMilliseconds(100));
        Assert.Equal(5, Directory.GetFiles(_dir, "*.seg").Length);
        Assert.Single(t.Logger.WithId(5003));

        Volatile.Write(ref up, true);
        await t.AdvanceUntilAsync(() => t.Counters.Written == 25, TimeSpan.FromMilliseconds(250));
        Assert.Equal((25L, 25L, 0L), (t.Counters.Replayed, t.Counters.Spooled, t.Counters.Dropped));
        Assert.Empty(Directory.GetFiles(_dir, "*.seg"));
        Assert.Single(t.Logger.WithId(5004));

        // Replayed oldest first: the source ports (one per record, increasing) come back in order.
        var written = t.Handler.Requests.Where((r, i) => i >= t.Handler.Count - 5).ToList();
        var ports = written.SelectMany(r => r.Lines).Select(l => int.Parse(l.Split("local_ip=")[0].Split("remote_port=")[1].TrimEnd(',', 'i'))).ToList();
        var starts = written.SelectMany(r => r.Lines).Select(l => long.Parse(l[(l.LastIndexOf(' ') + 1)..])).ToList();
        Assert.Equal(starts.Order(), starts);
        Assert.All(ports, p => Assert.Equal(443, p));
        AssertEveryPointAccountedFor(t);
    }

    [Fact]
    public async Task A_partial_write_counts_the_rejected_lines_logs_them_and_moves_on()
    {
        const string Body = """{"error":"partial write: unable to parse 'flows,secret.example.org x': invalid field format\nunable to parse 'flows,y': missing fields dropped=1"}""";
        using var t = new TestSink(o => o.BatchPoints = 10, script: (_, _) => R.Status(400, Body));
        t.Sink.Write(Records.Many(10));
        await t.Handler.WaitForAsync(1);
        await t.AdvanceUntilAsync(() => t.Counters.Rejected > 0, TimeSpan.FromMilliseconds(10));
        Assert.Equal((3L, 7L, 0L), (t.Counters.Rejected, t.Counters.Written, t.Counters.Spooled));
        var warning = Assert.Single(t.Logger.WithId(5005));
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.DoesNotContain("secret.example.org", warning.Message);
        Assert.Contains("rejected 3 of 10 points", warning.Message);
        var debug = Assert.Single(t.Logger.WithId(5006));
        Assert.Equal(LogLevel.Debug, debug.Level);
        Assert.Contains("secret.example.org", debug.Message);
        Assert.Equal(1, t.Handler.Count);
        AssertEveryPointAccountedFor(t);
    }

    [Fact]
    public async Task A_batch_too_large_for_the_server_is_split_until_it_fits()
    {
        using var t = new TestSink(o => o.BatchPoints = 10, script: (r, _) => r.Lines.Length > 3 ? R.Status(413) : R.Status(204));
        t.Sink.Write(Records.Many(10));
        await t.AdvanceUntilAsync(() => t.Counters.Written == 10, TimeSpan.FromMilliseconds(10));
        Assert.Equal(10, FlowLines(t.Handler.Requests.Where(r => r.Lines.Length <= 3)));
        Assert.NotEmpty(t.Logger.WithId(5014));
        Assert.Equal(0, t.Counters.Rejected);
    }

    [Fact]
    public async Task Unauthorised_is_a_loud_configuration_error_and_nothing_is_lost_while_it_is_fixed()
    {
        bool fixedIt = false;
        using var t = new TestSink(o => o.BatchPoints = 10,
            script: (_, _) => Volatile.Read(ref fixedIt) ? R.Status(204) : R.Status(401, """{"error":"authorization failed"}"""));
        t.Sink.Write(Records.Many(10));
        await t.AdvanceUntilAsync(() => t.Counters.Spooled == 10, TimeSpan.FromMilliseconds(100));
        await t.AdvanceUntilAsync(() => t.Handler.Count >= 3, TimeSpan.FromMilliseconds(500));
        var error = Assert.Single(t.Logger.WithId(5007));
        Assert.Equal(LogLevel.Error, error.Level);
        Assert.Contains("401", error.Message);
        Assert.Contains("Influx:Username", error.Message);
        Assert.Empty(t.Logger.WithId(5002)); // not retried as if it were transient

        Volatile.Write(ref fixedIt, true);
        await t.AdvanceUntilAsync(() => t.Counters.Written == 10, TimeSpan.FromSeconds(1));
        AssertEveryPointAccountedFor(t);
    }

    [Fact]
    public async Task A_missing_database_is_created_once_and_the_batch_sent_again()
    {
        using var t = new TestSink(o =>
        {
            o.BatchPoints = 4;
            o.CreateDatabase = true;
        }, script: (r, i) => i == 0 ? R.Status(404, """{"error":"database not found: \"tap\""}""") : R.Status(r.Uri.AbsolutePath == "/query" ? 200 : 204));
        t.Sink.Write(Records.Many(4));
        await t.AdvanceUntilAsync(() => t.Counters.Written == 4, TimeSpan.FromMilliseconds(10));
        var create = t.Handler.Requests[1];
        Assert.Equal("/query", create.Uri.AbsolutePath);
        Assert.Equal("q=CREATE+DATABASE+%22tap%22", create.Body);
        Assert.Single(t.Logger.WithId(5011));
    }

    [Fact]
    public async Task A_database_dropped_while_running_is_created_again()
    {
        const string NotFound = """{"error":"database not found: \"tap\""}""";
        using var t = new TestSink(o =>
        {
            o.BatchPoints = 2;
            o.CreateDatabase = true;
        }, script: (r, i) => i is 0 or 3 ? R.Status(404, NotFound) : R.Status(r.Uri.AbsolutePath == "/query" ? 200 : 204));
        t.Sink.Write(Records.Many(2));
        await t.AdvanceUntilAsync(() => t.Counters.Written == 2, TimeSpan.FromMilliseconds(10));
        t.Sink.Write(Records.Many(2));
        await t.AdvanceUntilAsync(() => t.Counters.Written == 4, TimeSpan.FromMilliseconds(10));
        Assert.Equal(["/write", "/query", "/write", "/write", "/query", "/write"], t.Handler.Requests.Select(r => r.Uri.AbsolutePath));
        Assert.Equal(2, t.Logger.WithId(5011).Count());
    }

    [Fact]
    public async Task With_the_spool_off_undeliverable_points_are_dropped_and_said_so()
    {
        using var t = new TestSink(o =>
        {
            o.BatchPoints = 5;
            o.MaxRetries = 0;
            o.SpoolMaxBytes = 0;
        }, script: (_, _) => R.Refused());
        t.Sink.Write(Records.Many(5));
        await t.AdvanceUntilAsync(() => t.Counters.Dropped == 5, TimeSpan.FromMilliseconds(10));
        Assert.Contains(t.Logger.WithId(5008), e => e.Message.Contains("the spool is off", StringComparison.Ordinal));
        AssertEveryPointAccountedFor(t);
    }

    [Fact]
    public async Task When_the_queue_is_full_batches_go_to_the_spool_and_still_arrive()
    {
        using var gate = new ManualResetEventSlim();
        using var t = new TestSink(o =>
        {
            o.BatchPoints = 10;
            o.MaxQueuedPoints = 10;
            o.SpoolDirectory = _dir;
        }, script: (_, i) =>
        {
            if (i == 0) gate.Wait(TimeSpan.FromSeconds(20));
            return R.Status(204);
        });
        t.Sink.Write(Records.Many(50));
        Assert.True(t.Counters.Spooled >= 30, $"spooled {t.Counters.Spooled}");
        gate.Set();
        await t.AdvanceUntilAsync(() => t.Counters.Written == 50, TimeSpan.FromMilliseconds(10));
        Assert.Equal(t.Counters.Spooled, t.Counters.Replayed);
        Assert.Equal(0, t.Counters.Dropped);
        AssertEveryPointAccountedFor(t);
    }

    [Fact]
    public async Task At_the_end_what_cannot_be_written_in_time_is_spooled_and_the_next_run_replays_it()
    {
        long produced;
        using (var t = new TestSink(o =>
        {
            o.BatchPoints = 5;
            o.MaxRetries = 0;
            o.SpoolDirectory = _dir;
            o.CompleteTimeout = TimeSpan.FromSeconds(2);
        }, script: (_, _) => R.Refused()))
        {
            t.Sink.Write(Records.Many(12));
            await t.CompleteAsync();
            produced = t.Counters.Produced;
            Assert.True(produced > 12); // 12 flows, device_traffic and sensor points
            Assert.Equal((0L, produced, 0L), (t.Counters.Written, t.Counters.Spooled, t.Counters.Dropped));
            Assert.Equal(produced, t.Sink.SpoolPoints);
            AssertEveryPointAccountedFor(t);
        }

        using var next = new TestSink(o => o.SpoolDirectory = _dir);
        Assert.Equal(produced, next.Counters.SpoolPointsAtStart);
        Assert.Single(next.Logger.WithId(5013));
        await next.AdvanceUntilAsync(() => next.Counters.Replayed == produced, TimeSpan.FromMilliseconds(10));
        Assert.Equal(12, FlowLines(next.Handler.Requests));
        Assert.Empty(Directory.GetFiles(_dir, "*.seg"));
    }

    [Fact]
    public async Task Without_a_spool_directory_points_left_at_the_end_are_counted_as_dropped()
    {
        using var t = new TestSink(o =>
        {
            o.MaxRetries = 0;
            o.CompleteTimeout = TimeSpan.FromSeconds(1);
        }, script: (_, _) => R.Status(503));
        t.Sink.Write(Records.Many(7));
        await t.CompleteAsync();
        Assert.Equal(t.Counters.Produced, t.Counters.Dropped);
        Assert.Equal(0, t.Sink.SpoolPoints);
        Assert.Contains(t.Logger.WithId(5008), e => e.Message.Contains("in memory", StringComparison.Ordinal));
        AssertEveryPointAccountedFor(t);
    }

    [Fact]
    public async Task Completing_flushes_the_open_batch_the_device_intervals_and_a_sensor_point()
    {
        using var t = new TestSink();
        t.Sink.Attach(new FixedStats(new SensorStats { Packets = 1234, WireBytes = 999_999, RingDropped = 3, ActiveFlows = 2 }));
        t.Sink.Write(Records.Many(3));
        await t.CompleteAsync();
        var lines = t.Handler.Requests.SelectMany(r => r.Lines).ToList();
        Assert.Equal(3, lines.Count(l => l.StartsWith("flows,", StringComparison.Ordinal)));
        string traffic = Assert.Single(lines, l => l.StartsWith("device_traffic,", StringComparison.Ordinal));
        Assert.StartsWith("device_traffic,device=02:00:00:00:00:01,device_label=device\\ 00:00:01,protocol=tcp,sensor=attic bytes_up=303i,bytes_down=3003i,packets_up=30i,packets_down=36i ", traffic);
        string sensor = Assert.Single(lines, l => l.StartsWith("sensor,", StringComparison.Ordinal));
        Assert.StartsWith("sensor,sensor=attic packets=1234i,wire_bytes=999999i,", sensor);
        Assert.Contains("drops_ring=3i", sensor);
        Assert.Contains("active_flows=2i", sensor);
        Assert.Single(t.Logger.WithId(5009));
    }

    [Fact]
    public async Task A_sensor_point_is_written_every_sensor_interval()
    {
        using var t = new TestSink(o => o.SensorInterval = TimeSpan.FromSeconds(10));
        t.Sink.Attach(new FixedStats(new SensorStats { Packets = 5 }));
        await t.AdvanceUntilAsync(() => t.Handler.Requests.SelectMany(r => r.Lines).Count(l => l.StartsWith("sensor,", StringComparison.Ordinal)) >= 2,
            TimeSpan.FromSeconds(1));
        var times = t.Handler.Requests.SelectMany(r => r.Lines).Where(l => l.StartsWith("sensor,", StringComparison.Ordinal))
            .Select(l => long.Parse(l[(l.LastIndexOf(' ') + 1)..])).ToList();
        Assert.True(times[1] - times[0] >= 10_000_000, "10 s apart, in microseconds");
    }

    [Fact]
    public async Task Two_flows_of_one_series_starting_together_are_both_kept()
    {
        using var t = new TestSink(o => o.BatchPoints = 2);
        var a = Records.Final(origPort: 1000);
        var b = Records.Final(origPort: 2000);
        t.Sink.Write([a, b]);
        await t.Handler.WaitForAsync(1);
        var stamps = t.Handler.Requests[0].Lines.Select(l => long.Parse(l[(l.LastIndexOf(' ') + 1)..])).ToList();
        Assert.Equal([1_767_225_600_000_000, 1_767_225_600_000_001], stamps);
        Assert.Equal(1, t.Counters.TimestampsMoved);
    }

    private sealed class FixedStats(SensorStats stats) : ISensorStatsSource
    {
        public SensorStats Read() => stats;
    }
}
