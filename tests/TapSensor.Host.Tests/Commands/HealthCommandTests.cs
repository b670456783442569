using System.Diagnostics;
using System.Text.Json;
using TapSensor.Host.Status;
using TapSensor.Host.Tests.Infrastructure;
using TapSensor.Testing;

namespace TapSensor.Host.Tests.Commands;

/// <summary><c>tapsensor health</c> against status files, and against the status a real <c>read --pace</c> writes.</summary>
public sealed class HealthCommandTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);
    private readonly string _dir = Directory.CreateTempSubdirectory("tapsensor-health-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string StatusFile => Path.Combine(_dir, "status.json");

    /// <summary>A status as a running sensor in this test process would write it.</summary>
    private static SensorStatus Running(DateTimeOffset updated) => new()
    {
        Pid = Environment.ProcessId,
        Host = Environment.MachineName,
        Mode = "capture",
        Source = "eth1",
        State = SensorStatus.Running,
        Started = updated.AddMinutes(-30),
        Updated = updated,
        Packets = 123_456,
        ActiveFlows = 42,
    };

    private void Write(SensorStatus status) => File.WriteAllText(StatusFile, status.ToJson());

    private ProcessResult Health(params string[] extra) =>
        TapSensorProcess.Run(Timeout, ["health", "--status", StatusFile, .. extra]);

    [Fact]
    public void A_fresh_status_of_a_running_sensor_is_healthy()
    {
        Write(Running(DateTimeOffset.UtcNow));

        var r = Health();

        Assert.True(r.ExitCode == 0, r.StdErr);
        Assert.Contains("healthy: running: capture on eth1", r.StdOut);
        Assert.Contains("123,456 packets", r.StdOut);
        Assert.DoesNotContain("warning", r.StdOut);
    }

    [Fact]
    public void A_stale_status_is_unhealthy_and_says_how_old_it_is()
    {
        Write(Running(DateTimeOffset.UtcNow.AddMinutes(-5)));

        var r = Health();

        Assert.Equal(1, r.ExitCode);
        Assert.Contains("unhealthy: the status file is stale: last written 5 min ago, more than 60 s", r.StdErr);
    }

    [Fact]
    public void Max_age_decides_what_counts_as_stale()
    {
        Write(Running(DateTimeOffset.UtcNow.AddSeconds(-30)));

        Assert.Equal(1, Health("--max-age", "10s").ExitCode);
        Assert.Equal(0, Health("--max-age", "2m").ExitCode);
        Assert.Equal(0, Health("--max-age", "00:01:00").ExitCode);
        var bad = Health("--max-age", "soon");
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("--max-age must be a positive duration", bad.StdErr);
    }

    [Fact]
    public void A_missing_status_file_is_unhealthy_and_names_the_file()
    {
        var r = Health();

        Assert.Equal(1, r.ExitCode);
        Assert.Contains($"no status file at '{StatusFile}'", r.StdErr);
    }

    [Fact]
    public void A_file_that_is_not_a_status_is_unhealthy()
    {
        File.WriteAllText(StatusFile, "{ \"hello\": ");

        var r = Health();

        Assert.Equal(1, r.ExitCode);
        Assert.Contains("not a status document", r.StdErr);
    }

    [Fact]
    public void A_sensor_that_stopped_is_unhealthy_and_says_why()
    {
        var now = DateTimeOffset.UtcNow;
        Write(Running(now) with { State = SensorStatus.Stopped, StoppedAt = now, StopReason = "capture error: the interface went down" });

        var r = Health();

        Assert.Equal(1, r.ExitCode);
        Assert.Contains("the sensor stopped at", r.StdErr);
        Assert.Contains("capture error: the interface went down", r.StdErr);
    }

    [Fact]
    public void A_sensor_whose_process_is_gone_is_unhealthy_even_with_a_fresh_file()
    {
        using (var gone = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!)
        {
            gone.WaitForExit();
            Write(Running(DateTimeOffset.UtcNow) with { Pid = gone.Id });
        }

        var r = Health();

        Assert.Equal(1, r.ExitCode);
        Assert.Contains("no longer exists", r.StdErr);
    }

    [Fact]
    public void A_sensor_still_starting_is_not_yet_healthy()
    {
        Write(Running(DateTimeOffset.UtcNow) with { State = SensorStatus.Starting });

        var r = Health();

        Assert.Equal(1, r.ExitCode);
        Assert.Contains("the sensor is starting", r.StdErr);
    }

    [Fact]
    public void Influx_points_in_the_spool_and_drops_are_warnings_not_failures()
    {
        var sinks = new SortedDictionary<string, SortedDictionary<string, long>>(StringComparer.Ordinal)
        {
            ["influx"] = new(StringComparer.Ordinal) { ["points_written"] = 10, ["spool_points"] = 5000, ["points_dropped"] = 0 },
        };
        Write(Running(DateTimeOffset.UtcNow) with { Sinks = sinks, Drops = new StatusDrops { Kernel = 7 } });

        var r = Health();

        Assert.True(r.ExitCode == 0, r.StdErr);
        Assert.Contains("warning: influx: 5,000 points waiting in the spool", r.StdOut);
        Assert.Contains("warning: 7 packets dropped since start (kernel 7,", r.StdOut);
    }

    [Fact]
    public void Without_status_the_file_in_the_data_folder_is_checked()
    {
        Write(Running(DateTimeOffset.UtcNow));

        var r = TapSensorProcess.Run(Timeout, new Dictionary<string, string> { ["TAPSENSOR_DATA"] = _dir }, "health");
        var elsewhere = TapSensorProcess.Run(Timeout, new Dictionary<string, string>
        {
            ["TAPSENSOR_DATA"] = _dir,
            ["TAPSENSOR__OUTPUT__STATUSPATH"] = Path.Combine(_dir, "other.json"),
        }, "health");

        Assert.True(r.ExitCode == 0, r.StdErr);
        Assert.Equal(1, elsewhere.ExitCode);
        Assert.Contains("other.json", elsewhere.StdErr);
    }

    [Fact]
    public async Task A_paced_read_is_healthy_while_it_runs_and_unhealthy_once_it_ended()
    {
        var pcap = Path.Combine(_dir, "household.pcap");
        Assert.Equal(0, TapSensorProcess.Run(Timeout, "sample", pcap, "--packets", "600").ExitCode); // about 35 s of traffic
        var geo = Directory.CreateDirectory(Path.Combine(_dir, "no-geo")).FullName;
        var psi = TapSensorProcess.Start(TapSensorProcess.Executable,
            ["read", pcap, "--pace", "--no-progress", "--geoip-dir", geo],
            new Dictionary<string, string>
            {
                ["TAPSENSOR__OUTPUT__STATUSPATH"] = StatusFile,
                ["TAPSENSOR__OUTPUT__STATUSINTERVAL"] = "00:00:01",
            });
        using var sensor = Process.Start(psi)!;
        var stdout = sensor.StandardOutput.ReadToEndAsync();
        var stderr = sensor.StandardError.ReadToEndAsync();
        try
        {
            // Wait until the sensor says it is running and has counted packets, then ask while it is still reading.
            var deadline = Stopwatch.StartNew();
            ProcessResult? during = null;
            while (deadline.Elapsed < Timeout && !sensor.HasExited)
            {
                if (File.Exists(StatusFile) && ReadState(out long packets) == SensorStatus.Running && packets > 0)
                {
                    during = Health();
                    break;
                }
                await Task.Delay(200);
            }
            Assert.True(during is not null, $"the paced read never reported itself running; exited: {sensor.HasExited}");
            Assert.True(during.ExitCode == 0, during.StdErr);
            Assert.Contains($"healthy: running: read of {pcap} (pid {sensor.Id})", during.StdOut);

            Assert.True(sensor.WaitForExit(Timeout), "the paced read did not finish");
            Assert.True(sensor.ExitCode == 0, await stderr);
            _ = await stdout;

            var after = Health();
            Assert.Equal(1, after.ExitCode);
            Assert.Contains("the sensor stopped at", after.StdErr);
            Assert.Contains("(end of file)", after.StdErr);
            Assert.Contains("600 packets", after.StdErr);
            Assert.Empty(Directory.GetFiles(_dir, ".status.json.*")); // no temporary file left behind
        }
        finally
        {
            if (!sensor.HasExited) sensor.Kill(entireProcessTree: true);
        }
    }

    private string? ReadState(out long packets)
    {
        packets = 0;
        try
        {
            var doc = JsonDocument.Parse(File.ReadAllText(StatusFile)).RootElement;
            packets = doc.GetProperty("packets").GetInt64();
            return doc.GetProperty("state").GetString();
        }
        catch (IOException)
        {
            return null;
        }
    }
}
