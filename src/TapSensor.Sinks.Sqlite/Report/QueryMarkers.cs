using System.Globalization;

namespace TapSensor.Sinks.Sqlite.Report;

/// <summary>
/// The map markers of a <c>tapsensor query --map</c> result: its rows that have <c>lat</c> and <c>lon</c>,
/// added up per place, device and protocol as the report's markers are. Optional columns, by name:
/// <c>bytes</c> (else <c>bytes_up</c> + <c>bytes_down</c>, else <c>orig_ip_bytes</c> + <c>resp_ip_bytes</c>),
/// <c>flows</c> (else one per row), <c>device</c>, <c>device_name</c>, <c>proto</c> or <c>protocol</c>,
/// <c>country</c>, <c>city</c>, <c>destination</c> or <c>remote_name</c> (the names), <c>org</c>.
/// </summary>
public static class QueryMarkers
{
    /// <summary>Names and providers listed per marker, most bytes first.</summary>
    public const int MaxNames = 5;

    /// <summary>Device and protocol of rows that do not say.</summary>
    public const string Unknown = "(none)";

    /// <summary>Why the rows cannot be mapped (no lat/lon columns), or null when they can.</summary>
    public static string? Problem(QueryResult result) =>
        Index(result, "lat") < 0 || Index(result, "lon") < 0
            ? $"the query has no lat and lon columns to map (its columns: {string.Join(", ", result.Columns)}); select flows.lat and flows.lon"
            : null;

    public static IReadOnlyList<MapMarker> Build(QueryResult result)
    {
        int lat = Index(result, "lat"), lon = Index(result, "lon");
        if (lat < 0 || lon < 0) return [];
        int bytes = Index(result, "bytes"), up = Index(result, "bytes_up"), down = Index(result, "bytes_down");
        int origBytes = Index(result, "orig_ip_bytes"), respBytes = Index(result, "resp_ip_bytes");
        int flows = Index(result, "flows"), device = Index(result, "device"), deviceName = Index(result, "device_name");
        int proto = Math.Max(Index(result, "proto"), Index(result, "protocol"));
        int country = Index(result, "country"), city = Index(result, "city"), org = Index(result, "org");
        int name = Math.Max(Index(result, "destination"), Index(result, "remote_name"));

        var places = new Dictionary<(double, double, string, string), Place>();
        foreach (var row in result.Rows)
        {
            if (Number(row, lat) is not { } y || Number(row, lon) is not { } x || y is < -90 or > 90 || x is < -180 or > 180) continue;
            long b = bytes >= 0 ? Whole(row, bytes) : up >= 0 || down >= 0 ? Whole(row, up) + Whole(row, down) : Whole(row, origBytes) + Whole(row, respBytes);
            var key = (y, x, Text(row, device) ?? Unknown, Text(row, proto) ?? Unknown);
            if (!places.TryGetValue(key, out var place)) places[key] = place = new Place();
            place.Bytes += b;
            place.Flows += flows >= 0 ? Whole(row, flows) : 1;
            place.City ??= Text(row, city);
            place.Country ??= Text(row, country);
            place.DeviceName ??= Text(row, deviceName);
            Add(place.Names, Text(row, name), b);
            Add(place.Orgs, Text(row, org), b);
        }
        return
        [
            .. places.OrderByDescending(p => p.Value.Bytes).ThenBy(p => p.Key.Item1).ThenBy(p => p.Key.Item2)
                .ThenBy(p => p.Key.Item3, StringComparer.Ordinal).ThenBy(p => p.Key.Item4, StringComparer.Ordinal)
                .Select(p => new MapMarker
                {
                    Lat = p.Key.Item1,
                    Lon = p.Key.Item2,
                    City = p.Value.City,
                    Country = p.Value.Country,
                    Device = p.Key.Item3,
                    DeviceName = p.Value.DeviceName,
                    Protocol = p.Key.Item4,
                    Bytes = p.Value.Bytes,
                    Flows = p.Value.Flows,
                    Names = Top(p.Value.Names),
                    Orgs = Top(p.Value.Orgs),
                }),
        ];
    }

    private sealed class Place
    {
        public long Bytes, Flows;
        public string? City, Country, DeviceName;
        public readonly Dictionary<string, long> Names = new(StringComparer.Ordinal);
        public readonly Dictionary<string, long> Orgs = new(StringComparer.Ordinal);
    }

    private static void Add(Dictionary<string, long> into, string? key, long bytes)
    {
        if (key is null) return;
        into[key] = into.GetValueOrDefault(key) + bytes;
    }

    private static string[] Top(Dictionary<string, long> values) =>
        [.. values.OrderByDescending(v => v.Value).ThenBy(v => v.Key, StringComparer.Ordinal).Take(MaxNames).Select(v => v.Key)];

    private static int Index(QueryResult result, string column)
    {
        for (int i = 0; i < result.Columns.Count; i++)
            if (string.Equals(result.Columns[i], column, StringComparison.OrdinalIgnoreCase)) return i;
        return -1;
    }

    private static double? Number(object?[] row, int i) => i < 0 ? null : row[i] switch
    {
        double d when double.IsFinite(d) => d,
        long l => l,
        string s when double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) && double.IsFinite(d) => d,
        _ => null,
    };

    private static long Whole(object?[] row, int i) => Number(row, i) is { } d ? (long)d : 0;

    private static string? Text(object?[] row, int i) => i < 0 || row[i] is null ? null
        : row[i] is string s ? (s.Length == 0 ? null : s) : Convert.ToString(row[i], CultureInfo.InvariantCulture);
}
