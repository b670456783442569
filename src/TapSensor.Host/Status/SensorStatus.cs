using System.Text.Json;
using System.Text.Json.Serialization;

namespace TapSensor.Host.Status;

/// <summary>
/// What a running sensor says about itself in its status file (<c>TapSensor:Output:StatusPath</c>, default
/// <c>$TAPSENSOR_DATA/status.json</c>), rewritten every <c>Output:StatusInterval</c> and once more at exit.
/// <c>tapsensor health</c> reads it. Counters only: no addresses, names or other household contents.
/// </summary>
internal sealed record SensorStatus
{
    public const string Starting = "starting";
    public const string Running = "running";
    public const string Stopped = "stopped";

    /// <summary>Layout version of this file.</summary>
    public int Version { get; init; } = 1;
    public int Pid { get; init; }
    /// <summary>Host name of the machine (or container) that wrote the file; the pid means something only there.</summary>
    public string Host { get; init; } = "";
    /// <summary><c>capture</c> or <c>read</c>.</summary>
    public string Mode { get; init; } = "";
    /// <summary>The interface captured on, or the file read.</summary>
    public string Source { get; init; } = "";
    /// <summary><see cref="Starting"/>, <see cref="Running"/> or <see cref="Stopped"/>.</summary>
    public string State { get; init; } = Starting;
    public DateTimeOffset Started { get; init; }
    public DateTimeOffset Updated { get; init; }
    public DateTimeOffset? StoppedAt { get; init; }
    /// <summary>Why the sensor stopped: <c>end of file</c>, <c>stopped</c> (signal), <c>capture error: ...</c>.</summary>
    public string? StopReason { get; init; }
    public long Packets { get; init; }
    public long WireBytes { get; init; }
    public StatusDrops Drops { get; init; } = new();
    public long ActiveFlows { get; init; }
    public long Records { get; init; }
    public long DecodeErrors { get; init; }
    /// <summary>Counters of each sink that reports them (<c>influx</c>: points written, spooled, dropped, ...).</summary>
    public SortedDictionary<string, SortedDictionary<string, long>>? Sinks { get; init; }

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>The status in <paramref name="json"/>; null with a reason when it is not a status document.</summary>
    public static SensorStatus? Parse(string json, out string? error)
    {
        try
        {
            var status = JsonSerializer.Deserialize<SensorStatus>(json, Json);
            error = status is null ? "the file is empty" : null;
            if (status is not null && (status.Updated == default || string.IsNullOrEmpty(status.State)))
            {
                error = "the file has no 'updated' time or 'state'";
                return null;
            }
            return status;
        }
        catch (JsonException ex)
        {
            error = $"the file is not a status document ({ex.Message})";
            return null;
        }
    }
}

internal sealed record StatusDrops
{
    /// <summary>Dropped by the kernel: the capture buffer was full (libpcap ps_drop).</summary>
    public long Kernel { get; init; }
    /// <summary>Dropped by the interface or driver (libpcap ps_ifdrop).</summary>
    public long Interface { get; init; }
    /// <summary>Dropped by TapSensor: a worker's ring was full.</summary>
    public long Ring { get; init; }
    /// <summary>Finished flow records the hand-off to the aggregator had no room for.</summary>
    public long Records { get; init; }
}
