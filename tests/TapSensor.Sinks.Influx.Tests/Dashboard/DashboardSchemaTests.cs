using System.Text.Json.Nodes;

namespace TapSensor.Sinks.Influx.Tests.Dashboard;

/// <summary>
/// The dashboard against Grafana's published schema (@grafana/schema 13.2.3, pinned in tests/node): type-checked as
/// a <c>Dashboard</c> by tsc, its schemaVersion equal to the package's <c>defaultDashboard</c>, and every panel type one
/// the package ships a panelcfg for. The package has TypeScript types only (no JSON schema), hence tsc.
/// </summary>
public sealed class DashboardSchemaTests
{
    private static readonly DashboardFile Dashboard = DashboardFile.Load();

    /// <summary>Type-checks the JSON as a <c>Dashboard</c>; returns tsc's output, empty when it passes.</summary>
    private static string TypeCheck(DashboardFile d)
    {
        NodeTools.Package("@grafana/schema");
        string tsc = Path.Combine(NodeTools.Package("typescript"), "bin", "tsc");
        // Inside tests/node so that the import resolves to its node_modules.
        string dir = Directory.CreateDirectory(Path.Combine(NodeTools.NodeDirectory, ".dashboard-check-" + Guid.NewGuid().ToString("N")[..8])).FullName;
        try
        {
            string file = Path.Combine(dir, "check.ts");
            File.WriteAllText(file, "import type { Dashboard } from '@grafana/schema';\nexport const dashboard: Dashboard = " + d + ";\n");
            var r = NodeTools.Run("node", [tsc, "--noEmit", "--strict", "--skipLibCheck", "--moduleResolution", "bundler", "--module", "esnext",
                "--target", "es2022", file]);
            return r.ExitCode == 0 ? "" : r.Output.Trim() + $" (exit {r.ExitCode})";
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>Panel types with no panelcfg folder in the package (row panels excepted).</summary>
    private static string UnknownPanelTypes(DashboardFile d)
    {
        string root = Path.Combine(NodeTools.Package("@grafana/schema"), "dist", "esm", "raw", "composable");
        var known = Directory.GetDirectories(root).Where(x => Directory.Exists(Path.Combine(x, "panelcfg"))).Select(Path.GetFileName).ToHashSet();
        Assert.Contains("geomap", known);
        known.Add("row");
        return string.Join("; ", d.Panels.Where(p => !known.Contains((string?)p["type"] ?? "")).Select(p => $"panel {p["id"]}: unknown type {p["type"]}"));
    }

    [Fact]
    public void The_dashboard_type_checks_as_a_Grafana_Dashboard()
    {
        Assert.Equal("", TypeCheck(Dashboard));
    }

    [Fact]
    public void A_dashboard_with_a_wrongly_typed_field_fails_the_type_check()
    {
        var broken = Dashboard.Copy();
        broken.Panel(1)["gridPos"]!["w"] = "16";
        Assert.Contains("is not assignable to type 'number'", TypeCheck(broken));

        var unknownKey = Dashboard.Copy();
        unknownKey.Root["panelz"] = new JsonArray();
        Assert.Contains("\"panelz\"' does not exist in type 'Dashboard'", TypeCheck(unknownKey));
    }

    [Fact]
    public void The_schema_version_is_the_one_grafana_schema_13_writes()
    {
        var r = NodeTools.Node("-e", "process.stdout.write(String(require('@grafana/schema').defaultDashboard.schemaVersion))");
        Assert.True(r.ExitCode == 0, r.Output);
        Assert.Equal(int.Parse(r.StdOut, System.Globalization.CultureInfo.InvariantCulture), (int)Dashboard.Root["schemaVersion"]!);
    }

    [Fact]
    public void Every_panel_type_has_a_panelcfg_in_grafana_schema()
    {
        Assert.Equal("", UnknownPanelTypes(Dashboard));
        Assert.Contains(Dashboard.Panels, p => (string?)p["type"] == "geomap");

        var broken = Dashboard.Copy();
        broken.Panel(1)["type"] = "grafana-worldmap-panel";
        Assert.Equal("panel 1: unknown type grafana-worldmap-panel", UnknownPanelTypes(broken));
    }
}
