using System.Globalization;

namespace TapSensor.Sinks.Sqlite.Report;

/// <summary>
/// The map markers of a <c>tapsensor query --map</c> result: its rows that have <c>lat</c> and <c>lon</c>,
/// added up per place, device and protocol as the report's markers are. Optional columns, by name:
/// <c>bytes</c> (else <c>bytes_up</c> + <c>bytes_down</c>, else <c>orig_ip_bytes</c> + <c>resp_ip_bytes</c>),
/// <c>flows</c> (else one per row), <c>device</c>, <c>device_name</c>, <c>proto</c> or <c>protocol</c>,
/// <c>country</c>, <c>city</c>, <c>destination</c> or <c>remote_name</c> (the names), <c>org</c>. The adding up is
/// <see cref="MarkerTally"/>'s, as for the report.
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

        var tally = new MarkerTally();
        foreach (var row in result.Rows)
        {
            if (Number(row, lat) is not { } y || Number(row, lon) is not { } x || y is < -90 or > 90 || x is < -180 or > 180) continue;
            long b = bytes >= 0 ? Whole(row, bytes) : up >= 0 || down >= 0 ? Whole(row, up) + Whole(row, down) : Whole(row, origBytes) + Whole(row, respBytes);
            tally.Add(y, x, Text(row, device) ?? Unknown, Text(row, proto) ?? Unknown, b, flows >= 0 ? Whole(row, flows) : 1,
                Text(row, city), Text(row, country), Text(row, deviceName), Text(row, name), Text(row, org));
        }
        return tally.Build(MaxNames);
    }

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
