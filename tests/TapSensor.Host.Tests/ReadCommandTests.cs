using System.Text.Json;
using TapSensor.Host.Tests.Infrastructure;

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

    private string Sample(int packets)
    {
        var path = Path.Combine(_dir, $"sample-{packets}.pcap");
        var r = TapSensorProcess.Run(Timeout, "sample", path, "--packets", packets.ToString());
        Assert.True(r.ExitCode == 0, r.StdErr);
        return path;
    }
}
