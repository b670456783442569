using System.Text.Json;
using TapSensor.Sinks.Influx.LineProtocol;
using TapSensor.Sinks.Influx.Tests.Infrastructure;
using TapSensor.Sinks.Influx.Writing;

namespace TapSensor.Sinks.Influx.Tests.Integration;

/// <summary>What the line writer writes, the real InfluxDB 1.6.7 reads back exactly (with the documented exceptions).</summary>
[Collection("influxd")]
public sealed class EscapingRoundTripTests(InfluxdFixture influx)
{
    private static readonly HttpClient Http = new();

    /// <summary>Text that needs escaping somewhere, and what InfluxDB gives back for it in a measurement, tag or key.</summary>
    public static readonly (string Name, string Value, string AsName)[] Texts =
    [
        ("space", "a b", "a b"),
        ("comma", "a,b", "a,b"),
        ("equals", "a=b", "a=b"),
        ("quotes", "say \"hi\"", "say \"hi\""),
        ("backslash", @"C:\dir\file", @"C:\dir\file"),
        ("trailing_backslash", @"end\", "end/"),
        ("backslash_before_comma", @"a\,b", "a/,b"),
        ("newline", "line1\nline2", @"line1\nline2"),
        ("crlf", "a\r\nb", @"a\r\nb"),
        ("tab", "a\tb", "a\tb"),
        ("non_ascii", "Wohnzimmer-Lautsprecher ü € ß 東京 😀", "Wohnzimmer-Lautsprecher ü € ß 東京 😀"),
        ("all", "x, y=\"z\" \\ é\n", "x, y=\"z\" / é\\n"),
    ];

    [InfluxdFact]
    public async Task Measurement_tags_and_fields_come_back_as_written()
    {
        string db = "escape_" + Guid.NewGuid().ToString("N")[..8];
        await influx.CreateDatabaseAsync(db);
        const string MeasurementText = "flows, \"odd\" = ü\\x\n";
        const string MeasurementBack = "flows, \"odd\" = ü\\x\\n";

        using var buffer = new PointBuffer();
        var w = new LineWriter(TimestampPrecision.Nanoseconds);
        w.Begin(buffer, LineKey.Measurement(MeasurementText));
        foreach (var (name, value, _) in Texts) w.Tag(LineKey.Key("tag_" + name), value);
        w.Tag(LineKey.Key("key with, = and ü"), "v");
        foreach (var (name, value, _) in Texts) w.Field(LineKey.Key("field_" + name), value);
        w.Field(LineKey.Key("field key, = ü"), "v");
        w.Field(LineKey.Key("int"), long.MinValue + 1);
        w.Field(LineKey.Key("float"), 0.1);
        w.Field(LineKey.Key("big"), 1e300);
        w.Field(LineKey.Key("bool"), true);
        Assert.True(w.End(1_767_225_600_123_456_789));
        await Post(db, buffer);

        var result = await influx.QueryAsync(db, "SELECT * FROM /.*/");
        var series = result.GetProperty("series")[0];
        Assert.Equal(MeasurementBack, series.GetProperty("name").GetString());
        var columns = series.GetProperty("columns").EnumerateArray().Select(c => c.GetString()!).ToList();
        var row = series.GetProperty("values")[0];
        JsonElement Column(string name) => row[columns.IndexOf(name)];

        Assert.Equal(1_767_225_600_123_456_789, Column("time").GetInt64());
        foreach (var (name, value, asName) in Texts)
        {
            Assert.Equal(asName, Column("tag_" + name).GetString());
            Assert.Equal(value, Column("field_" + name).GetString());
        }
        Assert.Equal("v", Column("key with, = and ü").GetString());
        Assert.Equal("v", Column("field key, = ü").GetString());
        Assert.Equal(long.MinValue + 1, Column("int").GetInt64());
        Assert.Equal(0.1, Column("float").GetDouble());
        Assert.Equal(1e300, Column("big").GetDouble());
        Assert.True(Column("bool").GetBoolean());
    }

    [InfluxdFact]
    public async Task Every_precision_lands_on_the_same_instant()
    {
        string db = "precision_" + Guid.NewGuid().ToString("N")[..8];
        await influx.CreateDatabaseAsync(db);
        foreach (var p in Enum.GetValues<TimestampPrecision>())
        {
            using var buffer = new PointBuffer();
            var w = new LineWriter(p);
            w.Begin(buffer, LineKey.Measurement("p"));
            w.Tag(LineKey.Key("precision"), p.ToString());
            w.Field(LineKey.Key("v"), 1L);
            w.End(1_767_225_600_123_456_789);
            await Post(db, buffer, p);
        }
        var result = await influx.QueryAsync(db, "SELECT v FROM p GROUP BY precision");
        var times = result.GetProperty("series").EnumerateArray().ToDictionary(
            s => s.GetProperty("tags").GetProperty("precision").GetString()!, s => s.GetProperty("values")[0][0].GetInt64());
        Assert.Equal(1_767_225_600_123_456_789, times["Nanoseconds"]);
        Assert.Equal(1_767_225_600_123_456_000, times["Microseconds"]);
        Assert.Equal(1_767_225_600_123_000_000, times["Milliseconds"]);
        Assert.Equal(1_767_225_600_000_000_000, times["Seconds"]);
    }

    private async Task Post(string db, PointBuffer lines, TimestampPrecision precision = TimestampPrecision.Nanoseconds)
    {
        using var gzip = new PointBuffer();
        Gzip.Compress(lines.WrittenSpan, gzip);
        var content = new ByteArrayContent(gzip.WrittenSpan.ToArray());
        content.Headers.ContentEncoding.Add("gzip");
        using var r = await Http.PostAsync($"{influx.Url}/write?db={db}&precision={TimestampPrecisions.V1Name(precision)}", content);
        Assert.True(r.StatusCode == System.Net.HttpStatusCode.NoContent, await r.Content.ReadAsStringAsync());
    }
}
