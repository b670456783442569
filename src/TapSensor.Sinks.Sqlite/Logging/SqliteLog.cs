using Microsoft.Extensions.Logging;

namespace TapSensor.Sinks.Sqlite.Logging;

/// <summary>
/// Log messages of the embedded store: event IDs 6000-6099 (next free: 6009). Nothing here is logged per record;
/// drops and write failures are logged at most once per interval with their totals.
/// </summary>
internal static partial class SqliteLog
{
    [LoggerMessage(6000, LogLevel.Information,
        "SQLite store: {Path} (schema version {Version}, {Rows} flows stored, retention {Retention}); commits every {FlushInterval} or {BatchRows} rows")]
    public static partial void Opened(ILogger logger, string path, int version, long rows, string retention, TimeSpan flushInterval, int batchRows);

    [LoggerMessage(6001, LogLevel.Information, "SQLite store: migrated {Path} from schema version {From} to {To}")]
    public static partial void Migrated(ILogger logger, string path, int from, int to);

    [LoggerMessage(6002, LogLevel.Warning,
        "SQLite store: the queue was full, {Dropped} records dropped since the last report ({TotalDropped} in all); the disk is slower than the traffic")]
    public static partial void Dropped(ILogger logger, long dropped, long totalDropped);

    [LoggerMessage(6003, LogLevel.Error, "SQLite store: a commit of {Rows} rows failed, they are lost ({TotalFailed} rows lost so far): {Reason}")]
    public static partial void WriteFailed(ILogger logger, int rows, long totalFailed, string reason);

    [LoggerMessage(6004, LogLevel.Debug, "SQLite store: pruned {Flows} flows, {Names} names and {Devices} devices older than {Cutoff:o} (packet time)")]
    public static partial void Pruned(ILogger logger, long flows, long names, long devices, DateTimeOffset cutoff);

    [LoggerMessage(6005, LogLevel.Information,
        "SQLite store: {Written} flows written, {Duplicates} already stored, {Dropped} dropped, {Failed} lost to write errors, {Pruned} pruned")]
    public static partial void Summary(ILogger logger, long written, long duplicates, long dropped, long failed, long pruned);

    [LoggerMessage(6006, LogLevel.Error, "SQLite store: the writer stopped: {Reason}")]
    public static partial void WriterFailed(ILogger logger, Exception exception, string reason);

    [LoggerMessage(6007, LogLevel.Warning, "SQLite store: closing {Path} failed: {Reason}")]
    public static partial void CloseFailed(ILogger logger, string path, string reason);

    [LoggerMessage(6008, LogLevel.Error, "SQLite store: {Reason}. Give another file with --db FILE, or run without the store with --no-db")]
    public static partial void OpenFailed(ILogger logger, string reason);
}
