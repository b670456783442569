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
    public int DevicesFound { get; init; }
    /// <summary>The devices with the most traffic, with their names and vendors.</summary>
    public IReadOnlyList<DeviceSummary> Devices { get; init; } = [];
    /// <summary>Final records that carry a destination name.</summary>
    public long NamedFlows { get; init; }
    public IReadOnlyDictionary<string, long> FlowsByNameSource { get; init; } = new Dictionary<string, long>();
    /// <summary>Destination names with the most traffic.</summary>
    public IReadOnlyList<DestinationSummary> TopDestinations { get; init; } = [];
    /// <summary>Name-parser counters (names found, malformed messages skipped), non-zero ones only.</summary>
    public IReadOnlyDictionary<string, long> NameCounters { get; init; } = new Dictionary<string, long>();
    public long EnrichErrors { get; init; }
    /// <summary>Counters of the sinks that keep them (e.g. <c>influx</c>: points written, spooled, dropped), by sink.</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, long>>? Sinks { get; init; }

    public string ToJson() => JsonOutput.Serialize(this);

    public void WriteJson(string path) => JsonOutput.Write(path, this);
}

internal sealed record DeviceSummary(string Id, string? Name, string? NameSource, string? Vendor, string? Mac, string? Ip,
    long BytesUp, long BytesDown, long Flows, int Destinations)
{
    public static IReadOnlyList<DeviceSummary> Top(IEnumerable<Core.Devices.Device> devices, int count) =>
        devices.OrderByDescending(d => d.BytesUp + d.BytesDown).ThenBy(d => d.Id, StringComparer.Ordinal).Take(count)
            .Select(d => new DeviceSummary(d.Id, d.Name, d.NameSource is { } s ? Core.Discovery.DeviceNameSources.Name(s) : null,
                d.Vendor, d.Mac == 0 ? null : Core.Packets.MacAddress.ToText(d.Mac),
                d.Addresses.FirstOrDefault(a => a.IsIPv4) is { Family: 4 } v4 ? v4.ToString() : d.Addresses.FirstOrDefault().ToString(),
                d.BytesUp, d.BytesDown, d.Flows, d.Destinations))
            .ToList();
}

internal sealed record DestinationSummary(string Name, long Bytes);
