using Microsoft.Extensions.Logging;
using TapSensor.Geo.Tests.Infrastructure;
using TapSensor.Testing.MaxMindDb;

namespace TapSensor.Geo.Tests;

/// <summary>Files that change, vanish, break or age while the sensor runs.</summary>
public sealed class GeoServiceReloadTests : IDisposable
{
    private static readonly DateTimeOffset Built = GeoTestService.Now.AddDays(-3);
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>Replaces a file the way the fetch script and geoipupdate do: write beside it, then rename over it.</summary>
    private void Replace(string name, Action<string> write)
    {
        var temp = _dir.File("." + name + ".partial");
        write(temp);
        File.Move(temp, _dir.File(name), overwrite: true);
    }

    private static Dictionary<string, object> Flat(string city) => GeoFixtures.FlatCity("DE", "Berlin", city, 52.52f, 13.405f);

    [Fact]
    public void Replacing_a_file_is_picked_up_by_the_poll_without_a_restart_and_clears_the_cache()
    {
        GeoFixtures.WriteFreeSet(_dir.Path, Built);
        using var geo = new GeoTestService(_dir.Path, o => o.WatchForChanges = true);
        var before = geo.Lookup("8.8.8.8");
        Assert.Equal("Mountain View", before.Place!.City);

        Replace(GeoFixtures.DbIpV4, p => new MmdbWriter("city ipv4", 4, 24, Built).Insert("8.8.8.0/24", Flat("Berlin")).WriteTo(p));
        geo.Time.Advance(geo.Options.PollInterval);

        var after = geo.Lookup("8.8.8.8");
        Assert.Equal("Berlin", after.Place!.City);
        Assert.Equal(15169, after.Provider!.Asn);        // the CSVs came along unchanged
        Assert.NotSame(before, after);
        Assert.Equal(1, geo.Service.Counters.Reloads);
        Assert.Equal(1, geo.Service.Generation);
        Assert.Contains(geo.Log.Entries, e => e.EventId == 4004);
        // The old result object is untouched (readers may still hold it).
        Assert.Equal("Mountain View", before.Place.City);
    }

    [Fact]
    public void A_file_system_event_reloads_after_the_quiet_period()
    {
        GeoFixtures.WriteFreeSet(_dir.Path, Built);
        using var geo = new GeoTestService(_dir.Path, o => { o.WatchForChanges = true; o.PollInterval = TimeSpan.FromHours(1); });
        Assert.Equal("Mountain View", geo.Lookup("8.8.8.8").Place!.City);

        Replace(GeoFixtures.DbIpV4, p => new MmdbWriter("city ipv4", 4, 24, Built).Insert("8.8.8.0/24", Flat("Hamburg")).WriteTo(p));
        // The watcher's event arrives on another thread; it only arms the settle timer, which runs on the fake clock.
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (geo.Service.Counters.Reloads == 0 && DateTime.UtcNow < deadline)
        {
            geo.Time.Advance(geo.Options.ReloadDelay);
            Thread.Sleep(20);
        }
        Assert.Equal(1, geo.Service.Counters.Reloads);
        Assert.Equal("Hamburg", geo.Lookup("8.8.8.8").Place!.City);
    }

    [Fact]
    public void Unchanged_files_do_not_reload()
    {
        GeoFixtures.WriteFreeSet(_dir.Path, Built);
        using var geo = new GeoTestService(_dir.Path);
        var r = geo.Lookup("8.8.8.8");
        Assert.False(geo.Service.ReloadIfChanged());
        Assert.Same(r, geo.Lookup("8.8.8.8"));
        Assert.Equal(0, geo.Service.Counters.Reloads);
    }

    [Fact]
    public void A_folder_that_appears_later_is_loaded_then()
    {
        var later = Path.Combine(_dir.Path, "later");
        using var geo = new GeoTestService(later);
        Assert.False(geo.Service.HasData);
        Assert.Same(GeoResult.PublicUnknown, geo.Lookup("8.8.8.8"));
        Assert.Contains(geo.Log.Entries, e => e.EventId == 4003 && e.Level == LogLevel.Warning && e.Message.Contains("get-geoip-data.sh"));

        Directory.CreateDirectory(later);
        GeoFixtures.WriteFreeSet(later, Built);
        Assert.True(geo.Service.ReloadIfChanged());
        Assert.Equal("US", geo.Lookup("8.8.8.8").Place!.CountryCode);
    }

    [Fact]
    public void A_corrupt_city_file_is_one_clear_line_and_the_provider_still_works()
    {
        GeoFixtures.WriteFreeSet(_dir.Path, Built);
        File.WriteAllText(_dir.File(GeoFixtures.DbIpV4), "this is not a MaxMind DB file, it is a shopping list\n");
        using var geo = new GeoTestService(_dir.Path);

        var r = geo.Lookup("8.8.8.8");
        Assert.Null(r.Place);
        Assert.Equal(new GeoProvider(15169, "Google LLC"), r.Provider);
        Assert.Equal("CA", geo.Lookup("2001:4860::1").Place!.CountryCode); // the IPv6 file is fine
        var bad = geo.Service.Databases.Single(d => d.FileName == GeoFixtures.DbIpV4);
        Assert.False(bad.Loaded);
        Assert.Contains("not a valid MaxMind DB file", bad.Error);
        var line = Assert.Single(geo.Log.Entries, e => e.EventId == 4002);
        Assert.Equal(LogLevel.Error, line.Level);
        Assert.Contains(GeoFixtures.DbIpV4, line.Message);
        Assert.DoesNotContain("   at ", line.Message);
        Assert.Equal(1, geo.Service.Counters.LoadFailures);
    }

    [Fact]
    public void Empty_files_are_reported_and_skipped()
    {
        GeoFixtures.WriteFreeSet(_dir.Path, Built);
        File.WriteAllBytes(_dir.File(GeoFixtures.DbIpV6), []);
        File.WriteAllBytes(_dir.File(GeoFixtures.AsnV6), []);
        using var geo = new GeoTestService(_dir.Path);
        Assert.Equal("empty", geo.Service.Databases.Single(d => d.FileName == GeoFixtures.DbIpV6).Error!.Split(' ')[^1]);
        Assert.False(geo.Service.Databases.Single(d => d.FileName == GeoFixtures.AsnV6).Loaded);
        Assert.Equal(2, geo.Service.Counters.LoadFailures);
        var r = geo.Lookup("8.8.8.8");
        Assert.Equal("US", r.Place!.CountryCode);
        Assert.Equal(15169, r.Provider!.Asn);
        var v6 = geo.Lookup("2001:4860::1");
        Assert.Null(v6.Place);
        Assert.Null(v6.Provider);
    }

    [Fact]
    public void A_damaged_record_is_counted_the_lookup_still_answers_and_nothing_throws()
    {
        GeoFixtures.WriteFreeSet(_dir.Path, Built);
        new MmdbWriter("city ipv4", 4, 24, Built)
            .Insert("8.8.8.0/24", Flat("Bonn"))
            .InsertBrokenPointer("9.9.9.0/24")
            .WriteTo(_dir.File(GeoFixtures.DbIpV4));
        using var geo = new GeoTestService(_dir.Path);

        var r = geo.Lookup("9.9.9.9");
        Assert.Null(r.Place);
        Assert.Equal(19281, r.Provider!.Asn);
        geo.Lookup("9.9.9.10");
        Assert.Equal(2, geo.Service.Counters.LookupErrors);
        Assert.Single(geo.Log.Entries, e => e.EventId == 4009); // logged once, then counted
        Assert.Equal("Bonn", geo.Lookup("8.8.8.8").Place!.City);
    }

    [Fact]
    public void A_file_of_an_unknown_type_is_ignored_with_a_note()
    {
        new MmdbWriter("GeoIP2-Anonymous-IP", 6, 24, Built).Insert("8.8.8.0/24", new Dictionary<string, object> { ["is_anonymous"] = true })
            .WriteTo(_dir.File("GeoIP2-Anonymous-IP.mmdb"));
        using var geo = new GeoTestService(_dir.Path);
        var info = Assert.Single(geo.Service.Databases);
        Assert.Null(info.Kind);
        Assert.Contains("not one TapSensor reads", info.Error);
        Assert.Contains(geo.Log.Entries, e => e.EventId == 4006);
        Assert.Equal(0, geo.Service.Counters.LoadFailures);
    }

    [Fact]
    public void A_csv_with_malformed_lines_loads_the_good_ones_and_says_how_many_were_skipped()
    {
        GeoFixtures.WriteAsnCsv(_dir.Path, GeoFixtures.AsnV4Csv + "not,a,valid,line\n1.2.3.4\n", GeoFixtures.AsnV6Csv);
        using var geo = new GeoTestService(_dir.Path);
        var info = geo.Service.Databases.Single(d => d.FileName == GeoFixtures.AsnV4);
        Assert.Equal(4, info.RecordCount);
        Assert.Equal(2, info.SkippedRecords);
        Assert.Equal("file date", info.BuildDateSource);
        Assert.Contains(geo.Log.Entries, e => e.EventId == 4005 && e.Message.Contains("skipped 2") && e.Message.Contains("line 5"));
        Assert.Equal(15169, geo.Lookup("8.8.8.8").Provider!.Asn);
    }

    [Fact]
    public void A_database_older_than_30_days_is_reported_with_a_warning()
    {
        GeoFixtures.WriteFreeSet(_dir.Path, GeoTestService.Now.AddDays(-45));
        using var geo = new GeoTestService(_dir.Path);
        var stale = geo.Log.Entries.Where(e => e.EventId == 4001).ToList();
        Assert.Equal(4, stale.Count);
        Assert.All(stale, e => Assert.Equal(LogLevel.Warning, e.Level));
        Assert.Contains(stale, e => e.Message.Contains("45 days ago"));
        Assert.All(geo.Service.Databases, d => Assert.True(d.Stale));
        Assert.Equal(45, (int)geo.Service.Databases[0].Age!.Value.TotalDays);
    }

    [Fact]
    public void A_fresh_database_ages_into_a_warning_on_the_next_reload()
    {
        GeoFixtures.WriteFreeSet(_dir.Path, GeoTestService.Now.AddDays(-29));
        using var geo = new GeoTestService(_dir.Path);
        Assert.DoesNotContain(geo.Log.Entries, e => e.EventId == 4001);
        geo.Time.Advance(TimeSpan.FromDays(2));
        File.SetLastWriteTimeUtc(_dir.File(GeoFixtures.DbIpV4), DateTime.UtcNow.AddMinutes(1)); // touched: reload
        Assert.True(geo.Service.ReloadIfChanged());
        Assert.Contains(geo.Log.Entries, e => e.EventId == 4001 && e.Message.Contains(GeoFixtures.DbIpV4));
    }

    [Fact]
    public void Lookups_running_during_reloads_never_throw_and_always_answer()
    {
        GeoFixtures.WriteFreeSet(_dir.Path, Built);
        using var geo = new GeoTestService(_dir.Path, o => o.CacheEntries = 64);
        using var stop = new CancellationTokenSource();
        using var running = new CountdownEvent(2);
        var readers = Enumerable.Range(0, 2).Select(w => Task.Run(() =>
        {
            long n = 0;
            while (!stop.IsCancellationRequested)
            {
                if (n == 1) running.Signal();
                var r = geo.Service.Lookup(0, 0x0000_FFFF_0808_0800UL | (uint)(n++ & 0xFF), 4);
                Assert.Equal(AddressClass.Public, r.Class);
                Assert.Equal(15169, r.Provider?.Asn ?? 15169);
            }
            return n;
        })).ToArray();
        Assert.True(running.Wait(TimeSpan.FromSeconds(30)), "the readers did not start");
        for (int i = 0; i < 10; i++)
        {
            string city = "City" + i;
            Replace(GeoFixtures.DbIpV4, p => new MmdbWriter("city ipv4", 4, 24, Built).Insert("8.8.8.0/24", Flat(city)).WriteTo(p));
            File.SetLastWriteTimeUtc(_dir.File(GeoFixtures.DbIpV4), DateTime.UtcNow.AddSeconds(i + 1));
            Assert.True(geo.Service.ReloadIfChanged());
        }
        stop.Cancel();
        Assert.All(readers, t => Assert.True(t.Result > 0));
        Assert.Equal(10, geo.Service.Counters.Reloads);
        Assert.Equal("City9", geo.Lookup("8.8.8.8").Place!.City);
    }
}
