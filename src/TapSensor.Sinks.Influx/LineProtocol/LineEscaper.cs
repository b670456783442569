using System.Text;
using System.Text.Unicode;

namespace TapSensor.Sinks.Influx.LineProtocol;

/// <summary>
/// Escaping of line protocol elements, written as UTF-8 straight into the output buffer.
/// <para>
/// The rules (InfluxDB line protocol reference, "Special characters"): a measurement escapes comma and space;
/// tag keys, tag values and field keys escape comma, equals sign and space; string field values are quoted
/// and escape the double quote and the backslash. What the reference leaves open was settled against the real
/// InfluxDB 1.6.7 (the tests replay every case through it):
/// </para>
/// <list type="bullet">
/// <item>A line feed or carriage return cannot appear in a measurement, a tag or a field key: escaped with a
/// backslash it is accepted but read back with the backslash kept. It is written as the two characters
/// <c>\n</c> (or <c>\r</c>), which 1.x and 2.x both read back as exactly those two characters.</item>
/// <item>A backslash in a measurement, tag or field key is literal before an ordinary character in every
/// version. At the end of the text, or before a comma, equals sign, space, double quote, backslash, line feed
/// or carriage return, it would be read as an escape (1.6.7 rejects a trailing one outright, and 2.x reads
/// <c>\\</c> as one backslash while 1.x keeps both), so such a backslash is written as a slash.</item>
/// <item>In a string field value a line feed is kept as is: 1.x and 2.x parse quoted strings across lines.</item>
/// <item>Invalid UTF-16 (a lone surrogate) becomes U+FFFD.</item>
/// </list>
/// </summary>
internal static class LineEscaper
{
    /// <summary>Writes a measurement (<paramref name="measurement"/> true) or a tag key, tag value or field key.</summary>
    public static void WriteName(PointBuffer output, ReadOnlySpan<char> value, bool measurement)
    {
        int max = Encoding.UTF8.GetMaxByteCount(value.Length);
        Span<byte> span = output.GetSpan(2 * max);
        Utf8.FromUtf16(value, span, out _, out int n, replaceInvalidSequences: true);
        output.Advance(EscapeNameInPlace(span, n, measurement));
    }

    /// <summary>Same as <see cref="WriteName(PointBuffer, ReadOnlySpan{char}, bool)"/> for text that is already UTF-8.</summary>
    public static void WriteName(PointBuffer output, ReadOnlySpan<byte> utf8, bool measurement)
    {
        Span<byte> span = output.GetSpan(2 * utf8.Length);
        utf8.CopyTo(span);
        output.Advance(EscapeNameInPlace(span, utf8.Length, measurement));
    }

    /// <summary>Writes a quoted string field value.</summary>
    public static void WriteString(PointBuffer output, ReadOnlySpan<char> value)
    {
        int max = Encoding.UTF8.GetMaxByteCount(value.Length);
        Span<byte> span = output.GetSpan(2 * max + 2);
        Utf8.FromUtf16(value, span[1..], out _, out int n, replaceInvalidSequences: true);
        output.Advance(QuoteInPlace(span, n));
    }

    /// <summary>Writes a quoted string field value from UTF-8 bytes.</summary>
    public static void WriteString(PointBuffer output, ReadOnlySpan<byte> utf8)
    {
        Span<byte> span = output.GetSpan(2 * utf8.Length + 2);
        utf8.CopyTo(span[1..]);
        output.Advance(QuoteInPlace(span, utf8.Length));
    }

    /// <summary>The escaped UTF-8 form of a name, for keys built once and reused (<see cref="LineKey"/>).</summary>
    public static byte[] EscapeName(string value, bool measurement)
    {
        using var buffer = new PointBuffer(256);
        WriteName(buffer, value, measurement);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// Escapes the <paramref name="n"/> UTF-8 bytes at the start of <paramref name="span"/> in place (the span
    /// has room for twice as many); returns the escaped length. All special characters are ASCII, and UTF-8
    /// continuation bytes are never ASCII, so working byte by byte is safe.
    /// </summary>
    private static int EscapeNameInPlace(Span<byte> span, int n, bool measurement)
    {
        int extra = 0;
        for (int i = 0; i < n; i++)
        {
            byte b = span[i];
            if (b == (byte)'\\')
            {
                // Judged on the original next byte: the replacement below never changes a later byte.
                if (i + 1 == n || IsEscapeTarget(span[i + 1])) span[i] = (byte)'/';
            }
            else if (NeedsBackslash(b, measurement)) extra++;
        }
        if (extra == 0) return n;

        int w = n + extra - 1;
        for (int r = n - 1; r >= 0; r--)
        {
            byte b = span[r];
            if (!NeedsBackslash(b, measurement))
            {
                span[w--] = b;
                continue;
            }
            span[w--] = b switch
            {
                (byte)'\n' => (byte)'n',
                (byte)'\r' => (byte)'r',
                _ => b,
            };
            span[w--] = (byte)'\\';
        }
        return n + extra;
    }

    /// <summary>
    /// Quotes the <paramref name="n"/> UTF-8 bytes at <c>span[1..]</c> in place: escapes <c>"</c> and <c>\</c> and
    /// adds the quotes; returns the total length.
    /// </summary>
    private static int QuoteInPlace(Span<byte> span, int n)
    {
        int extra = 0;
        for (int i = 1; i <= n; i++)
        {
            byte b = span[i];
            if (b is (byte)'"' or (byte)'\\') extra++;
        }
        int end = n + extra + 1;
        span[end] = (byte)'"';
        if (extra > 0)
        {
            int w = end - 1;
            for (int r = n; r >= 1; r--)
            {
                byte b = span[r];
                span[w--] = b;
                if (b is (byte)'"' or (byte)'\\') span[w--] = (byte)'\\';
            }
        }
        span[0] = (byte)'"';
        return end + 1;
    }

    private static bool NeedsBackslash(byte b, bool measurement) =>
        b is (byte)',' or (byte)' ' or (byte)'\n' or (byte)'\r' || (b == (byte)'=' && !measurement);

    /// <summary>Characters that a preceding backslash would escape in some InfluxDB version.</summary>
    private static bool IsEscapeTarget(byte b) =>
        b is (byte)',' or (byte)'=' or (byte)' ' or (byte)'"' or (byte)'\\' or (byte)'\n' or (byte)'\r';
}
