using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using TapSensor.Sinks.Influx.Tests.Infrastructure;
using static TapSensor.Sinks.Influx.Tests.Dashboard.GrafanaInfluxQl;

namespace TapSensor.Sinks.Influx.Tests.Dashboard;

/// <summary>
/// Every query of the dashboard, with its variables replaced as Grafana replaces them, against the real influxd
/// filled by a replay through the real sensor (<see cref="HouseholdReplay"/>): non-empty, with the columns its panel
/// draws (after the panel's transformations, emulated by <see cref="ResultTable"/>), and filtered by the variables.
/// </summary>
[Collection("influxd")]
public sealed partial class DashboardQueryTests(InfluxdFixture influx)
{
    public enum Selected
    {
        /// <summary>One value of each variable: the device, country and protocol with the most bytes together.</summary>
        One,
        /// <summary>Two values of each variable (the one above among them).</summary>
        Several,
        /// <summary>"All".</summary>
        All,
    }

    private static readonly DashboardFile Dashboard = DashboardFile.Load();

    public static TheoryData<int, Selected> PanelsAndSelections()
    {
        var data = new TheoryData<int, Selected>();
        foreach (var p in Dashboard.Panels)
            foreach (var s in Enum.GetValues<Selected>()) data.Add((int)p["id"]!, s);
        return data;
    }

    public static TheoryData<string, Selected> VariablesAndSelections()
    {
        var data = new TheoryData<string, Selected>();
        foreach (var v in Dashboard.Variables)
            foreach (var s in Enum.GetValues<Selected>()) data.Add((string)v["name"]!, s);
        return data;
    }

    public static TheoryData<int> HouseholdPanels()
    {
        var data = new TheoryData<int>();
        foreach (var p in Dashboard.HouseholdPanels) data.Add((int)p["id"]!);
        return data;
    }

    private sealed record Context(HouseholdReplay Replay, Dictionary<Selected, Dictionary<string, Selection>> Selections,
        Dictionary<string, IReadOnlyList<string>> AllValues);

    private static Context? _context;

    private async Task<Context> ContextAsync()
    {
        if (_context is { } c) return c;
        Assert.True(InfluxdFixture.Binary is not null, InfluxdFixture.InstallHint);
        var replay = await HouseholdReplay.GetAsync(influx);
        var allValues = new Dictionary<string, IReadOnlyList<string>>();
        foreach (var v in Dashboard.Variables)
        {
            var r = await influx.QueryAsync(replay.Database, ((string)v["query"]!).Replace("$device", ".*", StringComparison.Ordinal));
            allValues[(string)v["name"]!] = r.GetProperty("series")[0].GetProperty("values").EnumerateArray().Select(x => x[1].GetString()!).ToList();
        }

        // The busiest (device, country, protocol), and the runners-up for "several".
        var busiest = ResultTable.FromInflux(await influx.QueryAsync(replay.Database,
            $"SELECT sum(\"up_ip_bytes\") + sum(\"down_ip_bytes\") AS \"bytes\" FROM \"flows\" WHERE {TimeFilter(replay.PacketRange)} AND \"country\" =~ /./ GROUP BY \"device_label\", \"country\", \"protocol\""));
        var ranked = busiest.Rows.OrderByDescending(r => (double)r[busiest.Index("bytes")]!).ToList();
        string Top(string column, int n) => ranked.Select(r => (string)r[busiest.Index(column)]!).Distinct().ElementAt(n);
        var one = new Dictionary<string, Selection>
        {
            ["device"] = new([Top("device_label", 0)]),
            ["country"] = new([Top("country", 0)]),
            ["protocol"] = new([Top("protocol", 0)]),
        };
        var several = one.ToDictionary(x => x.Key, x => new Selection([x.Value.Values[0], allValues[x.Key].First(v => v != x.Value.Values[0])]));
        several["device"] = new([Top("device_label", 0), Top("device_label", 1)]);
        several["country"] = new([Top("country", 0), Top("country", 1)]);
        var all = Dashboard.Variables.ToDictionary(v => (string)v["name"]!, _ => Selection.All);
        return _context = new Context(replay, new() { [Selected.One] = one, [Selected.Several] = several, [Selected.All] = all }, allValues);
    }

    private async Task<ResultTable> RunAsync(Context c, JsonObject panel, JsonObject target, Selected selected)
    {
        bool sensor = DashboardFile.Reads(target, "sensor");
        var range = sensor ? c.Replay.WallRange : c.Replay.PacketRange;
        // The replay writes a sensor point every second for a few seconds: at the data source's 10 s minimum its points
        // fall into one bucket or two, depending on the wall clock, and a rate of one bucket is empty. Sensor panels
        // are queried at the replay's own 1 s, as grafana/preview/render.sh does.
        var interval = sensor ? Interval(range, TimeSpan.FromSeconds(1))
            : Interval(range, panel["interval"] is JsonValue v ? ParseDuration((string)v!) : null);
        string query = Substitute(DashboardFile.Query(target), range, interval, Dashboard.Variables, c.Selections[selected], c.AllValues);
        Assert.DoesNotContain("$", query.Replace("/^.*$/", "", StringComparison.Ordinal).Replace("$/", "", StringComparison.Ordinal));
        return ResultTable.FromInflux(await influx.QueryAsync(c.Replay.Database, query)).Transform(panel["transformations"]?.AsArray());
    }

    private static TimeSpan ParseDuration(string text)
    {
        var m = DurationText().Match(text);
        Assert.True(m.Success, $"'{text}' is not a duration");
        double n = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        return m.Groups[2].Value switch { "ms" => TimeSpan.FromMilliseconds(n), "s" => TimeSpan.FromSeconds(n), "m" => TimeSpan.FromMinutes(n), _ => TimeSpan.FromHours(n) };
    }

    /// <summary>The columns a panel draws: its query's aliases (after renames), plus what its map layer or transformations name.</summary>
    private static List<string> NeededColumns(JsonObject panel, JsonObject target)
    {
        var needed = new List<string>();
        if (panel["transformations"]?.AsArray() is { } transformations)
        {
            foreach (var t in transformations)
            {
                var o = t!["options"]!;
                if ((string)t["id"]! == "groupBy")
                    needed.AddRange(o["fields"]!.AsObject().Where(f => (string)f.Value!["operation"]! == "groupby").Select(f => f.Key));
                if ((string)t["id"]! == "organize" && o["renameByName"] is JsonObject rename)
                    needed.AddRange(rename.Select(r => (string)r.Value!));
            }
            return needed;
        }
        needed.AddRange(Alias().Matches(DashboardFile.Query(target)).Select(m => m.Groups[1].Value).Distinct());
        if ((string)panel["type"]! == "geomap")
        {
            foreach (var layer in panel["options"]!["layers"]!.AsArray())
            {
                needed.Add((string)layer!["location"]!["latitude"]!);
                needed.Add((string)layer["location"]!["longitude"]!);
                needed.Add((string)layer["config"]!["style"]!["size"]!["field"]!);
                needed.Add((string)layer["config"]!["style"]!["color"]!["field"]!);
            }
        }
        return needed;
    }

    [Theory]
    [MemberData(nameof(PanelsAndSelections))]
    public async Task Every_panel_query_returns_the_columns_its_panel_draws(int panelId, Selected selected)
    {
        var c = await ContextAsync();
        var panel = Dashboard.Panel(panelId);
        foreach (var target in DashboardFile.Targets(panel))
        {
            var table = await RunAsync(c, panel, target, selected);
            Assert.True(table.Rows.Count > 0, $"panel {panelId} ('{panel["title"]}') target {target["refId"]} returned nothing for {selected}");
            foreach (var column in NeededColumns(panel, target)) table.Index(column);
            Assert.Contains(table.Rows, r => r.Skip(1).Any(v => v is double or int));
        }
    }

    [Theory]
    [MemberData(nameof(PanelsAndSelections))]
    public async Task The_map_gets_places_with_coordinates_bytes_and_tooltip_names(int panelId, Selected selected)
    {
        var panel = Dashboard.Panel(panelId);
        if ((string)panel["type"]! != "geomap") return;
        var c = await ContextAsync();
        var table = await RunAsync(c, panel, DashboardFile.Targets(panel).Single(), selected);
        var located = table.Rows.Where(r => r[table.Index("lat")] is double && r[table.Index("lon")] is double).ToList();
        Assert.NotEmpty(located);
        Assert.All(located, r =>
        {
            Assert.InRange((double)r[table.Index("lat")]!, -90, 90);
            Assert.InRange((double)r[table.Index("lon")]!, -180, 180);
            Assert.True((double)r[table.Index("bytes")]! > 0);
            Assert.False(string.IsNullOrEmpty(r[table.Index("country")] as string));
        });
        Assert.Contains(located, r => r[table.Index("city")] is string && r[table.Index("provider")] is string && r[table.Index("destination")] is string);
        // One row per place: the server did the grouping.
        Assert.Equal(located.Count, located.Select(r => r[table.Index("place")]).Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(HouseholdPanels))]
    public async Task Choosing_one_device_shows_only_its_data_and_less_than_all(int panelId)
    {
        var c = await ContextAsync();
        var panel = Dashboard.Panel(panelId);
        string device = c.Selections[Selected.One]["device"].Values[0];
        string country = c.Selections[Selected.One]["country"].Values[0];
        foreach (var target in DashboardFile.Targets(panel))
        {
            var one = await RunAsync(c, panel, target, Selected.One);
            var several = await RunAsync(c, panel, target, Selected.Several);
            var all = await RunAsync(c, panel, target, Selected.All);
            Assert.True(Size(one) < Size(all), $"panel {panelId}: one device ({Size(one)}) is not less than all ({Size(all)})");
            Assert.True(Size(one) <= Size(several) && Size(several) <= Size(all), $"panel {panelId}: one {Size(one)}, several {Size(several)}, all {Size(all)}");

            foreach (var (column, value, set) in new[] { ("device_label", device, "device"), ("device", device, "device"), ("country", country, "country") })
            {
                if (!one.Columns.Contains(column)) continue;
                Assert.All(one.Column(column), v => Assert.Equal(value, v));
                Assert.All(several.Column(column), v => Assert.Contains((string)v!, c.Selections[Selected.Several][set].Values));
                Assert.True(all.Column(column).Distinct().Count() > 1, $"panel {panelId}: All shows one {column} only");
            }
            foreach (var tags in one.SeriesTags.Where(t => t.ContainsKey("device_label")))
                Assert.Equal(device, tags["device_label"]);
        }
    }

    /// <summary>How much a result shows: its bytes when it has them, else its numbers' sum, else its rows.</summary>
    private static double Size(ResultTable t)
    {
        if (t.Columns.Contains("bytes")) return t.Sum("bytes");
        if (t.Columns.Contains("new destinations")) return t.Sum("new destinations");
        return t.Rows.Count;
    }

    [Theory]
    [MemberData(nameof(PanelsAndSelections))]
    public async Task Grouped_tables_sum_to_the_same_bytes_as_the_raw_rows(int panelId, Selected selected)
    {
        var panel = Dashboard.Panel(panelId);
        if (panel["transformations"]?.AsArray() is not { } transformations || !transformations.Any(t => (string)t!["id"]! == "groupBy")) return;
        var c = await ContextAsync();
        var target = DashboardFile.Targets(panel).Single();
        var raw = await RunAsync(c, new JsonObject { ["id"] = panelId }, target, selected);
        var grouped = raw.Transform(new JsonArray(transformations.Where(t => (string)t!["id"]! == "groupBy").Select(t => t!.DeepClone()).ToArray()));
        Assert.Equal(raw.Sum("bytes"), grouped.Sum("bytes (sum)"));
        Assert.Equal(raw.Rows.Count, (int)grouped.Column("bytes (count)").Sum(v => (double)v!));

        var shown = raw.Transform(transformations);
        int limit = (int)transformations.Single(t => (string)t!["id"]! == "limit")!["options"]!["limitField"]!;
        Assert.InRange(shown.Rows.Count, 1, limit);
        var bytes = shown.Column("bytes").Select(v => (double)v!).ToList();
        Assert.Equal(bytes.OrderByDescending(b => b), bytes);
        Assert.Equal(grouped.Column("bytes (sum)").Select(v => (double)v!).OrderByDescending(b => b).Take(limit), bytes);
    }

    [Theory]
    [MemberData(nameof(VariablesAndSelections))]
    public async Task Every_variable_query_lists_values(string name, Selected selected)
    {
        var c = await ContextAsync();
        var variable = Dashboard.Variables.Single(v => (string)v["name"]! == name);
        string query = Substitute((string)variable["query"]!, c.Replay.PacketRange, DataSourceMinInterval, Dashboard.Variables, c.Selections[selected], c.AllValues);
        var result = await influx.QueryAsync(c.Replay.Database, query);
        var values = result.GetProperty("series")[0].GetProperty("values").EnumerateArray().Select(x => x[1].GetString()!).ToList();
        Assert.NotEmpty(values);
        Assert.Subset(c.AllValues[name].ToHashSet(), values.ToHashSet());
        if (name == "device") Assert.DoesNotContain(values, v => MacAddress().IsMatch(v));
        if (name == "country" && selected == Selected.One)
            Assert.True(values.Count < c.AllValues["country"].Count, "one device's countries are a subset of all");
    }

    [GeneratedRegex(@"^(\d+(?:\.\d+)?)(ms|s|m|h)$")]
    private static partial Regex DurationText();

    [GeneratedRegex(@"\bAS ""([^""]+)""")]
    private static partial Regex Alias();

    [GeneratedRegex(@"^([0-9a-f]{2}:){5}[0-9a-f]{2}$")]
    private static partial Regex MacAddress();
}
