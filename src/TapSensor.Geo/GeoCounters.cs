namespace TapSensor.Geo;

/// <summary>
/// Lookup and reload counters. Lookups run at flow rate (a flow's creation or export), not per packet, so the
/// counters are plain interlocked increments; readers get a consistent-enough view with volatile reads.
/// </summary>
public sealed class GeoCounters
{
    private long _lookups;
    private long _cacheHits;
    private long _cacheMisses;
    private long _specialRangeSkips;
    private long _cacheEvictions;
    private long _lookupErrors;
    private long _reloads;
    private long _loadFailures;

    /// <summary>Every call to Lookup.</summary>
    public long Lookups => Volatile.Read(ref _lookups);
    public long CacheHits => Volatile.Read(ref _cacheHits);
    /// <summary>Public addresses not in the cache: these read the databases.</summary>
    public long CacheMisses => Volatile.Read(ref _cacheMisses);
    /// <summary>Private, loopback, link-local, multicast, CGNAT, documentation and other special addresses: never looked up.</summary>
    public long SpecialRangeSkips => Volatile.Read(ref _specialRangeSkips);
    public long CacheEvictions => Volatile.Read(ref _cacheEvictions);
    /// <summary>Database reads that threw (a damaged file); the lookup returned what the other databases gave.</summary>
    public long LookupErrors => Volatile.Read(ref _lookupErrors);
    /// <summary>Reloads after the files changed (the first load is not counted).</summary>
    public long Reloads => Volatile.Read(ref _reloads);
    /// <summary>Files that could not be loaded, over all loads.</summary>
    public long LoadFailures => Volatile.Read(ref _loadFailures);

    internal void Lookup() => Interlocked.Increment(ref _lookups);
    internal void Hit() => Interlocked.Increment(ref _cacheHits);
    internal void Miss() => Interlocked.Increment(ref _cacheMisses);
    internal void Special() => Interlocked.Increment(ref _specialRangeSkips);
    internal void Evicted() => Interlocked.Increment(ref _cacheEvictions);
    internal void LookupError() => Interlocked.Increment(ref _lookupErrors);
    internal void Reloaded() => Interlocked.Increment(ref _reloads);
    internal void LoadFailed(int count) => Interlocked.Add(ref _loadFailures, count);
}
