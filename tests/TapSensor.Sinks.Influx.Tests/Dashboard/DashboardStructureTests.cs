using System.Text.Json.Nodes;

namespace TapSensor.Sinks.Influx.Tests.Dashboard;

/// <summary>The dashboard's structure: ids, layout, variables, data sources, filters; each check also rejects a broken copy.</summary>
public sealed class DashboardStructureTests
{
    private static readonly DashboardFile Dashboard = DashboardFile.Load();

    [Fact]
    public void Panel_ids_are_unique()
    {
        Assert.Empty(DashboardChecks.PanelIds(Dashboard));
        var broken = Dashboard.Copy();
        broken.Panel(2)["id"] = 1;
        Assert.Contains("panel id 1 is used twice", DashboardChecks.PanelIds(broken));
    }

    [Fact]
    public void Panels_fit_the_24_column_grid_without_overlapping()
    {
        Assert.Empty(DashboardChecks.Grid(Dashboard));

        var wide = Dashboard.Copy();
        wide.Panel(2)["gridPos"]!["w"] = 9;
        Assert.Contains(DashboardChecks.Grid(wide), p => p.Contains("outside the 24-column grid", StringComparison.Ordinal));

        var overlapping = Dashboard.Copy();
        overlapping.Panel(3)["gridPos"]!["y"] = 10;
        Assert.Contains(DashboardChecks.Grid(overlapping), p => p.Contains("overlap", StringComparison.Ordinal));
    }

    [Fact]
    public void Every_variable_a_query_uses_is_defined()
    {
        Assert.Empty(DashboardChecks.VariablesDefined(Dashboard));
        var broken = Dashboard.Copy();
        broken.Root["templating"]!["list"]!.AsArray().RemoveAt(2); // protocol
        Assert.Contains(DashboardChecks.VariablesDefined(broken), p => p.Contains("uses $protocol", StringComparison.Ordinal));
    }

    [Fact]
    public void Every_data_source_reference_is_the_provisioned_InfluxDB()
    {
        Assert.Empty(DashboardChecks.DataSources(Dashboard));
        Assert.NotEmpty(Dashboard.Panels);

        var broken = Dashboard.Copy();
        broken.Panel(4)["targets"]![0]!["datasource"] = new JsonObject { ["type"] = "influxdb", ["uid"] = "P951FEA4DE68E13C5" };
        Assert.Contains(DashboardChecks.DataSources(broken), p => p.StartsWith("panel 4 target A refers to data source", StringComparison.Ordinal));

        var undefinedVariable = Dashboard.Copy();
        undefinedVariable.Panel(1)["datasource"] = new JsonObject { ["type"] = "influxdb", ["uid"] = "${DS_INFLUXDB}" };
        Assert.Contains(DashboardChecks.DataSources(undefinedVariable), p => p.Contains("${DS_INFLUXDB}, which is not defined", StringComparison.Ordinal));
    }

    [Fact]
    public void The_world_map_draws_from_Grafanas_own_country_shapes_and_fetches_no_tiles()
    {
        Assert.Empty(DashboardChecks.OfflineMaps(Dashboard));
        var geomap = Dashboard.Panels.Single(p => (string?)p["type"] == "geomap");
        int id = (int)geomap["id"]!;

        var tiles = Dashboard.Copy();
        tiles.Panel(id)["options"]!["basemap"] = new JsonObject { ["type"] = "default", ["name"] = "Basemap" };
        Assert.Contains(DashboardChecks.OfflineMaps(tiles), p => p.Contains("type 'default' loads tiles", StringComparison.Ordinal));

        var missing = Dashboard.Copy();
        missing.Panel(id)["options"]!.AsObject().Remove("basemap");
        Assert.Contains(DashboardChecks.OfflineMaps(missing), p => p.Contains("no basemap", StringComparison.Ordinal));

        var remote = Dashboard.Copy();
        remote.Panel(id)["options"]!["basemap"]!["config"]!["src"] = "https://example.org/world.geojson";
        Assert.Contains(DashboardChecks.OfflineMaps(remote), p => p.Contains("not from Grafana's own public/ folder", StringComparison.Ordinal));
    }

    [Fact]
    public void Every_household_query_filters_by_device_country_and_protocol()
    {
        Assert.Empty(DashboardChecks.Filters(Dashboard));
        Assert.True(Dashboard.HouseholdPanels.Count() >= 8);

        var broken = Dashboard.Copy();
        var target = broken.Panel(7)["targets"]![0]!;
        target["query"] = ((string)target["query"]!).Replace(" AND \"country\" =~ /^$country$/", "", StringComparison.Ordinal);
        Assert.Equal(["panel 7 ('New destinations') target A does not filter by \"country\" =~ /^$country$/"], DashboardChecks.Filters(broken));
    }

    [Fact]
    public void The_device_variable_lists_the_human_labels_and_every_variable_offers_All_and_several_values()
    {
        var device = Dashboard.Variables.Single(v => (string)v["name"]! == "device");
        Assert.Contains("WITH KEY = \"device_label\"", (string)device["query"]!, StringComparison.Ordinal);
        Assert.Equal(["device", "country", "protocol"], Dashboard.Variables.Select(v => (string)v["name"]!));
        Assert.All(Dashboard.Variables, v => Assert.True((bool)v["multi"]! && (bool)v["includeAll"]!, $"{v["name"]}: multi and includeAll"));
    }

    [Fact]
    public void Grafana_formats_several_values_as_an_escaped_alternation()
    {
        var device = Dashboard.Variables.Single(v => (string)v["name"]! == "device");
        Assert.Equal(@"Anna's iPhone\.local", GrafanaInfluxQl.Format(device, new(["Anna's iPhone.local"]), []));
        Assert.Equal(@"(a\.b|c\/d|\(e\))", GrafanaInfluxQl.Format(device, new(["a.b", "c/d", "(e)"]), []));
        Assert.Equal(".*", GrafanaInfluxQl.Format(device, GrafanaInfluxQl.Selection.All, ["x", "y"]));
        var noAllValue = device.DeepClone().AsObject();
        noAllValue.Remove("allValue");
        Assert.Equal(@"(x|y\+)", GrafanaInfluxQl.Format(noAllValue, GrafanaInfluxQl.Selection.All, ["x", "y+"]));
    }

    [Fact]
    public void The_table_transformations_group_sort_and_cut_like_Grafana()
    {
        var table = new ResultTable(["Time", "destination", "bytes"],
        [
            [1.0, "a.example", 10.0], [2.0, "b.example", 5.0], [3.0, "a.example", 7.0], [4.0, "c.example", 1.0],
        ]);
        var transformations = Dashboard.Panel(4)["transformations"]!.AsArray();
        var result = table.Transform(transformations);
        Assert.Equal(["destination", "bytes", "flows"], result.Columns);
        object?[][] expected = [["a.example", 17.0, 2.0], ["b.example", 5.0, 1.0], ["c.example", 1.0, 1.0]];
        Assert.Equal(expected, result.Rows.ToArray());
    }
}
