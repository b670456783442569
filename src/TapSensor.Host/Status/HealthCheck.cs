using System.Diagnostics;
using System.Globalization;

namespace TapSensor.Host.Status;

/// <summary>The verdict of <c>tapsensor health</c>: healthy or not, one line saying why, and warnings that do not fail it.</summary>
internal sealed record HealthVerdict(bool Healthy, string Message, IReadOnlyList<string> Warnings);

/// <summary>
/// Judges a status file: healthy when the sensor says it is running, wrote the file within the allowed age, and
/// (on the machine that wrote it) its process still exists. Sink trouble (InfluxDB away, points spooled or dropped)
/// and packet drops are warnings: the sensor keeps capturing and spools, and a restart would not fix the server.
/// </summary>
internal static class HealthCheck
{
    public static readonly TimeSpan DefaultMaxAge = TimeSpan.FromSeconds(60);

    public static HealthVerdict Evaluate(string path, DateTimeOffset now, TimeSpan maxAge, Func<int, bool>? processExists = null)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return Fail($"no status file at '{path}': the sensor is not running, or writes its status elsewhere (TapSensor:Output:StatusPath, or --status FILE)");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return Fail($"cannot read the status file '{path}': {ex.Message}");
        }

        var status = SensorStatus.Parse(text, out var error);
        if (status is null) return Fail($"'{path}': {error}");
        return Evaluate(status, now, maxAge, processExists ?? ProcessExists);
    }

    public static HealthVerdict Evaluate(SensorStatus status, DateTimeOffset now, TimeSpan maxAge, Func<int, bool> processExists)
    {
        string what = $"{status.Mode} {(status.Mode == "capture" ? "on" : "of")} {Describe(status.Source)} (pid {status.Pid.ToString(CultureInfo.InvariantCulture)})";
        var age = now - status.Updated;
        if (status.State == SensorStatus.Stopped)
        {
            var at = status.StoppedAt ?? status.Updated;
            return Fail($"the sensor stopped at {Time(at)} ({status.StopReason ?? "no reason given"}): {what}, {Count(status.Packets)} packets");
        }
        if (age > maxAge)
            return Fail($"the status file is stale: last written {Span(age)} ago, more than {Span(maxAge)}; the sensor of {what} is hung or gone");
        if (string.Equals(status.Host, Environment.MachineName, StringComparison.Ordinal) && status.Pid > 0 && !processExists(status.Pid))
            return Fail($"the sensor's process {status.Pid.ToString(CultureInfo.InvariantCulture)} no longer exists (it ended without writing its final status): {what}");
        if (status.State == SensorStatus.Starting)
            return Fail($"the sensor is starting since {Time(status.Started)}: {what}");
        if (status.State != SensorStatus.Running)
            return Fail($"unknown state '{status.State}' in the status file");

        var warnings = new List<string>();
        long drops = status.Drops.Kernel + status.Drops.Interface + status.Drops.Ring;
        if (drops > 0)
            warnings.Add($"{Count(drops)} packets dropped since start (kernel {Count(status.Drops.Kernel)}, interface {Count(status.Drops.Interface)}, ring {Count(status.Drops.Ring)})");
        if (status.Sinks is not null)
        {
            foreach (var (sink, counters) in status.Sinks)
            {
                if (counters.GetValueOrDefault("spool_points") is > 0 and var spooled)
                    warnings.Add($"{sink}: {Count(spooled)} points waiting in the spool: the server is not taking them (down, or a setting to fix; see the sensor's log)");
                if (counters.GetValueOrDefault("points_dropped") is > 0 and var dropped)
                    warnings.Add($"{sink}: {Count(dropped)} points dropped since start");
            }
        }
        return new HealthVerdict(true,
            $"running: {what} since {Time(status.Started)}, {Count(status.Packets)} packets, {Count(status.ActiveFlows)} active flows, status written {Span(age < TimeSpan.Zero ? TimeSpan.Zero : age)} ago",
            warnings);
    }

    /// <summary>Parses <c>60s</c>, <c>2m</c>, <c>1h</c>, <c>90</c> (seconds) or <c>00:01:30</c>.</summary>
    public static bool TryParseAge(string text, out TimeSpan age)
    {
        age = default;
        text = text.Trim();
        if (text.Length == 0) return false;
        double factor = char.ToLowerInvariant(text[^1]) switch { 's' => 1, 'm' => 60, 'h' => 3600, _ => 0 };
        var number = factor == 0 ? text : text[..^1];
        if (factor == 0 && text.Contains(':', StringComparison.Ordinal))
            return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out age) && age > TimeSpan.Zero;
        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || value <= 0 || value > 86_400 * 365) return false;
        age = TimeSpan.FromSeconds(value * (factor == 0 ? 1 : factor));
        return true;
    }

    private static bool ProcessExists(int pid)
    {
        try
        {
            using var p = Process.GetProcessById(pid);
            return !p.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static HealthVerdict Fail(string message) => new(false, message, []);

    private static string Describe(string source) => string.IsNullOrEmpty(source) ? "(unknown source)" : source;

    private static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string Count(long n) => n.ToString("N0", CultureInfo.InvariantCulture);

    private static string Span(TimeSpan t) => t.TotalSeconds < 120
        ? t.TotalSeconds.ToString("0", CultureInfo.InvariantCulture) + " s"
        : t.TotalMinutes.ToString("0", CultureInfo.InvariantCulture) + " min";
}
