using System.Globalization;
using Microsoft.Data.Sqlite;

namespace TapSensor.Sinks.Sqlite.Report;

/// <summary>
/// Builds the household report from the store (README, "The household report"). The window's flow rows are
/// read once (SQL picks them by time and device) and added up in C#; "new" is judged against the store's
/// history before the window with indexed SQL look-ups. Every number is a sum of whole <c>flows</c> rows, so the
/// report agrees to the byte with the flow records (<c>--flows</c>) it was written from. A record belongs to the
/// window when its first packet does.
/// </summary>
public static class HouseholdReport
{
    public const string Title = "TapSensor household report";
    /// <summary>Providers whose share makes up <see cref="Concentration"/>.</summary>
    public const int ConcentrationTop = 3;
    /// <summary>A destination is recurring when it is seen on at least this many calendar days ...</summary>
    public const int RecurringDays = 2;
    /// <summary>... or in at least this many distinct 1-hour intervals.</summary>
    public const int RecurringIntervals = 3;
    /// <summary>Names and organisations listed per map marker.</summary>
    public const int MarkerNames = 10;

    private const long NsPerSecond = 1_000_000_000;
    private const long NsPerHour = 3600 * NsPerSecond;

    /// <summary>Thrown when a <c>--device</c> value matches no device in the store.</summary>
    public sealed class UnknownDeviceException(string device) : Exception($"no device in the store has the id or name '{device}'")
    {
        public string Device { get; } = device;
    }

    public static ReportDocument Build(SqliteConnection db, ReportRequest request, DateTimeOffset generated)
    {
        var (from, to) = Window(db, request);
        var devices = ResolveDevices(db, request.Devices);
        var rows = ReadRows(db, from, to, devices);
        var info = ReadDeviceInfo(db);
        var tz = request.TimeZone;

        var reports = new List<DeviceReport>();
        foreach (var group in rows.GroupBy(r => r.Device, StringComparer.Ordinal))
        {
            var list = group.ToList();
            info.TryGetValue(group.Key, out var known);
            reports.Add(BuildDevice(db, group.Key, known, list, from, request, tz));
        }
        reports.Sort((a, b) =>
        {
            int c = (b.BytesUp + b.BytesDown).CompareTo(a.BytesUp + a.BytesDown);
            return c != 0 ? c : string.CompareOrdinal(a.Id, b.Id);
        });

        return new ReportDocument
        {
            Title = Title,
            Generated = Iso(generated),
            Window = new ReportWindow(IsoNs(from), IsoNs(to), request.QuietHours.ToString()),
            Attribution = ReadAttribution(db, request.FallbackAttribution),
            Totals = new ReportTotals(rows.Sum(r => r.Up), rows.Sum(r => r.Down), rows.Count, reports.Count,
                rows.Select(r => r.Destination).Distinct(StringComparer.Ordinal).Count()),
            Devices = reports,
            Markers = Markers(rows, info),
        };
    }

    /// <summary>The window in Unix nanoseconds, [from, to).</summary>
    internal static (long From, long To) Window(SqliteConnection db, ReportRequest request)
    {
        long to;
        if (request.To is { } t) to = ToNs(t);
        else
        {
            // The data's own end: a replayed old capture reports its own day. Rounded up to the next whole second.
            long newest = Scalar(db, "SELECT max(last_ns) FROM flows") ?? ToNs(DateTimeOffset.UtcNow);
            to = (Math.Max(newest, 0) / NsPerSecond + 1) * NsPerSecond;
        }
        long from = request.From is { } f ? ToNs(f) : to - (long)(request.Last.TotalSeconds * NsPerSecond);
        return (from, to);
    }

    private static HashSet<string>? ResolveDevices(SqliteConnection db, IReadOnlyList<string> wanted)
    {
        if (wanted.Count == 0) return null;
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var w in wanted)
        {
            using var cmd = db.CreateCommand();
            cmd.CommandText = "SELECT id FROM devices WHERE id = $v COLLATE NOCASE OR name = $v COLLATE NOCASE " +
                              "UNION SELECT DISTINCT device FROM flows WHERE device = $v COLLATE NOCASE OR device_name = $v COLLATE NOCASE";
            cmd.Parameters.AddWithValue("$v", w);
            int before = ids.Count;
            bool any = false;
            using (var r = cmd.ExecuteReader())
                while (r.Read())
                {
                    any = true;
                    ids.Add(r.GetString(0));
                }
            if (!any && ids.Count == before) throw new UnknownDeviceException(w);
        }
        return ids;
    }

    internal sealed record Row(
        string Device, string? DeviceName, long FirstNs, long LastNs, long Up, long Down, string Destination, string? RemoteName,
        string? Country, string? City, double? Lat, double? Lon, long? Asn, string? Org, string Service, string Protocol)
    {
        public long Bytes => Up + Down;
    }

    private static List<Row> ReadRows(SqliteConnection db, long from, long to, HashSet<string>? devices)
    {
        using var cmd = db.CreateCommand();
        cmd.CommandText = """
            SELECT device, device_name, first_ns, last_ns, bytes_up, bytes_down, destination, remote_name, country, city, lat, lon,
                   asn, org, coalesce(service, proto || '/' || remote_port), proto
            FROM flows WHERE device IS NOT NULL AND first_ns >= $from AND first_ns < $to
            ORDER BY first_ns, id
            """;
        cmd.Parameters.AddWithValue("$from", from);
        cmd.Parameters.AddWithValue("$to", to);
        var rows = new List<Row>();
        using var r = cmd.ExecuteReader();
        while (r.Read())
        {
            string device = r.GetString(0);
            if (devices is not null && !devices.Contains(device)) continue;
            rows.Add(new Row(device, Str(r, 1), r.GetInt64(2), r.GetInt64(3), r.GetInt64(4), r.GetInt64(5), r.GetString(6), Str(r, 7),
                Str(r, 8), Str(r, 9), r.IsDBNull(10) ? null : r.GetDouble(10), r.IsDBNull(11) ? null : r.GetDouble(11),
                r.IsDBNull(12) ? null : r.GetInt64(12), Str(r, 13), r.GetString(14), r.GetString(15)));
        }
        return rows;
    }

    internal sealed record DeviceInfo(string? Name, string? Vendor, string? Group);

    private static Dictionary<string, DeviceInfo> ReadDeviceInfo(SqliteConnection db)
    {
        var all = new Dictionary<string, DeviceInfo>(StringComparer.Ordinal);
        using var cmd = db.CreateCommand();
        cmd.CommandText = "SELECT id, name, vendor, grp FROM devices";
        using var r = cmd.ExecuteReader();
        while (r.Read()) all[r.GetString(0)] = new DeviceInfo(Str(r, 1), Str(r, 2), Str(r, 3));
        return all;
    }

    private static DeviceReport BuildDevice(SqliteConnection db, string id, DeviceInfo? known, List<Row> rows, long from,
        ReportRequest request, TimeZoneInfo tz)
    {
        int top = request.Top;
        long total = rows.Sum(r => r.Bytes);

        var destinations = rows.GroupBy(r => r.Destination, StringComparer.Ordinal).Select(g => new
        {
            Name = g.Key,
            Bytes = g.Sum(r => r.Bytes),
            Flows = (long)g.Count(),
            FirstNs = g.Min(r => r.FirstNs),
            Country = MostBytes(g, r => r.Country),
            Org = MostBytes(g, r => r.Org),
            Days = g.Select(r => LocalDay(r.FirstNs, tz)).Distinct().Count(),
            Intervals = g.Select(r => r.FirstNs / NsPerHour).Distinct().Count(),
        }).OrderByDescending(d => d.Bytes).ThenBy(d => d.Name, StringComparer.Ordinal).ToList();

        var providers = rows.Where(r => r.Asn is not null).GroupBy(r => r.Asn!.Value).Select(g => new
        {
            Asn = g.Key,
            Org = MostBytes(g, r => r.Org),
            Bytes = g.Sum(r => r.Bytes),
            Flows = (long)g.Count(),
            FirstNs = g.Min(r => r.FirstNs),
        }).OrderByDescending(p => p.Bytes).ThenBy(p => p.Asn).ToList();

        var countries = rows.Where(r => r.Country is not null).GroupBy(r => r.Country!, StringComparer.Ordinal).Select(g => new
        {
            Country = g.Key,
            Bytes = g.Sum(r => r.Bytes),
            Flows = (long)g.Count(),
            FirstNs = g.Min(r => r.FirstNs),
        }).OrderByDescending(c => c.Bytes).ThenBy(c => c.Country, StringComparer.Ordinal).ToList();

        var services = rows.GroupBy(r => r.Service, StringComparer.Ordinal)
            .Select(g => new ServiceTotal(g.Key, g.Sum(r => r.Bytes), g.Count()))
            .OrderByDescending(s => s.Bytes).ThenBy(s => s.Service, StringComparer.Ordinal).ToList();

        var quiet = rows.Where(r => request.QuietHours.Contains(TimeOnly.FromDateTime(Local(r.FirstNs, tz).DateTime))).ToList();
        var chatter = new IdleChatter(quiet.Sum(r => r.Bytes), quiet.Count,
            [.. quiet.GroupBy(r => r.Destination, StringComparer.Ordinal)
                .Select(g => new ChatterDestination(g.Key, g.Sum(r => r.Bytes), g.Count()))
                .OrderByDescending(c => c.Bytes).ThenBy(c => c.Name, StringComparer.Ordinal).Take(top)]);

        var seenDestinations = History(db, id, from, "destination");
        var seenProviders = History(db, id, from, "asn");
        var seenCountries = History(db, id, from, "country");

        long top3 = providers.Take(ConcentrationTop).Sum(p => p.Bytes);
        string? name = known?.Name ?? rows.LastOrDefault(r => r.DeviceName is not null)?.DeviceName;
        return new DeviceReport
        {
            Id = id,
            Name = name,
            Vendor = known?.Vendor,
            Group = known?.Group,
            BytesUp = rows.Sum(r => r.Up),
            BytesDown = rows.Sum(r => r.Down),
            Flows = rows.Count,
            FirstSeen = IsoNs(rows.Min(r => r.FirstNs)),
            LastSeen = IsoNs(rows.Max(r => r.LastNs)),
            TopDestinations = [.. destinations.Take(top).Select(d => new DestinationTotal(d.Name, d.Bytes, d.Flows, d.Country, d.Org, d.Days, d.Intervals))],
            Countries = [.. countries.Take(top).Select(c => new CountryTotal(c.Country, c.Bytes, c.Flows))],
            Providers = [.. providers.Take(top).Select(p => new ProviderTotal(p.Asn, p.Org, p.Bytes, p.Flows, Share(p.Bytes, total)))],
            Services = [.. services.Take(top)],
            ProviderConcentration = new Concentration(ConcentrationTop, Share(top3, total)),
            Recurring = [.. destinations.Where(d => d.Days >= RecurringDays || d.Intervals >= RecurringIntervals).Take(top)
                .Select(d => new RecurringDestination(d.Name, d.Days, d.Intervals, d.Bytes))],
            OneOff = [.. destinations.Where(d => d.Intervals == 1).Take(top).Select(d => new OneOffDestination(d.Name, d.Bytes, IsoNs(d.FirstNs)))],
            NewDestinations = [.. destinations.Where(d => !seenDestinations.Contains(d.Name)).Take(top)
                .Select(d => new NewDestination(d.Name, IsoNs(d.FirstNs), d.Bytes))],
            NewProviders = [.. providers.Where(p => !seenProviders.Contains(p.Asn.ToString(CultureInfo.InvariantCulture))).OrderBy(p => p.FirstNs).Take(top)
                .Select(p => new NewProvider(p.Asn, p.Org, IsoNs(p.FirstNs)))],
            NewCountries = [.. countries.Where(c => !seenCountries.Contains(c.Country)).OrderBy(c => c.FirstNs).Take(top)
                .Select(c => new NewCountry(c.Country, IsoNs(c.FirstNs)))],
            IdleChatter = chatter,
        };
    }

    /// <summary>The distinct values of one column over the device's flows before the window (the store's history).</summary>
    private static HashSet<string> History(SqliteConnection db, string device, long before, string column)
    {
        using var cmd = db.CreateCommand();
        cmd.CommandText = $"SELECT DISTINCT {column} FROM flows WHERE device = $d AND first_ns < $before AND {column} IS NOT NULL";
        cmd.Parameters.AddWithValue("$d", device);
        cmd.Parameters.AddWithValue("$before", before);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        using var r = cmd.ExecuteReader();
        while (r.Read()) seen.Add(Convert.ToString(r.GetValue(0), CultureInfo.InvariantCulture)!);
        return seen;
    }

    private static List<MapMarker> Markers(List<Row> rows, Dictionary<string, DeviceInfo> info)
    {
        var tally = new MarkerTally();
        foreach (var r in rows)
        {
            if (r.Lat is not { } lat || r.Lon is not { } lon) continue;
            tally.Add(lat, lon, r.Device, r.Protocol, r.Bytes, 1, r.City, r.Country, r.DeviceName, r.RemoteName, r.Org);
        }
        return tally.Build(MarkerNames, device => info.GetValueOrDefault(device)?.Name);
    }

    /// <summary>The value carrying the most bytes (ties: the smallest), or null when none is known.</summary>
    private static string? MostBytes(IEnumerable<Row> rows, Func<Row, string?> key) =>
        rows.Where(r => key(r) is not null).GroupBy(r => key(r)!, StringComparer.Ordinal)
            .OrderByDescending(g => g.Sum(r => r.Bytes)).ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => g.Key).FirstOrDefault();

    /// <summary>The credit lines the sensor recorded in the store (<c>meta.attribution</c>), else <paramref name="fallback"/>.</summary>
    public static IReadOnlyList<Attribution> ReadAttribution(SqliteConnection db, IReadOnlyList<Attribution> fallback)
    {
        using var cmd = db.CreateCommand();
        cmd.CommandText = "SELECT value FROM meta WHERE key = 'attribution'";
        if (cmd.ExecuteScalar() is not string text) return fallback;
        return
        [
            .. text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line.Split('\t'))
                .Where(p => p.Length == 2).Select(p => new Attribution(p[0], p[1])),
        ];
    }

    private static double Share(long part, long whole) => whole <= 0 ? 0 : Math.Round((double)part / whole, 4);

    private static DateTimeOffset Local(long ns, TimeZoneInfo tz) => TimeZoneInfo.ConvertTime(DateTimeOffset.UnixEpoch.AddTicks(ns / 100), tz);

    private static DateOnly LocalDay(long ns, TimeZoneInfo tz) => DateOnly.FromDateTime(Local(ns, tz).DateTime);

    private static string? Str(SqliteDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);

    private static long? Scalar(SqliteConnection db, string sql)
    {
        using var cmd = db.CreateCommand();
        cmd.CommandText = sql;
        return cmd.ExecuteScalar() is long v ? v : null;
    }

    public static long ToNs(DateTimeOffset t) => (t.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * 100;

    public static string IsoNs(long ns) => Iso(DateTimeOffset.UnixEpoch.AddTicks(ns / 100));

    /// <summary>ISO 8601 UTC, whole seconds: 2026-11-23T10:00:00Z.</summary>
    public static string Iso(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
