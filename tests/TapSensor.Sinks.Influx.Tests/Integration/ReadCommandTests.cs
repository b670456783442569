using System.Globalization;
using System.Text.Json;
using TapSensor.Sinks.Influx.Tests.Infrastructure;
using TapSensor.Testing;

namespace TapSensor.Sinks.Influx.Tests.Integration;

/// <summary><c>tapsensor read FILE --influx-url … --influx-database …</c> into the real InfluxDB 1.6.7.</summary>
[Collection("influxd")]
public sealed class ReadCommandTests(InfluxdFixture influx) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tapsensor-influx-read-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [InfluxdFact]
    public async Task A_replayed_capture_fills_InfluxDB_with_points_whose_sums_equal_the_flow_records()
    {
        const long Packets = 40_000;
        string pcap = CaptureRecords.WriteHousehold(_dir, Packets, seed: 3);
        string flows = Path.Combine(_dir, "flows.jsonl");
        string summaryPath = Path.Combine(_dir, "summary.json");
        string db = "read_" + Guid.NewGuid().ToString("N")[..8]; // does not exist yet: the sink creates it

        var r = TapSensorProcess.Run(null, "read", pcap, "--no-progress", "--flows", flows, "--summary-json", summaryPath, "--hash-seed", "5",
            "--influx-url", influx.Url, "--influx-database", db);
        Assert.True(r.ExitCode == 0, r.StdErr);
        Assert.Contains("created database", r.StdErr);

        var records = File.ReadLines(flows).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        long Sum(string field) => records.Sum(x => x.GetProperty(field).GetInt64());

        // flows: one point per record, the same sums.
        var totals = (await influx.QueryAsync(db,
            "SELECT count(orig_ip_bytes), sum(orig_ip_bytes), sum(resp_ip_bytes), sum(orig_pkts), sum(resp_pkts), sum(orig_bytes), sum(resp_bytes) FROM flows"))
            .GetProperty("series")[0].GetProperty("values")[0];
        Assert.Equal(records.Count, totals[1].GetInt64());
        Assert.Equal(Sum("orig_ip_bytes"), totals[2].GetInt64());
        Assert.Equal(Sum("resp_ip_bytes"), totals[3].GetInt64());
        Assert.Equal(Sum("orig_pkts"), totals[4].GetInt64());
        Assert.Equal(Sum("resp_pkts"), totals[5].GetInt64());
        Assert.Equal(Sum("orig_bytes"), totals[6].GetInt64());
        Assert.Equal(Sum("resp_bytes"), totals[7].GetInt64());

        // Each point is its record: same uid, bytes and start (microseconds; a moved point is a unit or so later).
        var points = (await influx.QueryAsync(db, "SELECT uid, orig_ip_bytes, resp_ip_bytes, community_id FROM flows"))
            .GetProperty("series")[0].GetProperty("values").EnumerateArray()
            .ToDictionary(v => v[1].GetString()!, v => (Time: v[0].GetInt64(), Orig: v[2].GetInt64(), Resp: v[3].GetInt64(), Cid: v[4].GetString()));
        foreach (var x in records)
        {
            var p = points[x.GetProperty("uid").GetString()!];
            Assert.Equal((x.GetProperty("orig_ip_bytes").GetInt64(), x.GetProperty("resp_ip_bytes").GetInt64()), (p.Orig, p.Resp));
            Assert.Equal(x.GetProperty("community_id").GetString(), p.Cid);
            long tsMicros = long.Parse(x.GetProperty("ts").GetRawText().Replace(".", "", StringComparison.Ordinal), CultureInfo.InvariantCulture);
            Assert.InRange(p.Time / 1000 - tsMicros, 0, 10);
        }

        // device_traffic: the per-device sums of the deltas add up to the same bytes and packets.
        var traffic = (await influx.QueryAsync(db, "SELECT sum(bytes_up), sum(bytes_down), sum(packets_up), sum(packets_down) FROM device_traffic"))
            .GetProperty("series")[0].GetProperty("values")[0];
        Assert.Equal(Sum("orig_ip_bytes") + Sum("resp_ip_bytes"), traffic[1].GetInt64() + traffic[2].GetInt64());
        Assert.Equal(Sum("orig_pkts") + Sum("resp_pkts"), traffic[3].GetInt64() + traffic[4].GetInt64());

        // sensor: the last point has the packet count; every point carries the sensor tag.
        var sensor = (await influx.QueryAsync(db, "SELECT last(packets) FROM sensor")).GetProperty("series")[0].GetProperty("values")[0];
        Assert.Equal(Packets, sensor[1].GetInt64());
        foreach (var m in new[] { "flows", "device_traffic", "new_destinations", "sensor" })
        {
            var values = (await influx.QueryAsync(db, $"SHOW TAG VALUES FROM {m} WITH KEY = sensor")).GetProperty("series")[0].GetProperty("values");
            Assert.Equal(Environment.MachineName, Assert.Single(values.EnumerateArray())[1].GetString());
        }

        // The summary counts what happened to the points, and every one was written.
        var summary = JsonDocument.Parse(File.ReadAllText(summaryPath)).RootElement.GetProperty("sinks").GetProperty("influx");
        long stored = await influx.ScalarAsync(db, "SELECT count(orig_ip_bytes) FROM flows")
                      + await influx.ScalarAsync(db, "SELECT count(bytes_up) FROM device_traffic")
                      + await influx.ScalarAsync(db, "SELECT count(points_written) FROM sensor")
                      + await influx.ScalarAsync(db, "SELECT count(remote_ip) FROM new_destinations");
        Assert.Equal(stored, summary.GetProperty("points_written").GetInt64());
        Assert.Equal(stored, summary.GetProperty("points_produced").GetInt64());
        Assert.Equal(0, summary.GetProperty("points_dropped").GetInt64());
        Assert.Equal(0, summary.GetProperty("points_pending").GetInt64());
    }
}
