using Microsoft.Extensions.Logging;

namespace TapSensor.Geo.Logging;

/// <summary>
/// Geo log messages, event IDs 4000-4099 (next free: 4012). Nothing here names an address that was looked up:
/// which hosts a household talks to stays out of the logs.
/// </summary>
internal static partial class GeoLog
{
    [LoggerMessage(4000, LogLevel.Information, "GeoIP: loaded {Kind} {Path} ({DatabaseType}, built {BuildDate:yyyy-MM-dd} from the {BuildDateSource}{Detail})")]
    public static partial void Loaded(ILogger logger, GeoDatabaseKind kind, string path, string databaseType, DateTimeOffset buildDate,
        string buildDateSource, string detail);

    [LoggerMessage(4001, LogLevel.Warning,
        "GeoIP: {Path} was built {BuildDate:yyyy-MM-dd}, {AgeDays} days ago (more than {MaxAgeDays}); networks move, so update it (scripts/get-geoip-data.sh, or geoipupdate for MaxMind)")]
    public static partial void Stale(ILogger logger, string path, DateTimeOffset buildDate, int ageDays, int maxAgeDays);

    [LoggerMessage(4002, LogLevel.Error, "GeoIP: cannot use {Path}: {Reason}; running without it")]
    public static partial void LoadFailed(ILogger logger, string path, string reason);

    [LoggerMessage(4003, LogLevel.Warning,
        "GeoIP: no databases in {Directory}: remote addresses get no place or provider. Get the free DB-IP data with scripts/get-geoip-data.sh '{Directory}', or MaxMind's with geoipupdate (see README, Geolocation)")]
    public static partial void NoDatabases(ILogger logger, string directory);

    [LoggerMessage(4004, LogLevel.Information, "GeoIP: files changed in {Directory}; reloaded in {Milliseconds} ms")]
    public static partial void Reloaded(ILogger logger, string directory, long milliseconds);

    [LoggerMessage(4005, LogLevel.Warning, "GeoIP: {Path}: skipped {Count} malformed lines (the first is line {Line})")]
    public static partial void MalformedLines(ILogger logger, string path, long count, long line);

    [LoggerMessage(4006, LogLevel.Information, "GeoIP: {Path}: database type '{DatabaseType}' is not one TapSensor reads; ignored")]
    public static partial void Ignored(ILogger logger, string path, string databaseType);

    [LoggerMessage(4007, LogLevel.Information, "GeoIP: {Path} not loaded: the GeoLite2-ASN database gives the providers")]
    public static partial void CsvNotNeeded(ILogger logger, string path);

    [LoggerMessage(4008, LogLevel.Warning, "GeoIP: cannot watch {Directory} for changes ({Reason}); checking every {PollInterval} instead")]
    public static partial void WatchFailed(ILogger logger, string directory, string reason, TimeSpan pollInterval);

    [LoggerMessage(4009, LogLevel.Error, "GeoIP: a lookup in {Path} failed ({Reason}); the other databases still answer. Further failures are only counted (geo lookup_errors)")]
    public static partial void LookupFailed(ILogger logger, string path, string reason);

    [LoggerMessage(4010, LogLevel.Information, "GeoIP: disabled by configuration (TapSensor:Geo:Enabled = false)")]
    public static partial void Disabled(ILogger logger);

    [LoggerMessage(4011, LogLevel.Information,
        "GeoIP: ASN range table: {V4Ranges} IPv4 and {V6Ranges} IPv6 ranges, {Providers} providers, {Organisations} organisation names, {MiB:F1} MiB")]
    public static partial void AsnTable(ILogger logger, int v4Ranges, int v6Ranges, int providers, int organisations, double miB);
}
