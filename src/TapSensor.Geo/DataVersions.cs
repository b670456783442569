using System.Globalization;

namespace TapSensor.Geo;

/// <summary>
/// The data folder's <c>versions.txt</c>, written by <c>scripts/get-geoip-data.sh</c>: one line per npm package,
/// <c>package version file...</c>. It dates files that carry no build date of their own (the CSVs): the
/// <c>@ip-location-db</c> versions end in the build time, <c>2.3.YYYYMMDDHH</c>.
/// </summary>
internal sealed class DataVersions
{
    public const string FileName = "versions.txt";

    private readonly Dictionary<string, (string Package, string Version)> _byFile = new(StringComparer.Ordinal);

    public static DataVersions Read(string directory)
    {
        var versions = new DataVersions();
        var path = Path.Combine(directory, FileName);
        try
        {
            if (!File.Exists(path)) return versions;
            foreach (var raw in File.ReadLines(path))
            {
                var line = raw.Trim();
                if (line.Length == 0 || line[0] == '#') continue;
                var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (parts.Length < 3) continue;
                for (int i = 2; i < parts.Length; i++) versions._byFile[parts[i]] = (parts[0], parts[1]);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Only a date source; without it the file date is used.
        }
        return versions;
    }

    public bool TryGet(string fileName, out string package, out string version)
    {
        if (_byFile.TryGetValue(fileName, out var v))
        {
            (package, version) = v;
            return true;
        }
        package = version = "";
        return false;
    }

    /// <summary>Build time from an <c>@ip-location-db</c> version such as <c>2.3.2026061719</c> (UTC hour).</summary>
    public static DateTimeOffset? BuildDateFromVersion(string version)
    {
        var last = version.AsSpan(version.LastIndexOf('.') + 1);
        if (last.Length == 10
            && DateTime.TryParseExact(last, "yyyyMMddHH", CultureInfo.InvariantCulture,
                DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var built))
            return new DateTimeOffset(built, TimeSpan.Zero);
        return null;
    }
}
