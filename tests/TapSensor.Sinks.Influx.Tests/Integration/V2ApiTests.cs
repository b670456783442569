using System.Text.Json;
using TapSensor.Sinks.Influx.Tests.Infrastructure;
using TapSensor.Testing;

namespace TapSensor.Sinks.Influx.Tests.Integration;

/// <summary>The v2 write API (InfluxDB 2.x and 3.x) against a local HTTP stub that checks every request.</summary>
public sealed class V2ApiTests : IDisposable
{
    private const string Token = "v2-token-Zk81-SECRET";
    private readonly string _dir = Directory.CreateTempSubdirectory("tapsensor-influx-v2-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static void AssertWellFormed(V2Stub stub, string org, string bucket, string precision)
    {
        Assert.NotEmpty(stub.Requests);
        foreach (var r in stub.Requests)
        {
            Assert.Equal("POST", r.Method);
            Assert.Equal("/api/v2/write", r.Path);
            Assert.Equal(org, r.Query["org"]);
            Assert.Equal(bucket, r.Query["bucket"]);
            Assert.Equal(precision, r.Query["precision"]);
            Assert.Null(r.Query["db"]);
            Assert.Equal("Token " + Token, r.Headers["Authorization"]);
            Assert.Equal("gzip", r.Headers["Content-Encoding"]);
            Assert.Equal("text/plain; charset=utf-8", r.Headers["Content-Type"]);
            Assert.All(r.Lines, l => Assert.Matches(@"^(flows|device_traffic|new_destinations|sensor),(?:\\ |\S)*?sensor=\S+ \S.* \d+$", l));
        }
    }

    [Fact]
    public void The_sink_posts_gzipped_line_protocol_with_the_token()
    {
        using var stub = new V2Stub();
        var options = new InfluxOptions
        {
            Url = stub.Url,
            Org = "home",
            Bucket = "tapsensor",
            Token = new Secret(Token),
            Sensor = "attic",
            Precision = "ms",
            BatchPoints = 4,
        };
        var logger = new ListLogger();
        using (var sink = new InfluxSink(options, logger, TimeProvider.System, 0, null, null, null))
        {
            sink.Write(Records.Many(10));
            sink.Complete();
            Assert.Equal(sink.Counters.Produced, sink.Counters.Written);
        }
        AssertWellFormed(stub, "home", "tapsensor", "ms");
        var lines = stub.Requests.SelectMany(r => r.Lines).ToList();
        Assert.Equal(10, lines.Count(l => l.StartsWith("flows,", StringComparison.Ordinal)));
        // Millisecond timestamps: the records start 1 ms apart.
        var stamps = lines.Where(l => l.StartsWith("flows,", StringComparison.Ordinal)).Select(l => long.Parse(l[(l.LastIndexOf(' ') + 1)..])).Order();
        Assert.Equal(Enumerable.Range(0, 10).Select(i => 1_767_225_600_000L + i), stamps);
        Assert.DoesNotContain(Token, logger.AllText);
    }

    [Fact]
    public void Tapsensor_read_writes_through_the_v2_API_with_the_token_from_the_environment_or_a_file_and_never_prints_it()
    {
        using var stub = new V2Stub();
        string pcap = CaptureRecords.WriteHousehold(_dir, 5_000, seed: 2);
        string summaryPath = Path.Combine(_dir, "summary.json");

        var fromEnv = TapSensorProcess.Run(new Dictionary<string, string> { ["TAPSENSOR__INFLUX__TOKEN"] = Token },
            "read", pcap, "--no-progress", "--summary-json", summaryPath, "--influx-url", stub.Url, "--influx-org", "home", "--influx-bucket", "tap");
        Assert.True(fromEnv.ExitCode == 0, fromEnv.StdErr);
        AssertWellFormed(stub, "home", "tap", "us");
        Assert.DoesNotContain(Token, fromEnv.StdErr + fromEnv.StdOut);
        var influx = JsonDocument.Parse(File.ReadAllText(summaryPath)).RootElement.GetProperty("sinks").GetProperty("influx");
        Assert.Equal(stub.Requests.Sum(r => r.Lines.Length), influx.GetProperty("points_written").GetInt64());

        string tokenFile = Path.Combine(_dir, "token");
        File.WriteAllText(tokenFile, Token + "\n");
        int before = stub.Requests.Count;
        var fromFile = TapSensorProcess.Run(null, "read", pcap, "--no-progress", "--influx-url", stub.Url, "--influx-org", "home",
            "--influx-bucket", "tap", "--influx-token-file", tokenFile);
        Assert.True(fromFile.ExitCode == 0, fromFile.StdErr);
        Assert.True(stub.Requests.Count > before);
        AssertWellFormed(stub, "home", "tap", "us");
        Assert.DoesNotContain(Token, fromFile.StdErr + fromFile.StdOut);
    }
}
