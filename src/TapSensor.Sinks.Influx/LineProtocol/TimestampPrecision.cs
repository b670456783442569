namespace TapSensor.Sinks.Influx.LineProtocol;

/// <summary>The unit of the timestamps written at the end of each line.</summary>
internal enum TimestampPrecision : byte
{
    Nanoseconds,
    Microseconds,
    Milliseconds,
    Seconds,
}

internal static class TimestampPrecisions
{
    /// <summary>Nanoseconds in one unit of <paramref name="precision"/>.</summary>
    public static long NanosecondsPerUnit(TimestampPrecision precision) => precision switch
    {
        TimestampPrecision.Nanoseconds => 1,
        TimestampPrecision.Microseconds => 1_000,
        TimestampPrecision.Milliseconds => 1_000_000,
        TimestampPrecision.Seconds => 1_000_000_000,
        _ => throw new ArgumentOutOfRangeException(nameof(precision), precision, null),
    };

    /// <summary>
    /// Unix nanoseconds to units of <paramref name="precision"/>, rounding towards negative infinity so a
    /// time before 1970 lands in the unit that contains it (as InfluxDB's own truncation does).
    /// </summary>
    public static long FromNanoseconds(long unixNs, TimestampPrecision precision)
    {
        long per = NanosecondsPerUnit(precision);
        long q = unixNs / per;
        return unixNs % per < 0 ? q - 1 : q;
    }

    public static long ToNanoseconds(long units, TimestampPrecision precision) => units * NanosecondsPerUnit(precision);

    /// <summary>
    /// The <c>precision</c> query value of the 1.x <c>/write</c> endpoint. 1.x spells microseconds <c>u</c>: given
    /// <c>us</c>, InfluxDB 1.6.7 silently reads the timestamps as nanoseconds (checked against the real server).
    /// </summary>
    public static string V1Name(TimestampPrecision precision) => precision switch
    {
        TimestampPrecision.Nanoseconds => "ns",
        TimestampPrecision.Microseconds => "u",
        TimestampPrecision.Milliseconds => "ms",
        _ => "s",
    };

    /// <summary>The <c>precision</c> query value of <c>/api/v2/write</c> (InfluxDB 2.x and 3.x): ns, us, ms, s.</summary>
    public static string V2Name(TimestampPrecision precision) => precision switch
    {
        TimestampPrecision.Nanoseconds => "ns",
        TimestampPrecision.Microseconds => "us",
        TimestampPrecision.Milliseconds => "ms",
        _ => "s",
    };

    /// <summary>Parses a configured precision: <c>ns</c>, <c>us</c> (or <c>u</c>), <c>ms</c>, <c>s</c>, any case.</summary>
    public static bool TryParse(string? text, out TimestampPrecision precision)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case "ns" or "n":
                precision = TimestampPrecision.Nanoseconds;
                return true;
            case "us" or "u" or "µs":
                precision = TimestampPrecision.Microseconds;
                return true;
            case "ms":
                precision = TimestampPrecision.Milliseconds;
                return true;
            case "s":
                precision = TimestampPrecision.Seconds;
                return true;
            default:
                precision = default;
                return false;
        }
    }
}
