using System.Text;
using TapSensor.Sinks.Influx.LineProtocol;

namespace TapSensor.Sinks.Influx.Tests.LineProtocol;

public sealed class LineEscaperTests
{
    private static string Name(string value, bool measurement)
    {
        using var b = new PointBuffer(256);
        LineEscaper.WriteName(b, value, measurement);
        return Encoding.UTF8.GetString(b.WrittenSpan);
    }

    private static string Quoted(string value)
    {
        using var b = new PointBuffer(256);
        LineEscaper.WriteString(b, value);
        return Encoding.UTF8.GetString(b.WrittenSpan);
    }

    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("a b", @"a\ b")]
    [InlineData("a,b", @"a\,b")]
    [InlineData("a=b", @"a\=b")]
    [InlineData(" ,= ", @"\ \,\=\ ")]
    [InlineData("say \"hi\"", "say\\ \"hi\"")]
    [InlineData(@"C:\dir", @"C:\dir")]
    [InlineData(@"end\", "end/")]
    [InlineData(@"a\,b", @"a/\,b")]
    [InlineData(@"a\ b", @"a/\ b")]
    [InlineData(@"a\=b", @"a/\=b")]
    [InlineData(@"a\""b", "a/\"b")]
    [InlineData(@"a\\b", @"a/\b")]
    [InlineData("line1\nline2", @"line1\nline2")]
    [InlineData("cr\r\nlf", @"cr\r\nlf")]
    [InlineData("a\\\nb", @"a/\nb")]
    [InlineData("tab\there", "tab\there")]
    [InlineData("Wohnzimmer-Lautsprecher ü €", @"Wohnzimmer-Lautsprecher\ ü\ €")]
    [InlineData("😀,", @"😀\,")]
    public void Tag_keys_tag_values_and_field_keys_escape_comma_equals_space_and_defuse_newlines_and_backslashes(string value, string expected) =>
        Assert.Equal(expected, Name(value, measurement: false));

    [Theory]
    [InlineData("flows", "flows")]
    [InlineData("a b,c", @"a\ b\,c")]
    [InlineData("a=b", "a=b")]
    [InlineData(@"a\=b", @"a/=b")]
    [InlineData("x\ny", @"x\ny")]
    [InlineData(@"trailing\", "trailing/")]
    public void A_measurement_escapes_comma_and_space_but_not_equals(string value, string expected) =>
        Assert.Equal(expected, Name(value, measurement: true));

    [Theory]
    [InlineData("plain", "\"plain\"")]
    [InlineData("say \"hi\"", "\"say \\\"hi\\\"\"")]
    [InlineData(@"C:\dir\", "\"C:\\\\dir\\\\\"")]
    [InlineData("a, b = c", "\"a, b = c\"")]
    [InlineData("two\nlines\r\n", "\"two\nlines\r\n\"")]
    [InlineData("", "\"\"")]
    [InlineData("ünï 😀", "\"ünï 😀\"")]
    public void String_fields_are_quoted_and_escape_quotes_and_backslashes_only(string value, string expected) =>
        Assert.Equal(expected, Quoted(value));

    [Fact]
    public void A_lone_surrogate_becomes_the_replacement_character() =>
        Assert.Equal("a\uFFFDb", Name("a\uD800b", measurement: false));

    [Fact]
    public void Utf8_input_escapes_like_utf16_input()
    {
        using var b = new PointBuffer(64);
        LineEscaper.WriteString(b, "q\"\\"u8);
        Assert.Equal("\"q\\\"\\\\\"", Encoding.UTF8.GetString(b.WrittenSpan));
    }

    [Fact]
    public void Long_values_grow_the_buffer()
    {
        string value = string.Concat(Enumerable.Repeat("a b,", 50_000));
        using var b = new PointBuffer(256);
        LineEscaper.WriteName(b, value, measurement: false);
        Assert.Equal(value.Replace(" ", "\\ ").Replace(",", "\\,"), Encoding.UTF8.GetString(b.WrittenSpan));
    }

    [Theory]
    [InlineData("")]
    [InlineData("time")]
    public void Keys_InfluxDB_refuses_are_refused(string key) => Assert.Throws<ArgumentException>(() => LineKey.Key(key));

    [Fact]
    public void A_measurement_cannot_start_like_a_comment() => Assert.Throws<ArgumentException>(() => LineKey.Measurement("#flows"));
}
