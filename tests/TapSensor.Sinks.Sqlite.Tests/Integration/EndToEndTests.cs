using System.Text.Json;
using TapSensor.Sinks.Sqlite.Tests.Infrastructure;

namespace TapSensor.Sinks.Sqlite.Tests.Integration;

/// <summary><c>tapsensor sample</c> → <c>read</c> (default store) → <c>report --json</c> and <c>query</c>, all as the real executable.</summary>
public sealed class EndToEndTests(ReplayedSample sample) : IClassFixture<ReplayedSample>
{
    [Fact]
    public void Read_without_db_options_writes_the_default_store_in_the_data_folder_and_reports_its_counters()
    {
        Assert.True(File.Exists(sample.Database));
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(sample.Folder, "summary.json")));
        var sqlite = summary.RootElement.GetProperty("sinks").GetProperty("sqlite");
        long lines = File.ReadLines(sample.Flows).Count();
        Assert.Equal(lines, sqlite.GetProperty("rows_written").GetInt64());
        Assert.Equal(0, sqlite.GetProperty("records_dropped").GetInt64());
    }

    [Fact]
    public void Report_json_device_totals_equal_the_flow_records_of_the_same_run()
    {
        string json = Path.Combine(sample.Folder, "report.json");
        // A week: the whole capture, whatever its length.
        var r = sample.Run("report", "--json", json, "--last", "7d", "--utc", "--top", "3");
        Assert.True(r.ExitCode == 0, r.StdErr);
        Assert.Contains("IP Geolocation by DB-IP", r.StdOut);

        var expected = new Dictionary<string, (long Bytes, long Flows)>();
        foreach (var line in File.ReadLines(sample.Flows))
        {
            using var rec = JsonDocument.Parse(line);
            var e = rec.RootElement;
            if (!e.TryGetProperty("device", out var device)) continue;
            long bytes = e.GetProperty("orig_ip_bytes").GetInt64() + e.GetProperty("resp_ip_bytes").GetInt64();
            var (b, f) = expected.GetValueOrDefault(device.GetString()!);
            expected[device.GetString()!] = (b + bytes, f + 1);
        }
        Assert.NotEmpty(expected);

        using var report = JsonDocument.Parse(File.ReadAllText(json));
        var devices = report.RootElement.GetProperty("devices").EnumerateArray().ToList();
        var actual = devices.ToDictionary(d => d.GetProperty("id").GetString()!,
            d => (d.GetProperty("bytes_up").GetInt64() + d.GetProperty("bytes_down").GetInt64(), d.GetProperty("flows").GetInt64()));
        Assert.Equal(expected.OrderBy(kv => kv.Key, StringComparer.Ordinal), actual.OrderBy(kv => kv.Key, StringComparer.Ordinal));

        var totals = report.RootElement.GetProperty("totals");
        Assert.Equal(expected.Values.Sum(v => v.Bytes), totals.GetProperty("bytes_up").GetInt64() + totals.GetProperty("bytes_down").GetInt64());
        Assert.True(devices.All(d => d.GetProperty("top_destinations").GetArrayLength() <= 3));
        Assert.Equal("TapSensor household report", report.RootElement.GetProperty("title").GetString());
        Assert.True(report.RootElement.GetProperty("attribution").GetArrayLength() > 0);
    }

    [Fact]
    public void Reading_the_same_capture_again_adds_no_rows()
    {
        long before = Count();
        var again = sample.Run("read", sample.Pcap, "--no-progress", "--summary-json", Path.Combine(sample.Folder, "again.json"));
        Assert.True(again.ExitCode == 0, again.StdErr);
        Assert.Equal(before, Count());
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(sample.Folder, "again.json")));
        Assert.Equal(before, summary.RootElement.GetProperty("sinks").GetProperty("sqlite").GetProperty("rows_duplicate").GetInt64());
    }

    private long Count()
    {
        var r = sample.Run("query", "SELECT count(*) AS n FROM flows", "--csv");
        Assert.True(r.ExitCode == 0, r.StdErr);
        return long.Parse(r.StdOut.Split('\n')[1].Trim(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The example queries of README.md, section "tapsensor query", each run against the replayed sample.</summary>
    public static TheoryData<string> ReadmeQueries()
    {
        var data = new TheoryData<string>();
        foreach (var q in ReadmeExamples()) data.Add(q);
        return data;
    }

    internal static IEnumerable<string> ReadmeExamples()
    {
        string dir = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(dir, "TapSensor.sln"))) dir = Path.GetDirectoryName(dir) ?? throw new InvalidOperationException("no TapSensor.sln above the tests");
        string readme = File.ReadAllText(Path.Combine(dir, "README.md"));
        int start = readme.IndexOf("## tapsensor query", StringComparison.Ordinal);
        Assert.True(start >= 0, "README.md has no '## tapsensor query' section");
        int end = readme.IndexOf("\n## ", start + 5, StringComparison.Ordinal);
        string section = readme[start..(end < 0 ? readme.Length : end)];
        // Each example is one fenced ```sql block.
        var parts = section.Split("```sql\n");
        foreach (var p in parts.Skip(1)) yield return p[..p.IndexOf("```", StringComparison.Ordinal)].Trim();
    }

    [Theory]
    [MemberData(nameof(ReadmeQueries))]
    public void Each_documented_query_runs_and_returns_rows(string sql)
    {
        var r = sample.Run("query", sql, "--json");
        Assert.True(r.ExitCode == 0, r.StdErr);
        using var doc = JsonDocument.Parse(r.StdOut);
        Assert.True(doc.RootElement.GetProperty("rows").GetArrayLength() > 0, $"no rows from: {sql}");
        Assert.True(doc.RootElement.GetProperty("columns").GetArrayLength() > 0);
    }

    [Fact]
    public void The_readme_documents_at_least_three_queries() => Assert.True(ReadmeExamples().Count() >= 3);

    [Theory]
    [InlineData("SELECT nonsense FROM flows")]
    [InlineData("DELETE FROM flows")]
    public void Query_exits_2_with_a_clear_message_for_bad_or_writing_sql(string sql)
    {
        var r = sample.Run("query", sql);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("query refused", r.StdErr);
    }

    [Fact]
    public void Report_on_a_missing_store_fails_clearly()
    {
        var r = sample.Run("report", "--db", Path.Combine(sample.Folder, "none.db"));
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("no store at", r.StdErr);
    }

    [Fact]
    public void Read_into_a_file_that_is_not_a_store_fails_before_it_starts()
    {
        string bad = Path.Combine(sample.Folder, "bad.db");
        File.WriteAllText(bad, new string('x', 8192));
        var r = sample.Run("read", sample.Pcap, "--no-progress", "--db", bad);
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("not an SQLite database", r.StdErr);
    }
}
