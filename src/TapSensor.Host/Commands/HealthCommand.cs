using System.CommandLine;
using TapSensor.Host.Geo;
using TapSensor.Host.Status;

namespace TapSensor.Host.Commands;

/// <summary>
/// <c>tapsensor health [--status FILE] [--max-age 60s]</c>: exit 0 when the status file of a running sensor is fresh,
/// 1 otherwise, with one line saying why (stdout when healthy, stderr when not). The container's HEALTHCHECK runs it.
/// </summary>
internal static class HealthCommand
{
    public static Command Create()
    {
        var status = new Option<FileInfo?>("--status")
        {
            Description = "Status file the sensor writes (default: TapSensor:Output:StatusPath, else status.json in the data folder)",
        };
        var maxAge = new Option<string>("--max-age")
        {
            Description = "Oldest acceptable status: 60s, 2m, 90 (seconds) or 00:01:30",
            DefaultValueFactory = _ => "60s",
        };
        var command = new Command("health", "Check that the sensor is running: exit 0 when its status file is fresh, 1 otherwise") { status, maxAge };
        command.SetAction(result =>
        {
            var ageText = result.GetValue(maxAge) ?? "60s";
            if (!HealthCheck.TryParseAge(ageText, out var age))
            {
                Console.Error.WriteLine($"tapsensor: --max-age must be a positive duration such as 60s, 2m or 00:01:30; got '{ageText}'");
                return 2;
            }
            var path = result.GetValue(status)?.FullName ?? StatusPaths.ForHealth(GeoConfiguration.Read());
            var verdict = HealthCheck.Evaluate(path, DateTimeOffset.UtcNow, age);
            if (!verdict.Healthy)
            {
                Console.Error.WriteLine($"unhealthy: {verdict.Message}");
                return 1;
            }
            Console.WriteLine($"healthy: {verdict.Message}");
            foreach (var w in verdict.Warnings) Console.WriteLine($"warning: {w}");
            return 0;
        });
        return command;
    }
}
