namespace TapSensor.Geo;

/// <summary>
/// Geolocation settings, bound from <c>TapSensor:Geo</c> (e.g. <c>TAPSENSOR__GEO__DATADIRECTORY</c>). Everything has a
/// working default: with no settings at all the sensor reads whatever databases it finds in the default data folder.
/// </summary>
public sealed class GeoOptions
{
    /// <summary>Configuration path of this section, used in validation messages.</summary>
    public const string Section = "TapSensor:Geo";

    /// <summary>Off: every public address stays unlocated and no file is opened.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Folder with the databases; empty means <see cref="GeoDataDirectory.Default()"/>.</summary>
    public string? DataDirectory { get; set; }

    /// <summary>Bound of the per-address result cache (rounded down to a multiple of 8).</summary>
    public int CacheEntries { get; set; } = 65536;

    /// <summary>Reload when the files change (file-system events plus polling on size and modification time).</summary>
    public bool WatchForChanges { get; set; } = true;

    /// <summary>How often the files are checked when no file-system event arrives (some file systems send none).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Quiet time after the last file-system event before reloading, so a file being copied is read once, whole.</summary>
    public TimeSpan ReloadDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>A database built longer ago than this is reported with a warning (DB-IP and GeoLite2 update monthly).</summary>
    public TimeSpan MaxAge { get; set; } = TimeSpan.FromDays(30);

    /// <summary>The folder actually used: <see cref="DataDirectory"/> as a full path, or the platform default.</summary>
    public string ResolveDataDirectory() =>
        string.IsNullOrWhiteSpace(DataDirectory) ? GeoDataDirectory.Default() : Path.GetFullPath(DataDirectory);

    /// <summary>Every problem with these settings, each naming the setting and what would be valid; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (CacheEntries < 8 || CacheEntries > 1 << 24)
            errors.Add($"{Section}:CacheEntries must be between 8 and {1 << 24}; got {CacheEntries}");
        if (PollInterval < TimeSpan.FromSeconds(1) || PollInterval > TimeSpan.FromDays(1))
            errors.Add($"{Section}:PollInterval must be between 00:00:01 and 1.00:00:00; got {PollInterval}");
        if (ReloadDelay < TimeSpan.Zero || ReloadDelay > TimeSpan.FromMinutes(10))
            errors.Add($"{Section}:ReloadDelay must be between 00:00:00 and 00:10:00; got {ReloadDelay}");
        if (MaxAge < TimeSpan.FromDays(1))
            errors.Add($"{Section}:MaxAge must be at least 1.00:00:00; got {MaxAge}");
        if (!string.IsNullOrWhiteSpace(DataDirectory) && DataDirectory.AsSpan().IndexOfAny(Path.GetInvalidPathChars()) >= 0)
            errors.Add($"{Section}:DataDirectory is not a valid path; got '{DataDirectory}'");
        return errors;
    }
}
