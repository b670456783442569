using TapSensor.Docker.Tests.Infrastructure;
using TapSensor.Testing;

namespace TapSensor.Docker.Tests.Influxdb;

/// <summary>
/// docker/influxdb/10-tapsensor-dbrp.sh, run as the influxdb image runs its init scripts, against a stand-in
/// <c>influx</c> CLI on PATH that records its arguments (no InfluxDB 2 server exists here).
/// </summary>
public sealed class DbrpInitScriptTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tapsensor-dbrp-").FullName;
    private string Calls => Path.Combine(_dir, "calls.txt");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>An <c>influx</c> whose <c>v1 dbrp list</c> prints <paramref name="existing"/> and which logs every call.</summary>
    private Dictionary<string, string> FakeInflux(string existing)
    {
        var bin = Directory.CreateDirectory(Path.Combine(_dir, "bin")).FullName;
        var fake = Path.Combine(bin, "influx");
        File.WriteAllText(fake, $"""
            #!/bin/bash
            echo "$*" >> '{Calls}'
            if [ "$1 $2 $3" = "v1 dbrp list" ]; then printf '%s' '{existing}'; fi
            exit 0
            """.Replace("\r", "", StringComparison.Ordinal));
        File.SetUnixFileMode(fake, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return new Dictionary<string, string>
        {
            ["PATH"] = bin + ":" + Environment.GetEnvironmentVariable("PATH"),
            ["TAPSENSOR_INFLUX_DB"] = "tapsensor",
            ["DOCKER_INFLUXDB_INIT_BUCKET"] = "tapsensor",
            ["DOCKER_INFLUXDB_INIT_BUCKET_ID"] = "0123456789abcdef",
            ["DOCKER_INFLUXDB_INIT_ORG_ID"] = "fedcba9876543210",
        };
    }

    private static ProcessResult Run(Dictionary<string, string> env) =>
        Tool.Run(Repo.Path("docker", "influxdb", "10-tapsensor-dbrp.sh"), [], environment: env, cleanEnvironment: true);

    [Fact]
    public void A_fresh_setup_maps_the_database_onto_the_bucket_as_the_default()
    {
        var r = Run(FakeInflux(existing: ""));

        Assert.True(r.ExitCode == 0, r.Output);
        var calls = File.ReadAllLines(Calls);
        Assert.Equal("v1 dbrp create --org-id fedcba9876543210 --db tapsensor --rp autogen --bucket-id 0123456789abcdef --default", calls[^1]);
        Assert.Contains("maps to bucket 'tapsensor' (0123456789abcdef)", r.StdOut);
    }

    [Fact]
    public void An_existing_mapping_is_left_alone()
    {
        var r = Run(FakeInflux(existing: "0a1b\ttapsensor\tautogen\ttrue\t0123456789abcdef\n"));

        Assert.True(r.ExitCode == 0, r.Output);
        Assert.DoesNotContain(File.ReadAllLines(Calls), c => c.Contains("create", StringComparison.Ordinal));
        Assert.Contains("exists already", r.StdOut);
    }

    [Fact]
    public void Without_the_ids_the_image_exports_it_fails_and_says_so()
    {
        var env = FakeInflux(existing: "");
        env.Remove("DOCKER_INFLUXDB_INIT_BUCKET_ID");

        var r = Run(env);

        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("DOCKER_INFLUXDB_INIT_BUCKET_ID", r.StdErr);
        Assert.False(File.Exists(Calls));
    }
}
