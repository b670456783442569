using Microsoft.Extensions.Configuration;
using TapSensor.Geo;

namespace TapSensor.Host.Status;

/// <summary>Where the status file lives: the same rule for the sensor that writes it and <c>tapsensor health</c>.</summary>
internal static class StatusPaths
{
    public const string FileName = "status.json";
    public const string ConfigurationKey = SensorOptions.Section + ":Output:StatusPath";

    /// <summary>
    /// The data folder: the parent of the default geolocation folder (<c>$TAPSENSOR_DATA</c>, else
    /// <c>/var/lib/tapsensor</c> for root, else the user's data folder), see <see cref="GeoDataDirectory"/>.
    /// </summary>
    public static string Default() =>
        Path.Combine(Path.GetDirectoryName(GeoDataDirectory.Default()) ?? AppContext.BaseDirectory, FileName);

    /// <summary>The file a sensor run writes, or null for none.</summary>
    public static string? ForRun(SensorOptions options)
    {
        if (!options.Output.WriteStatus) return null;
        if (!string.IsNullOrWhiteSpace(options.Output.StatusPath)) return options.Output.StatusPath;
        return options.Mode == SensorMode.Capture ? Default() : null;
    }

    /// <summary>The file <c>tapsensor health</c> reads when not told: the configured path, else the default.</summary>
    public static string ForHealth(IConfiguration configuration)
    {
        var configured = configuration[ConfigurationKey];
        return string.IsNullOrWhiteSpace(configured) ? Default() : configured;
    }
}
