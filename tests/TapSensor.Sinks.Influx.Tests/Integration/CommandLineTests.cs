using TapSensor.Sinks.Influx.Tests.Infrastructure;
using TapSensor.Testing;

namespace TapSensor.Sinks.Influx.Tests.Integration;

/// <summary>Invalid InfluxDB settings stop <c>tapsensor</c> before it starts, with one line naming the setting and exit code 2.</summary>
public sealed class CommandLineTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tapsensor-influx-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData("TapSensor:Influx:Database is set but Influx:Url is not", "--influx-database", "tap")]
    [InlineData("TapSensor:Influx:Url must be an absolute http(s) URL; got 'localhost:8086'", "--influx-url", "localhost:8086", "--influx-database", "tap")]
    [InlineData("TapSensor:Influx: set either Database (InfluxDB 1.x API) or Org and Bucket", "--influx-url", "http://127.0.0.1:9", "--influx-database", "tap", "--influx-bucket", "b")]
    [InlineData("TapSensor:Influx:TokenFile (or the TAPSENSOR__INFLUX__TOKEN environment variable) is required with the v2 API", "--influx-url", "http://127.0.0.1:9", "--influx-org", "o", "--influx-bucket", "b")]
    [InlineData("TapSensor:Influx:TokenFile must name a readable file", "--influx-url", "http://127.0.0.1:9", "--influx-org", "o", "--influx-bucket", "b", "--influx-token-file", "/nonexistent/token")]
    public void Invalid_combinations_exit_2_with_one_line(string expected, params string[] influxArgs)
    {
        string pcap = Path.Combine(_dir, "empty.pcap");
        File.WriteAllBytes(pcap, []);
        var r = TapSensorProcess.Run(null, ["read", pcap, "--no-progress", .. influxArgs]);
        Assert.Equal(2, r.ExitCode);
        string line = Assert.Single(r.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(expected, line);
    }

    [Fact]
    public void Environment_variables_configure_the_output_too()
    {
        string pcap = Path.Combine(_dir, "empty.pcap");
        File.WriteAllBytes(pcap, []);
        var r = TapSensorProcess.Run(new Dictionary<string, string> { ["TAPSENSOR__INFLUX__URL"] = "http://127.0.0.1:9", ["TAPSENSOR__INFLUX__PRECISION"] = "minutes" },
            "read", pcap, "--no-progress", "--influx-database", "tap");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("TapSensor:Influx:Precision must be ns, us, ms or s; got 'minutes'", r.StdErr);
    }
}
