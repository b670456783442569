namespace TapSensor.Sinks.Influx.Writing;

/// <summary>How a write request ended, classified as Telegraf's v2 output classifies responses.</summary>
internal enum WriteStatus
{
    /// <summary>2xx: every point is stored.</summary>
    Written,
    /// <summary>400, 422 and other 4xx: some or all points were refused for good; sending them again would not help.</summary>
    Rejected,
    /// <summary>Connection refused or reset, timeout, 408, 429, 5xx: try again later.</summary>
    Transient,
    /// <summary>401, 403, an unknown bucket or retention policy, a server without this API: a setting is wrong; keep the points.</summary>
    ConfigurationError,
    /// <summary>404 "database not found" (1.x): create it, or report a configuration error.</summary>
    DatabaseNotFound,
    /// <summary>413: the body is too large; split the batch.</summary>
    TooLarge,
}

/// <param name="Rejected">Points refused (for <see cref="WriteStatus.Rejected"/>): counted from the server's message when it says, else the whole batch.</param>
/// <param name="Message">The server's error message or the network error (may quote rejected lines: not for logs above Debug).</param>
internal readonly record struct WriteOutcome(WriteStatus Status, int StatusCode, int Rejected, string? Message, TimeSpan? RetryAfter)
{
    public static WriteOutcome Ok(int statusCode) => new(WriteStatus.Written, statusCode, 0, null, null);
}
