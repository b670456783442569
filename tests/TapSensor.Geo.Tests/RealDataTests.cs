using Microsoft.Extensions.Logging;
using TapSensor.Geo.Tests.Infrastructure;

namespace TapSensor.Geo.Tests;

/// <summary>
/// The real DB-IP City Lite and ip-location-db ASN data (scripts/get-geoip-data.sh; CI fetches it): well-known
/// public resolvers resolve to their documented providers and to the countries this data gives them.
/// Resolver operators document their ASNs (Google AS15169, Cloudflare AS13335, Quad9 AS19281). Anycast resolvers
/// have no single location, so the countries asserted are those the DB-IP data records, checked by hand against
/// the 2026-06 release: 8.8.8.8 Mountain View US, 1.1.1.1 Sydney AU (where APNIC, the block's holder, sits),
/// 9.9.9.9 Berkeley US.
/// </summary>
public sealed class RealDataTests(RealDataTests.Loaded loaded) : IClassFixture<RealDataTests.Loaded>
{
    /// <summary>One load for the whole class: reading the 400 000 CSV rows takes about a second.</summary>
    public sealed class Loaded : IDisposable
    {
        internal GeoTestService? Geo { get; } = RealGeoData.Directory is { } dir ? new GeoTestService(dir, now: DateTimeOffset.UtcNow) : null;

        public void Dispose() => Geo?.Dispose();
    }

    private GeoTestService Geo => loaded.Geo!;

    [RealGeoDataTheory]
    [InlineData("8.8.8.8", "US", 15169, "Google")]
    [InlineData("8.8.4.4", "US", 15169, "Google")]
    [InlineData("1.1.1.1", "AU", 13335, "Cloudflare")]
    [InlineData("1.0.0.1", "AU", 13335, "Cloudflare")]
    [InlineData("9.9.9.9", "US", 19281, "Quad9")]
    public void Public_resolvers_resolve_to_their_documented_provider_and_country(string address, string country, long asn, string organisation)
    {
        var r = Geo.Lookup(address);
        Assert.Equal(AddressClass.Public, r.Class);
        Assert.Equal(country, r.Place?.CountryCode);
        Assert.NotNull(r.Place!.Latitude);
        Assert.NotNull(r.Place.Longitude);
        Assert.Equal(asn, r.Provider?.Asn);
        Assert.Contains(organisation, r.Provider!.Organisation, StringComparison.OrdinalIgnoreCase);
    }

    [RealGeoDataFact]
    public void Google_public_DNS_over_IPv6_is_AS15169_and_located_from_the_IPv6_file()
    {
        var r = Geo.Lookup("2001:4860:4860::8888");
        Assert.Equal(15169, r.Provider?.Asn);
        Assert.False(string.IsNullOrEmpty(r.Place?.CountryCode)); // DB-IP 2026-06 says Montreal, CA: anycast, so only "somewhere"
        Assert.Equal(13335, Geo.Lookup("2606:4700:4700::1111").Provider?.Asn);
        Assert.Equal(19281, Geo.Lookup("2620:fe::fe").Provider?.Asn);
    }

    [RealGeoDataFact]
    public void The_real_files_load_cleanly_with_build_dates_and_the_attribution()
    {
        var dbs = Geo.Service.Databases;
        Assert.Equal(4, dbs.Count);
        Assert.All(dbs, d => Assert.True(d.Loaded, d.Error));
        Assert.All(dbs, d => Assert.True(d.BuildDate > new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero)));
        Assert.All(dbs.Where(d => d.Kind == GeoDatabaseKind.DbIpCity), d => Assert.Equal("metadata", d.BuildDateSource));
        var v4 = dbs.Single(d => d.FileName == "asn-ipv4.csv");
        Assert.True(v4.RecordCount > 300_000, $"{v4.RecordCount} rows");
        Assert.Equal(0, v4.SkippedRecords);
        Assert.Equal(0, dbs.Single(d => d.FileName == "asn-ipv6.csv").SkippedRecords);
        Assert.Contains(GeoAttribution.DbIp, Geo.Service.Attributions);
        Assert.DoesNotContain(Geo.Log.Entries, e => e.Level >= LogLevel.Error);
    }

    [RealGeoDataFact]
    public void The_ASN_table_stays_compact()
    {
        var table = Geo.Service.AsnTable!;
        Assert.True(table.V4Ranges > 200_000);
        Assert.True(table.V6Ranges > 50_000);
        Assert.True(table.MemoryBytes < 32L << 20, $"{table.MemoryBytes:N0} bytes");
    }

    [RealGeoDataFact]
    public void Household_addresses_are_never_looked_up()
    {
        long misses = Geo.Service.Counters.CacheMisses;
        foreach (var a in new[] { "192.168.178.1", "10.0.0.2", "fd00::1", "fe80::1", "100.64.3.4", "224.0.0.251" })
            Assert.Null(Geo.Lookup(a).Place);
        Assert.Equal(misses, Geo.Service.Counters.CacheMisses);
    }
}
