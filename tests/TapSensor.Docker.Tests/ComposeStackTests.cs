using System.Text.Json;
using System.Text.RegularExpressions;
using TapSensor.Docker.Tests.Infrastructure;

namespace TapSensor.Docker.Tests;

/// <summary>
/// What docker-compose accepts but the stack must not do: the checks that keep the sensor host-networked with two
/// capabilities, the secrets out of the file, Grafana closed and quiet, and the pieces wired to each other.
/// </summary>
public sealed class ComposeStackTests : IClassFixture<ComposeStackTests.Stack>
{
    /// <summary>The resolved configuration (docker-compose config) and the raw file, read once.</summary>
    public sealed class Stack
    {
        public JsonElement Resolved { get; } = Compose.Repository().Resolved();
        public JsonElement Raw { get; } = Yaml.ParseFile(Repo.Path("docker", "compose.yaml"));
        public string Text { get; } = Repo.Read("docker", "compose.yaml");
        public string[] EnvExample { get; } = File.ReadAllLines(Repo.Path("docker", ".env.example"));
    }

    private readonly Stack _stack;

    public ComposeStackTests(Stack stack) => _stack = stack;

    private JsonElement Service(string name) => _stack.Resolved.GetProperty("services").GetProperty(name);

    private static Dictionary<string, string> Environment(JsonElement service) =>
        service.GetProperty("environment").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.ToString());

    /// <summary>Volumes as (source, target, mode); docker-compose prints them as "source:target:mode".</summary>
    private static List<(string Source, string Target, string Mode)> Volumes(JsonElement service) =>
        service.GetProperty("volumes").EnumerateArray().Select(v =>
        {
            var parts = v.GetString()!.Split(':');
            return (parts[0], parts[1], parts.Length > 2 ? parts[2] : "rw");
        }).ToList();

    private static List<string> Strings(JsonElement array) => array.EnumerateArray().Select(e => e.GetString()!).ToList();

    [Fact]
    public void The_file_has_no_version_key_and_the_four_services()
    {
        Assert.False(_stack.Raw.TryGetProperty("version", out _), "the compose spec has no 'version'; drop it");
        var services = _stack.Raw.GetProperty("services").EnumerateObject().Select(p => p.Name).Order().ToList();
        Assert.Equal(["geoipupdate", "grafana", "influxdb", "tapsensor"], services);
    }

    [Fact]
    public void The_sensor_uses_the_host_network_and_publishes_no_ports()
    {
        var sensor = Service("tapsensor");

        Assert.Equal("host", sensor.GetProperty("network_mode").GetString());
        // docker-compose accepts ports with host networking (and ignores them); a port here would be a mistake.
        Assert.False(sensor.TryGetProperty("ports", out _), "the host-networked sensor must not list ports");
        Assert.False(sensor.TryGetProperty("networks", out _), "the host-networked sensor must not join networks");
    }

    [Fact]
    public void The_sensor_drops_every_capability_but_the_two_capture_needs()
    {
        var sensor = Service("tapsensor");

        Assert.Equal(["ALL"], Strings(sensor.GetProperty("cap_drop")));
        Assert.Equal(["NET_ADMIN", "NET_RAW"], Strings(sensor.GetProperty("cap_add")).Order());
        Assert.False(sensor.TryGetProperty("privileged", out var p) && p.GetBoolean(), "the sensor must not be privileged");
        // no-new-privileges would withhold the file capabilities the non-root user relies on.
        if (sensor.TryGetProperty("security_opt", out var opts))
            Assert.DoesNotContain(Strings(opts), o => o.StartsWith("no-new-privileges", StringComparison.Ordinal) && !o.EndsWith("false", StringComparison.Ordinal));
    }

    [Fact]
    public void The_sensor_captures_the_configured_interface_with_the_mounted_device_names()
    {
        var sensor = Service("tapsensor");
        var command = Strings(sensor.GetProperty("command"));

        Assert.Equal("capture", command[0]);
        Assert.Equal("eth1", command[command.IndexOf("-i") + 1]);
        var configPath = command[command.IndexOf("--config") + 1];
        var mount = Assert.Single(Volumes(sensor), v => v.Target == configPath);
        Assert.Equal("ro", mount.Mode);
        Assert.Equal(Repo.Path("docker", "tapsensor.json"), mount.Source);
        Assert.Equal("unless-stopped", sensor.GetProperty("restart").GetString());
        Assert.Equal("service_healthy", sensor.GetProperty("depends_on").GetProperty("influxdb").GetProperty("condition").GetString());
    }

    [Fact]
    public void The_example_device_names_follow_the_household_devices_layout()
    {
        using var doc = JsonDocument.Parse(Repo.Read("docker", "tapsensor.example.json"));
        var devices = doc.RootElement.GetProperty("TapSensor").GetProperty("Household").GetProperty("Devices").EnumerateArray().ToList();

        Assert.NotEmpty(devices);
        Assert.All(devices, d =>
        {
            Assert.False(string.IsNullOrWhiteSpace(d.GetProperty("Match").GetString()));
            Assert.False(string.IsNullOrWhiteSpace(d.GetProperty("Name").GetString()));
        });
        Assert.Contains(devices, d => Regex.IsMatch(d.GetProperty("Match").GetString()!, "^([0-9a-f]{2}:){5}[0-9a-f]{2}$"));
    }

    [Fact]
    public void The_sensor_writes_to_the_bucket_through_influx_settings_that_exist()
    {
        var env = Environment(Service("tapsensor"));
        var influxOptions = Repo.Read("src", "TapSensor.Sinks.Influx", "InfluxOptions.cs");
        var settings = Regex.Matches(influxOptions, @"public\s+[\w<>?]+\s+(\w+)\s*\{\s*get;\s*set;")
            .Select(m => m.Groups[1].Value.ToUpperInvariant()).ToHashSet();

        var keys = env.Keys.Where(k => k.StartsWith("TAPSENSOR__INFLUX__", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(keys);
        Assert.All(keys, k => Assert.True(settings.Contains(k["TAPSENSOR__INFLUX__".Length..]), $"{k} is not a setting of InfluxOptions"));
        Assert.Equal("http://127.0.0.1:8086", env["TAPSENSOR__INFLUX__URL"]);
        var influx = Environment(Service("influxdb"));
        Assert.Equal(influx["DOCKER_INFLUXDB_INIT_ORG"], env["TAPSENSOR__INFLUX__ORG"]);
        Assert.Equal(influx["DOCKER_INFLUXDB_INIT_BUCKET"], env["TAPSENSOR__INFLUX__BUCKET"]);
        Assert.Equal(influx["DOCKER_INFLUXDB_INIT_ADMIN_TOKEN"], env["TAPSENSOR__INFLUX__TOKEN"]);
        Assert.StartsWith("/var/lib/tapsensor/", env["TAPSENSOR__INFLUX__SPOOLDIRECTORY"]);
    }

    [Fact]
    public void InfluxDB_is_reachable_only_on_the_hosts_loopback()
    {
        var influx = Service("influxdb");
        var ports = influx.GetProperty("ports").EnumerateArray().Select(p => p.ValueKind == JsonValueKind.String
            ? p.GetString()!
            : $"{p.GetProperty("host_ip").GetString()}:{p.GetProperty("published")}:{p.GetProperty("target")}").ToList();

        var port = Assert.Single(ports);
        Assert.StartsWith("127.0.0.1:8086:8086", port);
    }

    [Fact]
    public void InfluxDB_is_set_up_from_the_env_with_a_health_check_and_the_mapping_script()
    {
        var influx = Service("influxdb");
        var env = Environment(influx);

        Assert.Matches(@"^influxdb:2\.\d+", influx.GetProperty("image").GetString());
        Assert.Equal("setup", env["DOCKER_INFLUXDB_INIT_MODE"]);
        foreach (var key in new[] { "USERNAME", "PASSWORD", "ORG", "BUCKET", "RETENTION", "ADMIN_TOKEN" })
            Assert.False(string.IsNullOrEmpty(env.GetValueOrDefault("DOCKER_INFLUXDB_INIT_" + key)), $"DOCKER_INFLUXDB_INIT_{key} is not set");
        Assert.Equal(Environment(Service("grafana"))["INFLUX_DB"], env["TAPSENSOR_INFLUX_DB"]);
        Assert.Equal("true", env["INFLUXD_REPORTING_DISABLED"]);
        Assert.Contains("influx ping", string.Join(' ', Strings(influx.GetProperty("healthcheck").GetProperty("test"))));

        var volumes = Volumes(influx);
        Assert.Contains(volumes, v => v.Source == "influxdb-data" && v.Target == "/var/lib/influxdb2");
        Assert.Contains(volumes, v => v.Source == "influxdb-config" && v.Target == "/etc/influxdb2");
        var init = Assert.Single(volumes, v => v.Target.StartsWith("/docker-entrypoint-initdb.d/", StringComparison.Ordinal));
        Assert.EndsWith(".sh", init.Target); // the image runs only *.sh files there
        Assert.True(File.Exists(init.Source), $"{init.Source} does not exist");
        Assert.True((File.GetUnixFileMode(init.Source) & UnixFileMode.UserExecute) != 0, $"{init.Source} must be executable (run-parts skips it otherwise)");
    }

    [Fact]
    public void Grafana_needs_a_login_and_has_no_default_password()
    {
        var env = Environment(Service("grafana"));

        Assert.Equal("false", env["GF_AUTH_ANONYMOUS_ENABLED"]);
        Assert.Equal("false", env["GF_USERS_ALLOW_SIGN_UP"]);
        Assert.NotEqual("admin", env["GF_SECURITY_ADMIN_PASSWORD"]);
        // In the file itself the password must be a required variable, never a value or a default.
        var raw = _stack.Raw.GetProperty("services").GetProperty("grafana").GetProperty("environment").GetProperty("GF_SECURITY_ADMIN_PASSWORD").GetString()!;
        Assert.Matches(@"^\$\{[A-Z_]+:\?[^}]+\}$", raw);
    }

    [Fact]
    public void Grafana_does_not_phone_home()
    {
        var env = Environment(Service("grafana"));

        foreach (var key in new[] { "GF_ANALYTICS_REPORTING_ENABLED", "GF_ANALYTICS_CHECK_FOR_UPDATES", "GF_ANALYTICS_CHECK_FOR_PLUGIN_UPDATES",
                     "GF_NEWS_NEWS_FEED_ENABLED", "GF_SNAPSHOTS_EXTERNAL_ENABLED", "GF_PUBLIC_DASHBOARDS_ENABLED" })
            Assert.True(env.GetValueOrDefault(key) == "false", $"{key} must be false");
        Assert.Equal("true", env["GF_SECURITY_DISABLE_GRAVATAR"]);
    }

    [Fact]
    public void Grafana_is_pinned_and_opens_on_the_TapSensor_dashboard()
    {
        var grafana = Service("grafana");
        var env = Environment(grafana);

        Assert.Matches(@"^grafana/grafana(-oss)?:\d+\.\d+(\.\d+)?$", grafana.GetProperty("image").GetString());
        Assert.Equal("/var/lib/grafana/dashboards/tapsensor.json", env["GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH"]);
        Assert.Equal("http://influxdb:8086", env["INFLUX_URL"]);
        Assert.Equal(Environment(Service("influxdb"))["DOCKER_INFLUXDB_INIT_ADMIN_TOKEN"], env["INFLUX_TOKEN"]);
        Assert.Contains(Volumes(grafana), v => v.Source == "grafana-data" && v.Target == "/var/lib/grafana");
    }

    [Fact]
    public void Grafana_mounts_the_provisioning_and_dashboards_folders_of_the_repository()
    {
        var volumes = Volumes(Service("grafana"));
        var rawVolumes = Strings(_stack.Raw.GetProperty("services").GetProperty("grafana").GetProperty("volumes"));

        Assert.Contains("../grafana/provisioning:/etc/grafana/provisioning:ro", rawVolumes);
        Assert.Contains("../grafana/dashboards:/var/lib/grafana/dashboards:ro", rawVolumes);
        foreach (var (source, target) in new[] { ("provisioning", "/etc/grafana/provisioning"), ("dashboards", "/var/lib/grafana/dashboards") })
        {
            var mount = Assert.Single(volumes, v => v.Target == target);
            Assert.Equal(Repo.Path("grafana", source), mount.Source);
            Assert.Equal("ro", mount.Mode);
            Assert.True(Directory.Exists(mount.Source), $"{mount.Source} does not exist in the repository");
        }
    }

    [Fact]
    public void Every_variable_the_grafana_provisioning_reads_is_set_on_the_grafana_service()
    {
        var env = Environment(Service("grafana"));
        var files = Directory.GetFiles(Repo.Path("grafana", "provisioning"), "*.*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".yaml", StringComparison.Ordinal) || f.EndsWith(".yml", StringComparison.Ordinal)).ToList();
        var missing = new List<string>();
        foreach (var file in files)
        {
            // Grafana expands $NAME and ${NAME} in the values of provisioning files ($$ is a literal dollar); comments
            // (from a '#' at the start of a line or after a space) are not values.
            string values = Regex.Replace(File.ReadAllText(file), @"(^|\s)#.*$", "", RegexOptions.Multiline);
            foreach (Match m in Regex.Matches(values.Replace("$$", "", StringComparison.Ordinal), @"\$\{?([A-Za-z_][A-Za-z0-9_]*)"))
                if (!env.ContainsKey(m.Groups[1].Value)) missing.Add($"{Path.GetFileName(file)}: ${m.Groups[1].Value}");
        }

        Assert.True(missing.Count == 0, "not set on the grafana service: " + string.Join(", ", missing));
        // The contract with the provisioning: these three are always there.
        Assert.True(env.ContainsKey("INFLUX_URL") && env.ContainsKey("INFLUX_DB") && env.ContainsKey("INFLUX_TOKEN"));
    }

    [Fact]
    public void MaxMind_updates_are_optional_and_land_in_the_sensors_geoip_folder()
    {
        var raw = _stack.Raw.GetProperty("services").GetProperty("geoipupdate");
        Assert.Equal(["maxmind"], Strings(raw.GetProperty("profiles")));

        var update = Service("geoipupdate");
        var env = Environment(update);
        Assert.Equal("GeoLite2-City GeoLite2-ASN", env["GEOIPUPDATE_EDITION_IDS"]);
        Assert.True(env.ContainsKey("GEOIPUPDATE_ACCOUNT_ID") && env.ContainsKey("GEOIPUPDATE_LICENSE_KEY"));
        var target = Assert.Single(Volumes(update), v => v.Target == env["GEOIPUPDATE_DB_DIR"]);
        var sensorGeo = Assert.Single(Volumes(Service("tapsensor")), v => v.Target == "/var/lib/tapsensor/geoip");
        Assert.Equal(sensorGeo.Source, target.Source);
        // The account must not be required: without the profile the stack starts with no MaxMind account.
        Assert.DoesNotMatch(@"GEOIPUPDATE_(ACCOUNT_ID|LICENSE_KEY):?\?", _stack.Text);
    }

    [Fact]
    public void All_data_lives_in_named_volumes()
    {
        var declared = _stack.Resolved.GetProperty("volumes").EnumerateObject().Select(p => p.Name).ToHashSet();
        var data = new[] { ("tapsensor", "/var/lib/tapsensor"), ("influxdb", "/var/lib/influxdb2"), ("grafana", "/var/lib/grafana") };

        foreach (var (service, target) in data)
        {
            var mount = Assert.Single(Volumes(Service(service)), v => v.Target == target);
            Assert.True(declared.Contains(mount.Source), $"{service}: {target} is on '{mount.Source}', not a declared named volume");
        }
        foreach (var service in _stack.Resolved.GetProperty("services").EnumerateObject())
            foreach (var v in Volumes(service.Value).Where(v => !v.Source.StartsWith('/')))
                Assert.True(declared.Contains(v.Source), $"{service.Name}: volume '{v.Source}' is not declared");
    }

    [Fact]
    public void Every_variable_of_the_compose_file_has_a_line_in_the_example_env_file()
    {
        var used = Regex.Matches(_stack.Text, @"\$\{([A-Za-z_][A-Za-z0-9_]*)").Select(m => m.Groups[1].Value).ToHashSet();
        var listed = _stack.EnvExample.Where(l => !l.StartsWith('#') && l.Contains('='))
            .Select(l => l[..l.IndexOf('=')].Trim()).ToHashSet();

        Assert.NotEmpty(used);
        var missing = used.Where(u => !listed.Contains(u)).Order().ToList();
        Assert.True(missing.Count == 0, "not in docker/.env.example: " + string.Join(", ", missing));
    }

    [Fact]
    public void The_example_env_file_holds_placeholders_for_secrets_and_says_how_to_make_them()
    {
        var values = _stack.EnvExample.Where(l => !l.StartsWith('#') && l.Contains('='))
            .ToDictionary(l => l[..l.IndexOf('=')], l => l[(l.IndexOf('=') + 1)..]);

        foreach (var secret in new[] { "INFLUX_TOKEN", "INFLUX_ADMIN_PASSWORD", "GRAFANA_ADMIN_PASSWORD" })
            Assert.Equal("change-me", values[secret]);
        Assert.Equal("", values["GEOIPUPDATE_LICENSE_KEY"]);
        Assert.Contains(_stack.EnvExample, l => l.StartsWith('#') && l.Contains("openssl rand -hex 32", StringComparison.Ordinal));
        var ignored = File.ReadAllLines(Repo.Path(".gitignore"));
        Assert.Contains("docker/.env", ignored);
    }
}
