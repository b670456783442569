using System.Text.Json;
using TapSensor.Sinks.Influx.Tests.Infrastructure;

namespace TapSensor.Sinks.Influx.Tests.Dashboard;

/// <summary>
/// grafana/preview: the dashboard's queries run against the replay (query.mjs), drawn in the self-contained page
/// (build.mjs) and opened in headless Chromium with every non-file request blocked (shoot.mjs): no failed request,
/// no page error, and every panel drew something.
/// </summary>
[Collection("influxd")]
public sealed class PreviewTests(InfluxdFixture influx) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tapsensor-preview-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Script(string name) => Path.Combine(DashboardFile.GrafanaDirectory, "preview", name);

    private static JsonElement Shoot(string page, string outDir, out int exitCode)
    {
        Assert.True(File.Exists("/usr/bin/chromium") || Environment.GetEnvironmentVariable("CHROMIUM") is not null,
            "chromium is missing: apt-get install chromium (scripts/install-test-deps.sh)");
        NodeTools.Package("playwright-core");
        var r = NodeTools.Run("node", [Script("shoot.mjs"), page, outDir, "preview"], timeout: TimeSpan.FromSeconds(60));
        exitCode = r.ExitCode;
        string last = r.StdOut.Trim().Split('\n')[^1];
        Assert.True(last.StartsWith('{'), r.Output);
        return JsonDocument.Parse(last).RootElement.Clone();
    }

    /// <summary>
    /// query.mjs as grafana/preview/render.sh runs it: the replay writes a sensor point every second for a few
    /// seconds, so with the data source's 10 s minimum the rate panels would get one bucket or two depending on
    /// where the wall clock falls, and a derivative of one bucket draws nothing.
    /// </summary>
    private string[] Query(HouseholdReplay replay, string data) =>
        [Script("query.mjs"), "--url", influx.Url, "--db", replay.Database, "--min-interval", "1s", "--out", data];

    [InfluxdFact]
    public async Task The_preview_page_loads_without_failed_requests_and_draws_every_panel()
    {
        var replay = await HouseholdReplay.GetAsync(influx);
        NodeTools.Package("uplot");
        NodeTools.Package("world-atlas");
        string data = Path.Combine(_dir, "data.json"), page = Path.Combine(_dir, "page.html");
        var q = NodeTools.Run("node", Query(replay, data));
        Assert.True(q.ExitCode == 0, q.Output);
        var b = NodeTools.Run("node", [Script("build.mjs"), data, page]);
        Assert.True(b.ExitCode == 0, b.Output);
        Assert.DoesNotContain("http://", File.ReadAllText(page).Replace("http://www.w3.org/2000/svg", "", StringComparison.Ordinal), StringComparison.Ordinal);

        var summary = Shoot(page, _dir, out int exit);
        Assert.True(exit == 0, summary.ToString());
        Assert.Empty(summary.GetProperty("failed").EnumerateArray());
        Assert.Empty(summary.GetProperty("pageErrors").EnumerateArray());
        var panels = summary.GetProperty("panels").EnumerateObject().ToDictionary(p => p.Name, p => p.Value);
        Assert.Equal(DashboardFile.Load().Panels.Select(p => $"panel-{p["id"]}").Order(), panels.Keys.Order());
        Assert.All(panels, p => Assert.True(p.Value.GetProperty("drawn").GetInt32() > 0 && p.Value.GetProperty("marks").GetInt32() > 0, p.Key));
        Assert.True(panels["panel-1"].GetProperty("marks").GetInt32() >= 3, "the map draws a marker per place");
        Assert.All(summary.GetProperty("screenshots").EnumerateArray(), s => Assert.True(new FileInfo(s.GetString()!).Length > 10_000, s.GetString()));
    }

    [InfluxdFact]
    public async Task A_page_that_fetches_anything_or_draws_nothing_is_rejected()
    {
        var replay = await HouseholdReplay.GetAsync(influx);
        string data = Path.Combine(_dir, "data.json"), page = Path.Combine(_dir, "page.html");
        Assert.Equal(0, NodeTools.Run("node", Query(replay, data)).ExitCode);
        Assert.Equal(0, NodeTools.Run("node", [Script("build.mjs"), data, page]).ExitCode);
        string html = File.ReadAllText(page);

        string fetching = Path.Combine(_dir, "fetching.html");
        File.WriteAllText(fetching, html.Replace("</body>", "<img src=\"https://tile.example/0/0/0.png\"></body>", StringComparison.Ordinal));
        var summary = Shoot(fetching, _dir, out int exit);
        Assert.Equal(1, exit);
        Assert.Contains(summary.GetProperty("failed").EnumerateArray(), f => f.GetString()!.StartsWith("https://tile.example", StringComparison.Ordinal));

        string empty = Path.Combine(_dir, "empty.html");
        File.WriteAllText(empty, html.Replace("window.DATA = {", "window.DATA = {\"ignored\":0,", StringComparison.Ordinal)
            .Replace("if (p.type === 'geomap') marks = geomap(body, r.table);", "if (p.type === 'geomap') marks = 0;", StringComparison.Ordinal));
        summary = Shoot(empty, _dir, out exit);
        Assert.Equal(1, exit);
        Assert.Equal(["panel-1"], summary.GetProperty("undrawn").EnumerateArray().Select(x => x.GetString()));
    }
}
