using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using TapSensor.Geo.Logging;
using TapSensor.Geo.Sources;

namespace TapSensor.Geo;

/// <summary>
/// Place and provider of remote addresses, from databases on this machine; nothing leaves the house.
/// <para>
/// Thread-safe. Special addresses (private, loopback, CGNAT, documentation, ...) return a shared result at once,
/// without touching a database or the cache. Public addresses are cached per address in a bounded CLOCK cache;
/// a repeated address returns the same <see cref="GeoResult"/> instance without allocating. A miss asks the
/// databases in priority order: MaxMind City, DB-IP City, MaxMind Country for the place; GeoLite2-ASN, else the
/// <c>@ip-location-db/asn</c> range table, for the provider. A database that fails a read is counted and the others
/// still answer: Lookup never throws because of data.
/// </para>
/// <para>
/// The databases are re-read when their files change (file-system events, plus polling on size and modification
/// time for file systems that send none): a new immutable snapshot with an empty cache replaces the old one
/// atomically, and the old files close when the last lookup using them ends.
/// </para>
/// Lookups belong to flow creation and export (the aggregator thread), never to the per-packet path.
/// </summary>
public sealed partial class GeoService : IDisposable
{
    private readonly GeoOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly GeoCounters _counters = new();
    private GeoSnapshot _snapshot;

    /// <summary>Opens what it finds in the data folder and logs what it loaded; invalid options throw <see cref="ArgumentException"/>.</summary>
    public GeoService(GeoOptions options, ILogger<GeoService> logger, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentNullException.ThrowIfNull(time);
        var errors = options.Validate();
        if (errors.Count > 0) throw new ArgumentException(string.Join("; ", errors), nameof(options));
        _options = options;
        _logger = logger;
        _time = time;
        DataDirectory = options.ResolveDataDirectory();
        if (!options.Enabled)
        {
            GeoLog.Disabled(logger);
            _snapshot = GeoSnapshotLoader.Empty(0, DataDirectory, options.CacheEntries);
            return;
        }
        _snapshot = GeoSnapshotLoader.Load(0, DataDirectory, options, time, logger, _counters);
        if (options.WatchForChanges) StartWatching();
    }

    /// <summary>The folder the databases are read from.</summary>
    public string DataDirectory { get; }

    /// <summary>Every database file found at the last (re)load, including those that could not be used.</summary>
    public IReadOnlyList<GeoDatabaseInfo> Databases => Volatile.Read(ref _snapshot).Databases;

    /// <summary>Credit lines the loaded data sets require wherever results are shown.</summary>
    public IReadOnlyList<GeoAttribution> Attributions => Volatile.Read(ref _snapshot).Attributions;

    public GeoCounters Counters => _counters;

    /// <summary>0 for the first load, +1 per reload.</summary>
    public long Generation => Volatile.Read(ref _snapshot).Generation;

    /// <summary>Whether any database answers at all.</summary>
    public bool HasData => !Volatile.Read(ref _snapshot).IsEmpty;

    internal GeoSnapshot Snapshot => Volatile.Read(ref _snapshot);
    internal int CacheCount => Volatile.Read(ref _snapshot).Cache.Count;
    internal int CacheCapacity => Volatile.Read(ref _snapshot).Cache.Capacity;

    /// <summary>The in-memory ASN range table, when the CSVs are what gives providers.</summary>
    internal AsnRangeTable? AsnTable =>
        Volatile.Read(ref _snapshot).ProviderSources.OfType<AsnTableSource>().FirstOrDefault()?.Table;

    public GeoResult Lookup(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        Span<byte> b = stackalloc byte[16];
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            address.TryWriteBytes(b, out _);
            return Lookup(0, (0xFFFFUL << 32) | BinaryPrimitives.ReadUInt32BigEndian(b), 4);
        }
        if (address.AddressFamily != AddressFamily.InterNetworkV6) return GeoResult.ForClass(AddressClass.Reserved);
        address.TryWriteBytes(b, out _);
        return Lookup(BinaryPrimitives.ReadUInt64BigEndian(b), BinaryPrimitives.ReadUInt64BigEndian(b[8..]), 6);
    }

    /// <summary>
    /// Looks up an address as TapSensor's flow key holds it: two big-endian halves of the 16 bytes, IPv4 as
    /// ::ffff:a.b.c.d, family 4 or 6.
    /// </summary>
    public GeoResult Lookup(ulong hi, ulong lo, byte family)
    {
        _counters.Lookup();
        var addressClass = AddressClassifier.Classify(hi, lo, family);
        if (addressClass != AddressClass.Public)
        {
            _counters.Special();
            return GeoResult.ForClass(addressClass);
        }
        bool isV4 = AddressClassifier.Normalize(ref hi, ref lo, family);
        var snapshot = Volatile.Read(ref _snapshot);
        if (snapshot.IsEmpty) return GeoResult.PublicUnknown;
        if (snapshot.Cache.TryGet(hi, lo, out var cached))
        {
            _counters.Hit();
            return cached;
        }
        _counters.Miss();
        return Resolve(snapshot, hi, lo, isV4);
    }

    private GeoResult Resolve(GeoSnapshot snapshot, ulong hi, ulong lo, bool isV4)
    {
        int attempts = 0;
        while (!snapshot.TryAcquire())
        {
            // Replaced (and drained) between reading it and getting here: the new one answers.
            snapshot = Volatile.Read(ref _snapshot);
            if (++attempts > 3 || snapshot.IsEmpty) return GeoResult.PublicUnknown;
        }
        try
        {
            var query = new AddressQuery(hi, lo, isV4);
            GeoPlace? place = null;
            foreach (var source in snapshot.PlaceSources)
            {
                if (!source.Answers(isV4)) continue;
                try
                {
                    place = source.FindPlace(ref query);
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    Failed(snapshot, source, ex);
                }
                if (place is not null) break;
            }
            GeoProvider? provider = null;
            foreach (var source in snapshot.ProviderSources)
            {
                if (!source.Answers(isV4)) continue;
                try
                {
                    provider = source.FindProvider(ref query);
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    Failed(snapshot, source, ex);
                }
                if (provider is not null) break;
            }
            var result = place is null && provider is null ? GeoResult.PublicUnknown : new GeoResult(AddressClass.Public, place, provider);
            var stored = snapshot.Cache.GetOrAdd(hi, lo, result, out bool evicted);
            if (evicted) _counters.Evicted();
            return stored;
        }
        finally
        {
            snapshot.Release();
        }
    }

    private void Failed(GeoSnapshot snapshot, GeoSource source, Exception ex)
    {
        _counters.LookupError();
        if (snapshot.FirstLookupError()) GeoLog.LookupFailed(_logger, source.Path, GeoSnapshotLoader.Reason(ex));
    }
}
