namespace TapSensor.Geo.Tests;

public sealed class GeoOptionsTests
{
    [Fact]
    public void Defaults_are_valid()
    {
        var o = new GeoOptions();
        Assert.Empty(o.Validate());
        Assert.True(o.Enabled);
        Assert.Equal(65536, o.CacheEntries);
        Assert.Equal(TimeSpan.FromDays(30), o.MaxAge);
    }

    [Fact]
    public void Every_bad_setting_is_named_with_what_would_be_valid()
    {
        var errors = new GeoOptions { CacheEntries = 1, PollInterval = TimeSpan.Zero, ReloadDelay = TimeSpan.FromHours(1), MaxAge = TimeSpan.Zero }.Validate();
        Assert.Equal(4, errors.Count);
        Assert.Contains(errors, e => e.StartsWith("TapSensor:Geo:CacheEntries must be between 8 and", StringComparison.Ordinal) && e.EndsWith("got 1", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("TapSensor:Geo:PollInterval", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("TapSensor:Geo:ReloadDelay", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("TapSensor:Geo:MaxAge", StringComparison.Ordinal));
    }

    [Fact]
    public void A_configured_folder_is_used_as_a_full_path()
    {
        Assert.Equal(Path.GetFullPath("geo-data"), new GeoOptions { DataDirectory = "geo-data" }.ResolveDataDirectory());
    }

    [Fact]
    public void TAPSENSOR_DATA_wins_over_everything()
    {
        var env = new Dictionary<string, string?> { ["TAPSENSOR_DATA"] = "/srv/tap" };
        Assert.Equal("/srv/tap/geoip", GeoDataDirectory.Resolve(k => env.GetValueOrDefault(k), privileged: true, "/root/.local/share", unixServiceLayout: true));
    }

    [Fact]
    public void Root_on_Linux_uses_var_lib()
    {
        Assert.Equal("/var/lib/tapsensor/geoip", GeoDataDirectory.Resolve(_ => null, privileged: true, "/root/.local/share", unixServiceLayout: true));
    }

    [Fact]
    public void A_user_on_Linux_uses_the_XDG_data_home()
    {
        Assert.Equal("/home/ann/.local/share/tapsensor/geoip",
            GeoDataDirectory.Resolve(_ => null, privileged: false, "/home/ann/.local/share", unixServiceLayout: true));
    }

    [Fact]
    public void Windows_and_macOS_use_local_application_data()
    {
        Assert.Equal(Path.Combine("/Users/ann/Library/Application Support", "TapSensor", "geoip"),
            GeoDataDirectory.Resolve(_ => null, privileged: true, "/Users/ann/Library/Application Support", unixServiceLayout: false));
    }

    [Fact]
    public void Without_a_home_folder_the_data_sits_next_to_the_executable()
    {
        Assert.Equal(Path.Combine(AppContext.BaseDirectory, "geoip"), GeoDataDirectory.Resolve(_ => null, false, "", true));
    }

    [Theory]
    [InlineData(true, false, "/srv/tap/map")]
    [InlineData(false, true, "/var/lib/tapsensor/map")]
    [InlineData(false, false, "/home/ann/.local/share/tapsensor/map")]
    public void The_map_folder_follows_the_same_rule_beside_the_geoip_folder(bool dataVariable, bool privileged, string expected)
    {
        var env = new Dictionary<string, string?> { ["TAPSENSOR_DATA"] = dataVariable ? "/srv/tap" : null };
        Assert.Equal(expected, GeoDataDirectory.Resolve(k => env.GetValueOrDefault(k), privileged, "/home/ann/.local/share", unixServiceLayout: true,
            GeoDataDirectory.MapFolder));
    }
}

public sealed class GeoNamesTests
{
    [Fact]
    public void Every_class_and_kind_has_a_distinct_snake_case_name()
    {
        var classes = Enum.GetValues<AddressClass>().Select(c => c.Name()).ToList();
        Assert.Equal(classes.Count, classes.Distinct().Count());
        Assert.DoesNotContain("unknown", classes);
        Assert.All(classes, n => Assert.Matches("^[a-z_]+$", n));
        var kinds = Enum.GetValues<GeoDatabaseKind>().Select(k => k.Name()).ToList();
        Assert.Equal(kinds.Count, kinds.Distinct().Count());
        Assert.DoesNotContain("unknown", kinds);
    }
}
