namespace TapSensor.Sinks.Influx.LineProtocol;

/// <summary>
/// Finds where lines end in line protocol written by <see cref="LineWriter"/>. A newline can sit inside a
/// quoted string field, and a double quote can sit unescaped in a tag, so a plain search for '\n' or for
/// quotes miscounts; this follows the grammar: the measurement and tags run to the first unescaped space,
/// then fields, where a value opening with <c>="</c> is a string up to its closing unescaped quote, then the
/// timestamp.
/// </summary>
internal static class LineScanner
{
    /// <summary>Index just past the newline ending the line that starts at <paramref name="start"/>; the span's length if none.</summary>
    public static int NextLineEnd(ReadOnlySpan<byte> text, int start)
    {
        const int Series = 0, Fields = 1, Text = 2, Timestamp = 3;
        int state = Series;
        for (int i = start; i < text.Length; i++)
        {
            byte b = text[i];
            switch (state)
            {
                case Series:
                    if (b == (byte)'\\') i++;
                    else if (b == (byte)' ') state = Fields;
                    else if (b == (byte)'\n') return i + 1;
                    break;
                case Fields:
                    if (b == (byte)'\\') i++;
                    else if (b == (byte)'=' && i + 1 < text.Length && text[i + 1] == (byte)'"')
                    {
                        state = Text;
                        i++;
                    }
                    else if (b == (byte)' ') state = Timestamp;
                    else if (b == (byte)'\n') return i + 1;
                    break;
                case Text:
                    if (b == (byte)'\\') i++;
                    else if (b == (byte)'"') state = Fields;
                    break;
                default:
                    if (b == (byte)'\n') return i + 1;
                    break;
            }
        }
        return text.Length;
    }

    /// <summary>Number of lines (points) in <paramref name="text"/>.</summary>
    public static int CountLines(ReadOnlySpan<byte> text)
    {
        int n = 0;
        for (int i = 0; i < text.Length; i = NextLineEnd(text, i)) n++;
        return n;
    }
}
