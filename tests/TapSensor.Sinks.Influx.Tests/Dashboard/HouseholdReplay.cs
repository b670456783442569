using System.Globalization;
using System.Text.Json;
using TapSensor.Sinks.Influx.Tests.Infrastructure;
using TapSensor.Testing;

namespace TapSensor.Sinks.Influx.Tests.Dashboard;

/// <summary>
/// A generated household capture replayed through the real sensor into the real influxd, once per test run:
/// <c>tapsensor sample</c>, then <c>tapsensor read --pace</c> of its first packets with GeoIP data (lat/lon need it)
/// and a sensor point every second, so the sensor panels get several points too. Paced, so the packet-time
/// measurements span the capture's seconds and the <c>sensor</c> points the wall-clock ones.
/// </summary>
internal sealed class HouseholdReplay
{
    public const int SamplePackets = 20_000;
    public const int ReplayedPackets = 3_000;
    public const string GeoIpHint = "TAPSENSOR_GEOIP_DIR is not set: the dashboard tests need the GeoIP data for lat/lon (scripts/get-geoip-data.sh downloads it; scripts/test.sh sets the variable)";

    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static HouseholdReplay? _instance;

    private HouseholdReplay(string database, GrafanaInfluxQl.TimeRange packetRange, GrafanaInfluxQl.TimeRange wallRange)
    {
        Database = database;
        PacketRange = packetRange;
        WallRange = wallRange;
    }

    public string Database { get; }

    /// <summary>Covers the replayed packets' time (flows, device_traffic, new_destinations), a minute either side.</summary>
    public GrafanaInfluxQl.TimeRange PacketRange { get; }

    /// <summary>Covers the replay's wall-clock time (the sensor measurement).</summary>
    public GrafanaInfluxQl.TimeRange WallRange { get; }

    public static async Task<HouseholdReplay> GetAsync(InfluxdFixture influx)
    {
        await Gate.WaitAsync();
        try
        {
            return _instance ??= await ReplayAsync(influx);
        }
        finally
        {
            Gate.Release();
        }
    }

    private static async Task<HouseholdReplay> ReplayAsync(InfluxdFixture influx)
    {
        string? geo = Environment.GetEnvironmentVariable("TAPSENSOR_GEOIP_DIR");
        Assert.False(string.IsNullOrEmpty(geo), GeoIpHint);
        Assert.True(Directory.Exists(geo), $"TAPSENSOR_GEOIP_DIR={geo} does not exist: run scripts/get-geoip-data.sh");

        string dir = Directory.CreateTempSubdirectory("tapsensor-dashboard-").FullName;
        try
        {
            string pcap = Path.Combine(dir, "household.pcap");
            string flows = Path.Combine(dir, "flows.jsonl");
            var environment = new Dictionary<string, string>
            {
                ["TAPSENSOR_DATA"] = Path.Combine(dir, "data"),
                ["TapSensor__Influx__SensorInterval"] = "00:00:01",
            };
            var sample = TapSensorProcess.Run(environment, "sample", pcap, "--packets", SamplePackets.ToString(CultureInfo.InvariantCulture), "--seed", "3");
            Assert.True(sample.ExitCode == 0, sample.StdErr);

            string db = "dashboard_" + Guid.NewGuid().ToString("N")[..8];
            var started = DateTimeOffset.UtcNow;
            var read = TapSensorProcess.Run(environment, "read", pcap, "--pace", "-c", ReplayedPackets.ToString(CultureInfo.InvariantCulture),
                "--no-progress", "--flows", flows, "--geoip-dir", geo!, "--hash-seed", "5", "--influx-url", influx.Url, "--influx-database", db);
            Assert.True(read.ExitCode == 0, read.StdErr);
            var ended = DateTimeOffset.UtcNow;

            var starts = File.ReadLines(flows).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("ts").GetDouble()).ToList();
            Assert.NotEmpty(starts);
            var first = DateTimeOffset.FromUnixTimeMilliseconds((long)(starts.Min() * 1000));
            var last = DateTimeOffset.FromUnixTimeMilliseconds((long)(starts.Max() * 1000));
            return new HouseholdReplay(db,
                new(first - TimeSpan.FromMinutes(1), last + TimeSpan.FromMinutes(1)),
                new(started - TimeSpan.FromMinutes(1), ended + TimeSpan.FromMinutes(1)));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
