using TapSensor.Capture;
using TapSensor.Core.Flows;
using TapSensor.Core.Pipeline;
using TapSensor.Sinks.Influx;

namespace TapSensor.Host;

public enum SensorMode
{
    /// <summary>Read a pcap/pcapng file, then exit.</summary>
    Read,
    /// <summary>Capture on a live interface until stopped.</summary>
    Capture,
}

/// <summary>
/// Everything the sensor run needs, bound from the "TapSensor" configuration section: appsettings.json, then
/// TAPSENSOR__SECTION__KEY environment variables, then the command line (highest precedence).
/// </summary>
internal sealed class SensorOptions
{
    public const string Section = "TapSensor";

    public SensorMode Mode { get; set; } = SensorMode.Capture;

    /// <summary>The capture file for <see cref="SensorMode.Read"/>.</summary>
    public string? ReadFile { get; set; }

    /// <summary>Replay the file at its original timing instead of as fast as possible.</summary>
    public bool Pace { get; set; }

    /// <summary>Stop after this many packets (0: no limit).</summary>
    public long Count { get; set; }

    /// <summary>Show a progress bar while reading a file, when the output is a terminal.</summary>
    public bool Progress { get; set; } = true;

    /// <summary>How often the stats line is logged during live capture.</summary>
    public TimeSpan StatsInterval { get; set; } = TimeSpan.FromSeconds(60);

    public LiveCaptureOptions Capture { get; set; } = new();
    public FlowTableOptions Flows { get; set; } = new();
    public PipelineOptions Pipeline { get; set; } = new();
    public OutputOptions Output { get; set; } = new();
    public InfluxOptions Influx { get; set; } = new();
}

internal sealed class OutputOptions
{
    /// <summary>JSON-lines file of finished flow records (Zeek conn.log field names).</summary>
    public string? FlowsPath { get; set; }

    /// <summary>Where the end-of-run summary is written as JSON.</summary>
    public string? SummaryJsonPath { get; set; }

    /// <summary>How many top talkers the summary lists.</summary>
    public int TopTalkers { get; set; } = 10;
}
