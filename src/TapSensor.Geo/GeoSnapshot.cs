using TapSensor.Geo.Sources;

namespace TapSensor.Geo;

/// <summary>
/// Everything one (re)load produced: the open databases in priority order, what was found, the attributions and a
/// fresh cache. Immutable once published; a reload publishes a new one. Readers that need the databases hold a
/// reference (a count) so that the files of a replaced snapshot are closed only after the last lookup using them.
/// </summary>
internal sealed class GeoSnapshot
{
    private int _references = 1; // the service's own reference, dropped by Retire
    private int _lookupErrorLogged;

    public GeoSnapshot(long generation, string directory, string signature, GeoSource[] placeSources, GeoSource[] providerSources,
        IReadOnlyList<GeoDatabaseInfo> databases, IReadOnlyList<GeoAttribution> attributions, int cacheEntries)
    {
        Generation = generation;
        Directory = directory;
        Signature = signature;
        PlaceSources = placeSources;
        ProviderSources = providerSources;
        Databases = databases;
        Attributions = attributions;
        Cache = new GeoCache(cacheEntries);
    }

    public long Generation { get; }
    public string Directory { get; }
    /// <summary>Names, sizes and modification times of the files this snapshot was loaded from.</summary>
    public string Signature { get; }
    public GeoSource[] PlaceSources { get; }
    public GeoSource[] ProviderSources { get; }
    public IReadOnlyList<GeoDatabaseInfo> Databases { get; }
    public IReadOnlyList<GeoAttribution> Attributions { get; }
    public GeoCache Cache { get; }

    public bool IsEmpty => PlaceSources.Length == 0 && ProviderSources.Length == 0;

    /// <summary>True for the first failed lookup only: one log line per load, the rest are counted.</summary>
    public bool FirstLookupError() => Interlocked.Exchange(ref _lookupErrorLogged, 1) == 0;

    /// <summary>Takes a reference unless the snapshot has been retired and drained.</summary>
    public bool TryAcquire()
    {
        while (true)
        {
            int current = Volatile.Read(ref _references);
            if (current == 0) return false;
            if (Interlocked.CompareExchange(ref _references, current + 1, current) == current) return true;
        }
    }

    public void Release()
    {
        if (Interlocked.Decrement(ref _references) == 0) Close();
    }

    /// <summary>Drops the service's reference; the files close when the last lookup still using them ends.</summary>
    public void Retire() => Release();

    private void Close()
    {
        foreach (var s in PlaceSources) s.Dispose();
        foreach (var s in ProviderSources) s.Dispose();
    }
}
