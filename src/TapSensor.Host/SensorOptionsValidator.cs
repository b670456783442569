using Microsoft.Extensions.Options;

namespace TapSensor.Host;

/// <summary>Checks the whole configuration at start; each message names the setting and what would be valid.</summary>
internal sealed class SensorOptionsValidator : IValidateOptions<SensorOptions>
{
    public ValidateOptionsResult Validate(string? name, SensorOptions options)
    {
        var errors = new List<string>();
        if (options.Mode == SensorMode.Read)
        {
            if (string.IsNullOrWhiteSpace(options.ReadFile))
                errors.Add("TapSensor:ReadFile is required to read a capture file");
        }
        else
        {
            errors.AddRange(options.Capture.Validate());
            if (options.Pace) errors.Add("TapSensor:Pace applies only to reading a file");
        }
        if (options.Count < 0) errors.Add($"TapSensor:Count must be 0 (no limit) or positive; got {options.Count}");
        if (options.StatsInterval < TimeSpan.FromSeconds(1))
            errors.Add($"TapSensor:StatsInterval must be at least 1 s; got {options.StatsInterval}");
        if (options.Output.TopTalkers is < 0 or > 1000)
            errors.Add($"TapSensor:Output:TopTalkers must be between 0 and 1000; got {options.Output.TopTalkers}");
        errors.AddRange(options.Flows.Validate().Select(e => Prefix(e)));
        errors.AddRange(options.Pipeline.Validate().Select(e => Prefix(e)));
        errors.AddRange(options.Household.Validate().Select(e => Prefix(e)));
        errors.AddRange(options.Geo.Validate().Select(e => Prefix(e)));
        if (options.Output.TopDevices is < 0 or > 10000)
            errors.Add($"TapSensor:Output:TopDevices must be between 0 and 10000; got {options.Output.TopDevices}");
        if (options.Output.TopDestinations is < 0 or > 10000)
            errors.Add($"TapSensor:Output:TopDestinations must be between 0 and 10000; got {options.Output.TopDestinations}");
        if (options.Output.StatusInterval < TimeSpan.FromSeconds(1) || options.Output.StatusInterval > TimeSpan.FromHours(1))
            errors.Add($"TapSensor:Output:StatusInterval must be between 00:00:01 and 01:00:00; got {options.Output.StatusInterval}");
        if (options.Output.StatusPath is { } statusPath && (string.IsNullOrWhiteSpace(statusPath) || Directory.Exists(statusPath)))
            errors.Add($"TapSensor:Output:StatusPath must name a file (set Output:WriteStatus to false for none); got '{statusPath}'");
        errors.AddRange(options.Influx.Validate().Select(e => Prefix(e)));
        errors.AddRange(options.Sqlite.Validate().Select(e => Prefix(e)));
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static string Prefix(string message) =>
        message.StartsWith("TapSensor:", StringComparison.Ordinal) ? message : "TapSensor:" + message;
}
