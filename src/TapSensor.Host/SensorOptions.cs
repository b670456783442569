using TapSensor.Capture;
using TapSensor.Core.Devices;
using TapSensor.Core.Flows;
using TapSensor.Core.Pipeline;
using TapSensor.Geo;
using TapSensor.Sinks.Influx;
using TapSensor.Sinks.Sqlite;

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
    /// <summary>The LAN, the user's device names, vendor listings and what is remembered (section TapSensor:Household).</summary>
    public HouseholdOptions Household { get; set; } = new();
    /// <summary>
    /// IEEE MAC listings (CSV) for device vendors. Default: Debian's ieee-data files (oui.csv, mam.csv,
    /// oui36.csv under /usr/share/ieee-data); missing files are logged and vendors stay unknown.
    /// </summary>
    public string[]? VendorFiles { get; set; }
    /// <summary>Local geolocation and provider databases (section TapSensor:Geo).</summary>
    public GeoOptions Geo { get; set; } = new();
    public OutputOptions Output { get; set; } = new();
    public InfluxOptions Influx { get; set; } = new();
    /// <summary>The embedded store (section TapSensor:Sqlite): on by default when no InfluxDB is configured.</summary>
    public SqliteOptions Sqlite { get; set; } = new();
}

internal sealed class OutputOptions
{
    /// <summary>JSON-lines file of finished flow records (Zeek conn.log field names).</summary>
    public string? FlowsPath { get; set; }

    /// <summary>Where the end-of-run summary is written as JSON.</summary>
    public string? SummaryJsonPath { get; set; }

    /// <summary>Devices as a JSON array, written at the end of the run.</summary>
    public string? DevicesPath { get; set; }

    /// <summary>Devices listed in the summary, most traffic first.</summary>
    public int TopDevices { get; set; } = 20;

    /// <summary>Destination names listed in the summary, most traffic first.</summary>
    public int TopDestinations { get; set; } = 10;

    /// <summary>How many top talkers the summary lists.</summary>
    public int TopTalkers { get; set; } = 10;

    /// <summary>
    /// The status file <c>tapsensor health</c> reads. Default: <c>status.json</c> in the data folder
    /// (<c>$TAPSENSOR_DATA</c>, else <c>/var/lib/tapsensor</c> for root, else the user's data folder) for
    /// <c>capture</c>; <c>read</c> writes one only to a path given here.
    /// </summary>
    public string? StatusPath { get; set; }

    /// <summary>Write the status file at all.</summary>
    public bool WriteStatus { get; set; } = true;

    /// <summary>How often the status file is rewritten (wall clock).</summary>
    public TimeSpan StatusInterval { get; set; } = TimeSpan.FromSeconds(10);
}
