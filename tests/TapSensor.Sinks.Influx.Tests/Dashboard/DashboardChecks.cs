using System.Text.Json.Nodes;

namespace TapSensor.Sinks.Influx.Tests.Dashboard;

/// <summary>
/// Structural checks of the dashboard JSON that Grafana's types cannot express. Each returns the problems found
/// (empty: fine), so tests can show that a broken copy is rejected.
/// </summary>
internal static class DashboardChecks
{
    public const int GridColumns = 24;

    public static List<string> PanelIds(DashboardFile d)
    {
        var problems = new List<string>();
        var seen = new HashSet<int>();
        foreach (var p in d.Panels)
        {
            if (p["id"] is not JsonValue v || !v.TryGetValue(out int id)) problems.Add($"panel '{p["title"]}' has no numeric id");
            else if (!seen.Add(id)) problems.Add($"panel id {id} is used twice");
        }
        return problems;
    }

    /// <summary>Every panel inside the 24 columns, with a positive size, and no two panels overlapping.</summary>
    public static List<string> Grid(DashboardFile d)
    {
        var problems = new List<string>();
        var boxes = new List<(string Title, int X, int Y, int W, int H)>();
        foreach (var p in d.Panels)
        {
            string title = (string?)p["title"] ?? "?";
            var g = p["gridPos"]?.AsObject();
            if (g is null)
            {
                problems.Add($"panel '{title}' has no gridPos");
                continue;
            }
            int x = (int)g["x"]!, y = (int)g["y"]!, w = (int)g["w"]!, h = (int)g["h"]!;
            if (x < 0 || y < 0 || w < 1 || h < 1 || x + w > GridColumns)
                problems.Add($"panel '{title}' at x={x} y={y} w={w} h={h} is outside the {GridColumns}-column grid");
            foreach (var b in boxes)
                if (x < b.X + b.W && b.X < x + w && y < b.Y + b.H && b.Y < y + h)
                    problems.Add($"panels '{b.Title}' and '{title}' overlap");
            boxes.Add((title, x, y, w, h));
        }
        return problems;
    }

    /// <summary>Every variable a query (panel target or variable query) refers to is defined in templating.list.</summary>
    public static List<string> VariablesDefined(DashboardFile d)
    {
        var defined = d.Variables.Select(v => (string)v["name"]!).ToHashSet();
        var problems = new List<string>();
        foreach (var (where, query) in Queries(d))
            foreach (var name in GrafanaInfluxQl.ReferencedVariables(query))
                if (!defined.Contains(name)) problems.Add($"{where} uses ${name}, which templating.list does not define");
        return problems;
    }

    /// <summary>Every data source reference is the provisioned InfluxDB (or Grafana's built-in annotations).</summary>
    public static List<string> DataSources(DashboardFile d)
    {
        var problems = new List<string>();
        var dsVariables = d.Variables.Where(v => (string?)v["type"] == "datasource").Select(v => (string)v["name"]!).ToHashSet();
        void Check(string where, JsonNode? ds, bool required)
        {
            if (ds is null)
            {
                if (required) problems.Add($"{where} has no datasource");
                return;
            }
            string? uid = ds is JsonValue ? (string?)ds : (string?)ds["uid"];
            string? type = ds is JsonValue ? null : (string?)ds["type"];
            if (uid is not null && uid.StartsWith('$'))
            {
                string name = uid.Trim('$', '{', '}');
                if (!dsVariables.Contains(name)) problems.Add($"{where} refers to data source variable {uid}, which is not defined");
                return;
            }
            if (uid != DashboardFile.DataSourceUid || type != "influxdb")
                problems.Add($"{where} refers to data source {ds.ToJsonString()}, not {{type: influxdb, uid: {DashboardFile.DataSourceUid}}}");
        }
        foreach (var p in d.Panels.Where(p => (string?)p["type"] != "row"))
        {
            Check($"panel {p["id"]}", p["datasource"], required: true);
            foreach (var t in DashboardFile.Targets(p)) Check($"panel {p["id"]} target {t["refId"]}", t["datasource"], required: false);
        }
        foreach (var v in d.Variables.Where(v => (string?)v["type"] == "query")) Check($"variable {v["name"]}", v["datasource"], required: true);
        foreach (var a in d.Root["annotations"]?["list"]?.AsArray() ?? [])
            if ((string?)a!["datasource"]?["uid"] != "-- Grafana --") Check($"annotation {a["name"]}", a["datasource"], required: true);
        return problems;
    }

    /// <summary>
    /// Geomap layers that would make the viewer's browser fetch map tiles from a third party (Grafana's default base
    /// layer is CARTO's tile server): the map must draw from what Grafana itself serves, so nothing about the
    /// household's map leaves the house.
    /// </summary>
    public static List<string> OfflineMaps(DashboardFile d)
    {
        string[] local = ["geojson", "markers", "heatmap", "lastPointTracker", "route", "photos", "network"];
        var problems = new List<string>();
        foreach (var p in d.Panels.Where(p => (string?)p["type"] == "geomap"))
        {
            var options = p["options"]?.AsObject();
            var layers = new List<JsonNode?> { options?["basemap"] };
            layers.AddRange(options?["layers"]?.AsArray() ?? []);
            if (options?["basemap"] is null) problems.Add($"panel {p["id"]} has no basemap: Grafana would use its default tile server");
            foreach (var layer in layers.Where(l => l is not null))
            {
                string type = (string?)layer!["type"] ?? "";
                if (!local.Contains(type)) problems.Add($"panel {p["id"]} layer '{layer["name"]}' of type '{type}' loads tiles from outside the house");
                else if (type == "geojson" && (string?)layer["config"]?["src"] is { } src && !src.StartsWith("public/", StringComparison.Ordinal))
                    problems.Add($"panel {p["id"]} layer '{layer["name"]}' reads GeoJSON from {src}, not from Grafana's own public/ folder");
            }
        }
        return problems;
    }

    /// <summary>Every query of the household's measurements applies the device, country and protocol filters.</summary>
    public static List<string> Filters(DashboardFile d)
    {
        string[] filters = ["\"device_label\" =~ /^$device$/", "\"country\" =~ /^$country$/", "\"protocol\" =~ /^$protocol$/"];
        var problems = new List<string>();
        foreach (var p in d.Panels)
            foreach (var t in DashboardFile.Targets(p).Where(t => !DashboardFile.Reads(t, "sensor")))
                foreach (var f in filters.Where(f => !DashboardFile.Query(t).Contains(f, StringComparison.Ordinal)))
                    problems.Add($"panel {p["id"]} ('{p["title"]}') target {t["refId"]} does not filter by {f}");
        return problems;
    }

    public static IEnumerable<(string Where, string Query)> Queries(DashboardFile d)
    {
        foreach (var p in d.Panels)
            foreach (var t in DashboardFile.Targets(p))
                yield return ($"panel {p["id"]} target {t["refId"]}", DashboardFile.Query(t));
        foreach (var v in d.Variables)
            yield return ($"variable {v["name"]}", v["query"] is JsonValue q ? (string)q! : v["query"]?["query"]?.ToString() ?? "");
    }
}
