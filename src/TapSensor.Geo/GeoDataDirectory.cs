namespace TapSensor.Geo;

/// <summary>
/// Where the databases live when <see cref="GeoOptions.DataDirectory"/> is not set, by platform convention:
/// <list type="number">
/// <item><c>$TAPSENSOR_DATA/geoip</c> when <c>TAPSENSOR_DATA</c> is set (containers, packages, tests);</item>
/// <item><c>/var/lib/tapsensor/geoip</c> for root on Linux and BSD: variable state of a system service
///   (Filesystem Hierarchy Standard 3.0 §5.8, and what systemd's <c>StateDirectory=tapsensor</c> creates);</item>
/// <item>otherwise the user's local application data: <c>$XDG_DATA_HOME/tapsensor/geoip</c>, or
///   <c>~/.local/share/tapsensor/geoip</c> without it (XDG Base Directory Specification), on Linux;
///   <c>%LOCALAPPDATA%\TapSensor\geoip</c> on Windows; <c>~/Library/Application Support/TapSensor/geoip</c> on macOS.
///   .NET's <see cref="Environment.SpecialFolder.LocalApplicationData"/> already follows each of these.</item>
/// </list>
/// <c>scripts/get-geoip-data.sh</c> picks the same folder. The HTML report's country shapes live beside it, in
/// <c>map</c> instead of <c>geoip</c> (<see cref="Map"/>; <c>scripts/get-map-data.sh</c>).
/// </summary>
public static class GeoDataDirectory
{
    public const string DataVariable = "TAPSENSOR_DATA";

    /// <summary>The sub-folder of the data folder that holds the geolocation databases.</summary>
    public const string GeoIpFolder = "geoip";

    /// <summary>The sub-folder of the data folder that holds the world map's country shapes.</summary>
    public const string MapFolder = "map";

    /// <summary>The geolocation databases' folder.</summary>
    public static string Default() => Path.Combine(Root(), GeoIpFolder);

    /// <summary>The world map's folder (<c>countries-110m.json</c> from <c>scripts/get-map-data.sh</c>).</summary>
    public static string Map() => Path.Combine(Root(), MapFolder);

    /// <summary>
    /// TapSensor's data folder itself, the same rule without a sub-folder: the embedded store
    /// (<c>tapsensor.db</c>) and the status file live here, the databases and the map in their sub-folders.
    /// </summary>
    public static string Root() =>
        ResolveRoot(Environment.GetEnvironmentVariable, Environment.IsPrivilegedProcess,
            Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify),
            OperatingSystem.IsLinux() || OperatingSystem.IsFreeBSD());

    /// <summary>The rule for a sub-folder, with its inputs passed in so it can be tested on any platform.</summary>
    internal static string Resolve(Func<string, string?> environment, bool privileged, string localApplicationData, bool unixServiceLayout,
        string folder = GeoIpFolder) =>
        Path.Combine(ResolveRoot(environment, privileged, localApplicationData, unixServiceLayout), folder);

    internal static string ResolveRoot(Func<string, string?> environment, bool privileged, string localApplicationData, bool unixServiceLayout)
    {
        var data = environment(DataVariable);
        if (!string.IsNullOrWhiteSpace(data)) return Path.GetFullPath(data);
        if (unixServiceLayout && privileged) return "/var/lib/tapsensor";
        if (string.IsNullOrEmpty(localApplicationData))
            return AppContext.BaseDirectory; // no home directory at all: next to the executable
        return Path.Combine(localApplicationData, unixServiceLayout ? "tapsensor" : "TapSensor");
    }
}
