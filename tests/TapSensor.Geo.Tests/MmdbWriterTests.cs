using System.Net;
using MaxMind.Db;
using TapSensor.Geo.Tests.Infrastructure;
using TapSensor.Testing.MaxMindDb;

namespace TapSensor.Geo.Tests;

/// <summary>The test writer against MaxMind's own reader: what it writes, MaxMind.Db reads back.</summary>
public sealed class MmdbWriterTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData(24, 4)]
    [InlineData(28, 4)]
    [InlineData(32, 4)]
    [InlineData(24, 6)]
    [InlineData(28, 6)]
    [InlineData(32, 6)]
    public void Every_record_size_and_tree_reads_back_with_MaxMind_Db(int recordSize, int ipVersion)
    {
        var built = new DateTimeOffset(2026, 5, 1, 0, 0, 0, TimeSpan.Zero);
        var writer = new MmdbWriter("Test-DB", ipVersion, recordSize, built, ["en", "de"]);
        var wide = new Dictionary<string, object> { ["name"] = "wide", ["n"] = 70000u };
        writer.Insert("10.0.0.0/8", wide);
        writer.Insert("10.1.2.0/24", new Dictionary<string, object>
        {
            ["name"] = "narrow",
            ["u16"] = (ushort)443,
            ["u64"] = ulong.MaxValue,
            ["i32"] = -5,
            ["d"] = 1.5,
            ["f"] = 2.25f,
            ["yes"] = true,
            ["blob"] = new byte[] { 1, 2, 3 },
            ["list"] = new object[] { "a", "wide", 0u },
            ["long"] = new string('x', 300),
        });
        if (ipVersion == 6) writer.Insert("2001:db8::/32", wide);
        var path = _dir.File($"t{recordSize}-{ipVersion}.mmdb");
        writer.WriteTo(path);

        using var reader = new Reader(path);
        Assert.Equal("Test-DB", reader.Metadata.DatabaseType);
        Assert.Equal(ipVersion, reader.Metadata.IPVersion);
        Assert.Equal(built.UtcDateTime, reader.Metadata.BuildDate);
        Assert.Equal(["en", "de"], reader.Metadata.Languages);

        var w = reader.Find<Dictionary<string, object>>(IPAddress.Parse("10.200.0.1"), out int widePrefix)!;
        Assert.Equal("wide", w["name"]);
        Assert.Equal(70000L, Convert.ToInt64(w["n"]));
        Assert.Equal(9, widePrefix); // 10.1.2.0/24 split 10/8: 10.200.0.1 sits in the 10.128/9 half

        var n = reader.Find<Dictionary<string, object>>(IPAddress.Parse("10.1.2.3"), out int narrowPrefix)!;
        Assert.Equal(24, narrowPrefix);
        Assert.Equal("narrow", n["name"]);
        Assert.Equal(443, Convert.ToInt32(n["u16"]));
        Assert.Equal(ulong.MaxValue.ToString(), n["u64"].ToString());
        Assert.Equal(-5, Convert.ToInt32(n["i32"]));
        Assert.Equal(1.5, n["d"]);
        Assert.Equal(2.25f, n["f"]);
        Assert.Equal(true, n["yes"]);
        Assert.Equal(new byte[] { 1, 2, 3 }, n["blob"]);
        Assert.Equal(new object[] { "a", "wide", 0L }, ((IEnumerable<object>)n["list"]).Select(x => x is string ? x : Convert.ToInt64(x)).ToArray());
        Assert.Equal(300, ((string)n["long"]).Length);

        Assert.Null(reader.Find<Dictionary<string, object>>(IPAddress.Parse("11.0.0.1")));
        if (ipVersion == 6)
            Assert.Equal("wide", reader.Find<Dictionary<string, object>>(IPAddress.Parse("2001:db8::1"))!["name"]);
    }

    [Fact]
    public void A_broken_pointer_opens_but_fails_the_lookup_that_reaches_it()
    {
        var path = _dir.File("broken.mmdb");
        new MmdbWriter("Test-DB", 4, 24).Insert("8.8.8.0/24", "fine").InsertBrokenPointer("9.9.9.0/24").WriteTo(path);
        using var reader = new Reader(path);
        Assert.Equal("fine", reader.Find<string>(IPAddress.Parse("8.8.8.8")));
        Assert.Throws<InvalidDatabaseException>(() => reader.Find<string>(IPAddress.Parse("9.9.9.9")));
    }

    [Fact]
    public void Many_networks_and_repeated_strings_use_pointers_and_still_read_back()
    {
        var path = _dir.File("many.mmdb");
        var writer = new MmdbWriter("Test-DB", 6, 28);
        for (int i = 0; i < 3000; i++)
            writer.Insert($"{10 + i / 256}.{i % 256}.0.0/16", GeoFixtures.FlatCity("US", "California", $"City {i % 40}", i, -i));
        writer.WriteTo(path);
        using var reader = new Reader(path);
        var r = reader.Find<Dictionary<string, object>>(IPAddress.Parse("21.183.1.1"))!; // i = 11*256 + 183 = 2999
        Assert.Equal("City 39", r["city"]);
        Assert.Equal(2999f, r["latitude"]);
        Assert.True(new FileInfo(path).Length < 3000 * 60, "strings repeated across records should be pointers, not copies");
    }
}
