using Microsoft.Extensions.Logging;

namespace TapSensor.Sinks.Influx.Logging;

/// <summary>
/// Log messages of the InfluxDB sink: event IDs 5000-5099 (the InfluxDB range of TapSensor.Host's Log.cs; next
/// free: 5017). Nothing here is logged per point. Information and above never carry household contents (the
/// rejected lines themselves are logged at Debug) and never a token or password: URLs are logged without user
/// info, and credentials are <see cref="Secret"/>s.
/// </summary>
internal static partial class InfluxLog
{
    [LoggerMessage(5000, LogLevel.Information,
        "InfluxDB: writing to {Endpoint}, precision {Precision}, batches of {BatchPoints} points or {FlushInterval}; spool {Spool}")]
    public static partial void Started(ILogger logger, string endpoint, string precision, int batchPoints, TimeSpan flushInterval, string spool);

    [LoggerMessage(5001, LogLevel.Debug, "InfluxDB: wrote {Points} points ({Bytes} bytes gzipped{Raw}) in {Milliseconds:F1} ms{Replay}")]
    public static partial void BatchWritten(ILogger logger, int points, int bytes, string raw, double milliseconds, string replay);

    [LoggerMessage(5002, LogLevel.Warning, "InfluxDB: write of {Points} points failed ({Reason}); retry {Attempt} of {MaxRetries} in {Delay}")]
    public static partial void Retrying(ILogger logger, int points, string reason, int attempt, int maxRetries, TimeSpan delay);

    [LoggerMessage(5003, LogLevel.Warning, "InfluxDB is unreachable ({Reason}); spooling batches until it answers (spool holds {SpoolPoints} points)")]
    public static partial void Unreachable(ILogger logger, string reason, long spoolPoints);

    [LoggerMessage(5004, LogLevel.Information, "InfluxDB answers again after {Outage}; replaying {SpoolPoints} spooled points")]
    public static partial void Recovered(ILogger logger, TimeSpan outage, long spoolPoints);

    [LoggerMessage(5005, LogLevel.Warning, "InfluxDB rejected {Rejected} of {Points} points (HTTP {Status}): {Reason}")]
    public static partial void Rejected(ILogger logger, int rejected, int points, int status, string reason);

    [LoggerMessage(5006, LogLevel.Debug, "InfluxDB rejected lines (HTTP {Status}): {Message}")]
    public static partial void RejectedLines(ILogger logger, int status, string message);

    [LoggerMessage(5007, LogLevel.Error,
        "InfluxDB refused the write with HTTP {Status}: {Message}. {Hint} Batches are spooled and retried until this is fixed")]
    public static partial void ConfigurationError(ILogger logger, int status, string message, string hint);

    [LoggerMessage(5008, LogLevel.Warning, "InfluxDB spool: dropped {Points} points ({Reason}); {TotalDropped} points dropped so far")]
    public static partial void Dropped(ILogger logger, int points, string reason, long totalDropped);

    [LoggerMessage(5009, LogLevel.Information,
        "InfluxDB: {Written} points written ({Replayed} from the spool), {Retried} retried, {Spooled} spooled, {Rejected} rejected, {Dropped} dropped, {Pending} still spooled")]
    public static partial void Summary(ILogger logger, long written, long replayed, long retried, long spooled, long rejected, long dropped, long pending);

    [LoggerMessage(5010, LogLevel.Warning, "InfluxDB: flushing did not finish within {Timeout}; {Points} points are spooled for later")]
    public static partial void CompleteTimedOut(ILogger logger, TimeSpan timeout, long points);

    [LoggerMessage(5011, LogLevel.Information, "InfluxDB: created database '{Database}'")]
    public static partial void DatabaseCreated(ILogger logger, string database);

    [LoggerMessage(5012, LogLevel.Warning, "InfluxDB spool: {Count} unreadable segment file(s) in {Directory} set aside as .bad: {Files}")]
    public static partial void UnreadableSegments(ILogger logger, int count, string directory, string files);

    [LoggerMessage(5013, LogLevel.Information, "InfluxDB spool: {Points} points in {Segments} segment(s) left by an earlier run; they are replayed first")]
    public static partial void SpoolFound(ILogger logger, long points, int segments);

    [LoggerMessage(5014, LogLevel.Warning, "InfluxDB: request too large (HTTP 413) for {Points} points; splitting the batch in two")]
    public static partial void Splitting(ILogger logger, int points);

    [LoggerMessage(5015, LogLevel.Error, "InfluxDB spool: cannot write to {Directory}: {Error}")]
    public static partial void SpoolFailed(ILogger logger, string directory, string error);

    [LoggerMessage(5016, LogLevel.Information,
        "InfluxDB: {Moved} point(s) moved to a later timestamp so as not to overwrite a point of the same series")]
    public static partial void TimestampsMoved(ILogger logger, long moved);
}
