using System.Globalization;
using System.Text;
using TapSensor.Sinks.Influx.LineProtocol;

namespace TapSensor.Sinks.Influx.Tests.LineProtocol;

public sealed class LineWriterTests
{
    private static readonly LineKey M = LineKey.Measurement("m");
    private static readonly LineKey A = LineKey.Key("a");
    private static readonly LineKey Mid = LineKey.Key("mid");
    private static readonly LineKey Z = LineKey.Key("z");
    private static readonly LineKey F = LineKey.Key("f");
    private static readonly LineKey G = LineKey.Key("g");

    private static string Line(Action<LineWriter> fields, long ts = 1_700_000_000_123_456_789, TimestampPrecision p = TimestampPrecision.Nanoseconds,
        SeriesTimestamps? timestamps = null)
    {
        using var b = new PointBuffer(256);
        var w = new LineWriter(p, timestamps);
        w.Begin(b, M);
        fields(w);
        w.End(ts);
        return Encoding.UTF8.GetString(b.WrittenSpan);
    }

    [Fact]
    public void Tags_are_written_sorted_by_key_and_empty_ones_are_left_out()
    {
        string line = Line(w =>
        {
            w.Tag(Z, "3");
            w.Tag(A, "1");
            w.Tag(Mid, "");
            w.Tag(LineKey.Key("b"), (string?)null);
            w.Tag(LineKey.Key("m"), "2");
            w.Field(F, 1L);
        });
        Assert.Equal("m,a=1,m=2,z=3 f=1i 1700000000123456789\n", line);
    }

    [Theory]
    [InlineData(0L, "0i")]
    [InlineData(-42L, "-42i")]
    [InlineData(long.MaxValue, "9223372036854775807i")]
    [InlineData(long.MinValue, "-9223372036854775808i")]
    public void Integers_carry_the_i_suffix(long value, string expected) =>
        Assert.Equal($"m f={expected} 1\n", Line(w => w.Field(F, value), ts: 1));

    [Theory]
    [InlineData(0.1)]
    [InlineData(1e20)]
    [InlineData(-1.5e-300)]
    [InlineData(5e-324)]
    [InlineData(double.MaxValue)]
    [InlineData(3.0)]
    [InlineData(-0.0)]
    [InlineData(51.477928)]
    public void Floats_are_written_in_a_form_that_reads_back_to_the_same_double(double value)
    {
        string line = Line(w => w.Field(F, value), ts: 1);
        string text = line["m f=".Length..line.LastIndexOf(' ')];
        Assert.DoesNotContain("i", text);
        Assert.Equal(BitConverter.DoubleToInt64Bits(value), BitConverter.DoubleToInt64Bits(double.Parse(text, CultureInfo.InvariantCulture)));
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void Non_finite_floats_are_left_out(double value) =>
        Assert.Equal("m g=1i 1\n", Line(w =>
        {
            w.Field(F, value);
            w.Field(G, 1L);
        }, ts: 1));

    [Fact]
    public void Booleans_strings_and_null_fields()
    {
        string line = Line(w =>
        {
            w.Field(F, true);
            w.Field(G, false);
            w.Field(LineKey.Key("s"), "x y");
            w.Field(LineKey.Key("n"), (string?)null);
            w.Field(LineKey.Key("l"), (long?)null);
            w.FieldUtf8(LineKey.Key("u"), "C1"u8);
        }, ts: 1);
        Assert.Equal("m f=true,g=false,s=\"x y\",u=\"C1\" 1\n", line);
    }

    [Fact]
    public void A_point_without_fields_is_rolled_back()
    {
        using var b = new PointBuffer(256);
        b.Write("before\n"u8);
        var w = new LineWriter(TimestampPrecision.Seconds);
        w.Begin(b, M);
        w.Tag(A, "1");
        w.Field(F, double.NaN);
        Assert.False(w.End(1));
        Assert.Equal("before\n", Encoding.UTF8.GetString(b.WrittenSpan));
    }

    [Theory]
    [InlineData(nameof(TimestampPrecision.Nanoseconds), "1700000000123456789")]
    [InlineData(nameof(TimestampPrecision.Microseconds), "1700000000123456")]
    [InlineData(nameof(TimestampPrecision.Milliseconds), "1700000000123")]
    [InlineData(nameof(TimestampPrecision.Seconds), "1700000000")]
    public void Timestamps_are_written_in_the_chosen_precision(string precision, string expected) =>
        Assert.Equal($"m f=1i {expected}\n", Line(w => w.Field(F, 1L), p: Enum.Parse<TimestampPrecision>(precision)));

    [Fact]
    public void Times_before_1970_round_down_to_the_unit_that_contains_them()
    {
        Assert.Equal(-1, TimestampPrecisions.FromNanoseconds(-1, TimestampPrecision.Microseconds));
        Assert.Equal(-2, TimestampPrecisions.FromNanoseconds(-1_000_000_001, TimestampPrecision.Seconds));
        Assert.Equal(0, TimestampPrecisions.FromNanoseconds(999, TimestampPrecision.Microseconds));
    }

    [Theory]
    [InlineData(nameof(TimestampPrecision.Nanoseconds), "ns", "ns")]
    [InlineData(nameof(TimestampPrecision.Microseconds), "u", "us")]
    [InlineData(nameof(TimestampPrecision.Milliseconds), "ms", "ms")]
    [InlineData(nameof(TimestampPrecision.Seconds), "s", "s")]
    public void The_precision_is_spelled_as_each_API_expects(string precision, string v1, string v2)
    {
        var p = Enum.Parse<TimestampPrecision>(precision);
        Assert.Equal(v1, TimestampPrecisions.V1Name(p));
        Assert.Equal(v2, TimestampPrecisions.V2Name(p));
        Assert.True(TimestampPrecisions.TryParse(v2.ToUpperInvariant(), out var parsed));
        Assert.Equal(p, parsed);
    }

    [Fact]
    public void Two_points_of_one_series_at_one_time_get_distinct_timestamps()
    {
        var timestamps = new SeriesTimestamps(1_000_000, 1000);
        using var b = new PointBuffer(256);
        var w = new LineWriter(TimestampPrecision.Microseconds, timestamps);
        for (int i = 0; i < 3; i++)
        {
            w.Begin(b, M);
            w.Tag(A, "same");
            w.Field(F, (long)i);
            w.End(5_000);
        }
        w.Begin(b, M);
        w.Tag(A, "other");
        w.Field(F, 9L);
        w.End(5_000);
        Assert.Equal("m,a=same f=0i 5\nm,a=same f=1i 6\nm,a=same f=2i 7\nm,a=other f=9i 5\n", Encoding.UTF8.GetString(b.WrittenSpan));
        Assert.Equal(3, timestamps.Moved);
    }

    [Fact]
    public void Tags_after_fields_are_a_programming_error()
    {
        using var b = new PointBuffer(256);
        var w = new LineWriter(TimestampPrecision.Seconds);
        w.Begin(b, M);
        w.Field(F, 1L);
        Assert.Throws<InvalidOperationException>(() => w.Tag(A, "x"));
    }

    [Fact]
    public void Writing_a_point_allocates_nothing()
    {
        using var b = new PointBuffer(1 << 20);
        var w = new LineWriter(TimestampPrecision.Microseconds);
        var s = LineKey.Key("s");
        void Write()
        {
            w.Begin(b, M);
            w.Tag(Z, "device 1");
            w.Tag(A, 64_496L);
            w.Field(F, 123L);
            w.Field(G, 0.25);
            w.Field(s, "a \"name\"");
            w.End(1_700_000_000_000_000_000);
        }
        for (int i = 0; i < 100; i++) Write();
        b.Clear();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++) Write();
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
