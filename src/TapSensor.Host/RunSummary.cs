using System.Text.Json;
using System.Text.Json.Serialization;
using TapSensor.Core.Pipeline;

namespace TapSensor.Host;

/// <summary>The end-of-run summary: printed as tables, written as JSON with <c>--summary-json</c>.</summary>
internal sealed record RunSummary
{
    public required string Source { get; init; }
    public required string Mode { get; init; }
    public required long Packets { get; init; }
    /// <summary>Sum of frame lengths on the wire.</summary>
    public required long Bytes { get; init; }
    /// <summary>Finished flow records written (a flow split by the active timeout counts once per record).</summary>
    public required long Flows { get; init; }
    /// <summary>Frames that could not be decoded (malformed, truncated, unknown link type...), all reasons.</summary>
    public required long DecodeErrors { get; init; }
    public required IReadOnlyDictionary<string, long> DecodeErrorsByReason { get; init; }
    /// <summary>Frames skipped without error because they carry no IP (ARP, LLDP, STP...).</summary>
    public required long NonIpPackets { get; init; }
    public required double ElapsedSeconds { get; init; }
    public required double PacketsPerSecond { get; init; }
    public required long FlowPackets { get; init; }
    public required long FlowIpBytes { get; init; }
    public required IReadOnlyDictionary<string, long> FlowsByCloseReason { get; init; }
    public required IReadOnlyDictionary<string, long> FlowCounters { get; init; }
    public required long RingDroppedPackets { get; init; }
    public required long KernelDroppedPackets { get; init; }
    public required long InterfaceDroppedPackets { get; init; }
    public required long RecordsDropped { get; init; }
    public required long SinkErrors { get; init; }
    public required int Workers { get; init; }
    public string? CaptureError { get; init; }
    public required IReadOnlyList<TopTalker> TopTalkers { get; init; }
    /// <summary>Counters of the sinks that keep them (e.g. <c>influx</c>: points written, spooled, dropped), by sink.</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, long>>? Sinks { get; init; }

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public void WriteJson(string path)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(dir)) Directory.CreateDirectory(dir);
        File.WriteAllText(path, ToJson() + Environment.NewLine);
    }
}
