using System.Text.Json.Nodes;

namespace TapSensor.Sinks.Influx.Tests.Dashboard;

/// <summary>The repository's Grafana files, and the dashboard JSON read as panels, targets and variables.</summary>
internal sealed class DashboardFile
{
    public const string DataSourceUid = "tapsensor-influx";

    public DashboardFile(JsonObject root) => Root = root;

    public JsonObject Root { get; }

    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public static string GrafanaDirectory => Path.Combine(RepositoryRoot, "grafana");

    public static string DashboardPath => Path.Combine(GrafanaDirectory, "dashboards", "tapsensor.json");

    public static DashboardFile Load() => Parse(File.ReadAllText(DashboardPath));

    public static DashboardFile Parse(string json) => new(JsonNode.Parse(json)!.AsObject());

    /// <summary>A deep copy to break in negative tests.</summary>
    public DashboardFile Copy() => new(Root.DeepClone().AsObject());

    public override string ToString() => Root.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true });

    /// <summary>Every panel, rows' nested panels included.</summary>
    public IEnumerable<JsonObject> Panels => Walk(Root["panels"]?.AsArray());

    public IEnumerable<JsonObject> Variables => (Root["templating"]?["list"]?.AsArray() ?? []).Select(v => v!.AsObject());

    public JsonObject Panel(int id) => Panels.Single(p => (int?)p["id"] == id);

    public static IEnumerable<JsonObject> Targets(JsonObject panel) => (panel["targets"]?.AsArray() ?? []).Select(t => t!.AsObject());

    public static string Query(JsonObject target) => (string?)target["query"] ?? "";

    /// <summary>Panels whose queries read the household's measurements (so the device, country and protocol filters apply).</summary>
    public IEnumerable<JsonObject> HouseholdPanels => Panels.Where(p => Targets(p).Any(t => !Reads(t, "sensor")));

    public static bool Reads(JsonObject target, string measurement) => Query(target).Contains($"FROM \"{measurement}\"", StringComparison.Ordinal);

    private static IEnumerable<JsonObject> Walk(JsonArray? panels)
    {
        foreach (var p in panels ?? [])
        {
            var panel = p!.AsObject();
            yield return panel;
            foreach (var inner in Walk(panel["panels"]?.AsArray())) yield return inner;
        }
    }

    private static string FindRepositoryRoot()
    {
        for (DirectoryInfo? d = new(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "TapSensor.sln"))) return d.FullName;
        throw new InvalidOperationException($"no TapSensor.sln above {AppContext.BaseDirectory}");
    }
}
