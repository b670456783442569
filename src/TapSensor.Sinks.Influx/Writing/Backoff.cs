namespace TapSensor.Sinks.Influx.Writing;

/// <summary>
/// Exponential backoff with full jitter: attempt n waits a random time in [0, min(max, base·2ⁿ⁻¹)], so writers
/// that failed together do not come back together (the C# InfluxDB client and Serilog's batching sink both
/// randomise a doubling delay). A server's Retry-After wins when it asks for longer, as Telegraf's
/// getRetryDuration does; no wait exceeds <see cref="RetryAfterLimit"/>, so a bogus header cannot park the writer.
/// </summary>
internal sealed class Backoff
{
    public static readonly TimeSpan RetryAfterLimit = TimeSpan.FromMinutes(10);

    private readonly TimeSpan _base;
    private readonly TimeSpan _max;
    private readonly Func<double> _random;

    /// <param name="random">Uniform in [0, 1); tests pass a fixed sequence.</param>
    public Backoff(TimeSpan baseDelay, TimeSpan maxDelay, Func<double>? random = null)
    {
        _base = baseDelay;
        _max = maxDelay < baseDelay ? baseDelay : maxDelay;
        _random = random ?? Random.Shared.NextDouble;
    }

    /// <summary>The longest wait attempt <paramref name="attempt"/> (1, 2, ...) can draw, before Retry-After.</summary>
    public TimeSpan Ceiling(int attempt)
    {
        int doublings = Math.Clamp(attempt - 1, 0, 40);
        double ms = Math.Min(_max.TotalMilliseconds, _base.TotalMilliseconds * Math.Pow(2, doublings));
        return TimeSpan.FromMilliseconds(ms);
    }

    public TimeSpan Delay(int attempt, TimeSpan? retryAfter = null)
    {
        var delay = TimeSpan.FromMilliseconds(Ceiling(attempt).TotalMilliseconds * Math.Clamp(_random(), 0, 1));
        if (retryAfter is { } ra && ra > delay) delay = ra;
        return delay > RetryAfterLimit ? RetryAfterLimit : delay;
    }
}
