using System.Text.Json;

namespace TapSensor.Sinks.Influx.Tests.Dashboard;

/// <summary>
/// grafana/provisioning: both YAML files parse (python3 with PyYAML, installed by scripts/install-test-deps.sh) and
/// say what the compose stack relies on: data source uid <c>tapsensor-influx</c>, InfluxQL, URL, database and token
/// from INFLUX_URL, INFLUX_DB and INFLUX_TOKEN; dashboards from /var/lib/grafana/dashboards into folder TapSensor.
/// </summary>
public sealed class ProvisioningTests
{
    private static string DataSourceFile => Path.Combine(DashboardFile.GrafanaDirectory, "provisioning", "datasources", "tapsensor.yaml");
    private static string ProviderFile => Path.Combine(DashboardFile.GrafanaDirectory, "provisioning", "dashboards", "tapsensor.yaml");

    /// <summary>The YAML as JSON, or the parser's error.</summary>
    private static (JsonElement? Document, string Error) ParseYaml(string text)
    {
        var r = NodeTools.Run("python3", ["-c", "import json, sys, yaml; print(json.dumps(yaml.safe_load(sys.stdin.read())))"],
            environment: null, timeout: TimeSpan.FromSeconds(30), workingDirectory: Path.GetTempPath(), stdin: text);
        Assert.DoesNotContain("No module named 'yaml'", r.StdErr);
        return r.ExitCode == 0 ? (JsonDocument.Parse(r.StdOut).RootElement.Clone(), "") : (null, r.StdErr);
    }

    private static List<string> CheckDataSource(JsonElement doc)
    {
        var problems = new List<string>();
        if (doc.GetProperty("apiVersion").GetInt32() != 1) problems.Add("apiVersion is not 1");
        var ds = doc.GetProperty("datasources")[0];
        string? Get(JsonElement e, params string[] path)
        {
            foreach (var p in path)
                if (!e.TryGetProperty(p, out e)) return null;
            return e.ToString();
        }
        void Expect(string? actual, string expected, string what)
        {
            if (actual != expected) problems.Add($"{what} is '{actual}', expected '{expected}'");
        }
        Expect(Get(ds, "uid"), DashboardFile.DataSourceUid, "uid");
        Expect(Get(ds, "type"), "influxdb", "type");
        Expect(Get(ds, "url"), "${INFLUX_URL}", "url");
        Expect(Get(ds, "jsonData", "version"), "InfluxQL", "jsonData.version");
        Expect(Get(ds, "jsonData", "dbName"), "${INFLUX_DB}", "jsonData.dbName");
        Expect(Get(ds, "jsonData", "httpHeaderName1"), "Authorization", "jsonData.httpHeaderName1");
        Expect(Get(ds, "secureJsonData", "httpHeaderValue1"), "Token ${INFLUX_TOKEN}", "secureJsonData.httpHeaderValue1");
        return problems;
    }

    [Fact]
    public void The_data_source_is_InfluxQL_on_the_compose_stacks_variables_with_the_dashboards_uid()
    {
        var (doc, error) = ParseYaml(File.ReadAllText(DataSourceFile));
        Assert.True(doc is not null, error);
        Assert.Empty(CheckDataSource(doc.Value));
    }

    [Fact]
    public void A_broken_data_source_file_is_rejected()
    {
        string text = File.ReadAllText(DataSourceFile);
        var (bad, _) = ParseYaml(text.Replace("uid: tapsensor-influx", "uid: tapsensor", StringComparison.Ordinal));
        Assert.Equal(["uid is 'tapsensor', expected 'tapsensor-influx'"], CheckDataSource(bad!.Value));

        var (unparsable, error) = ParseYaml(text.Replace("    jsonData:", "  jsonData:\n   - broken", StringComparison.Ordinal));
        Assert.Null(unparsable);
        Assert.Contains("yaml", error, StringComparison.OrdinalIgnoreCase);
    }

    private static List<string> CheckProvider(JsonElement doc)
    {
        var problems = new List<string>();
        var p = doc.GetProperty("providers")[0];
        if (p.GetProperty("type").GetString() != "file") problems.Add("type is not file");
        if (p.GetProperty("folder").GetString() != "TapSensor") problems.Add("folder is not TapSensor");
        if (p.GetProperty("options").GetProperty("path").GetString() != "/var/lib/grafana/dashboards") problems.Add("path is not /var/lib/grafana/dashboards");
        if (!p.TryGetProperty("updateIntervalSeconds", out var u) || u.GetInt32() <= 0) problems.Add("updateIntervalSeconds is not set");
        return problems;
    }

    [Fact]
    public void The_dashboard_provider_reads_the_mounted_folder_into_the_TapSensor_folder()
    {
        var (doc, error) = ParseYaml(File.ReadAllText(ProviderFile));
        Assert.True(doc is not null, error);
        Assert.Empty(CheckProvider(doc.Value));

        var (bad, _) = ParseYaml(File.ReadAllText(ProviderFile).Replace("path: /var/lib/grafana/dashboards", "path: /dashboards", StringComparison.Ordinal));
        Assert.Equal(["path is not /var/lib/grafana/dashboards"], CheckProvider(bad!.Value));
    }
}
