using System.Globalization;
using System.Text;
using System.Text.Json;

namespace TapSensor.Sinks.Influx.Writing;

/// <summary>
/// Reads InfluxDB's error bodies. Shapes seen or documented:
/// <list type="bullet">
/// <item>1.x: <c>{"error":"partial write: unable to parse 'LINE': REASON\nunable to parse 'LINE': REASON dropped=0"}</c>;
/// the parsable lines were stored, each unparsable one is named, and <c>dropped=N</c> counts points refused for
/// other reasons (type conflict, outside retention). Without "partial write" (e.g. <c>field type conflict</c>
/// inside one batch) nothing was stored. Checked against InfluxDB 1.6.7.</item>
/// <item>2.x: <c>{"code":"invalid","message":"..."}</c> with the same engine texts (partial write ... dropped=N).</item>
/// <item>3.x: <c>{"error":"partial write of line protocol occurred","data":[{"original_line":...,"line_number":...,"error_message":...}]}</c>,
/// one entry per refused line.</item>
/// </list>
/// </summary>
internal static class WriteErrors
{
    private const int MaxMessage = 64 * 1024;

    /// <summary>The human-readable message of an error body (the JSON <c>error</c> or <c>message</c>, else the text).</summary>
    public static string MessageOf(string body, out int? listedLines)
    {
        listedLines = null;
        if (body.Length > MaxMessage) body = body[..MaxMessage];
        string trimmed = body.Trim();
        if (trimmed.StartsWith('{'))
        {
            try
            {
                using var doc = JsonDocument.Parse(trimmed);
                var root = doc.RootElement;
                if (root.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Array)
                    listedLines = data.GetArrayLength();
                string? message = null;
                if (root.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.String) message = e.GetString();
                else if (root.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String) message = m.GetString();
                if (message is not null) return message;
            }
            catch (JsonException)
            {
                // not JSON after all: use the text
            }
        }
        return trimmed;
    }

    /// <summary>How many of <paramref name="points"/> a 4xx refused, read from its message; the whole batch when it does not say.</summary>
    public static int CountRejected(string message, int? listedLines, int points)
    {
        if (listedLines is > 0) return Math.Min(points, listedLines.Value);
        if (!message.Contains("partial write", StringComparison.OrdinalIgnoreCase)) return points;
        long n = Occurrences(message, "unable to parse");
        int at = message.LastIndexOf("dropped=", StringComparison.Ordinal);
        bool counted = n > 0;
        if (at >= 0)
        {
            int start = at + "dropped=".Length, end = start;
            while (end < message.Length && char.IsAsciiDigit(message[end])) end++;
            if (end > start && long.TryParse(message.AsSpan(start, end - start), NumberStyles.None, CultureInfo.InvariantCulture, out long dropped))
            {
                n += dropped;
                counted = true;
            }
        }
        return counted ? (int)Math.Min(points, n) : points;
    }

    /// <summary>
    /// The message with the quoted lines taken out (<c>unable to parse &lt;line&gt;: REASON</c>): rejected lines hold
    /// household data (addresses, names), which logs above Debug must not.
    /// </summary>
    public static string WithoutLines(string message)
    {
        const string Marker = "unable to parse '";
        var sb = new StringBuilder(Math.Min(message.Length, 1024));
        int i = 0;
        while (i < message.Length && sb.Length < 1024)
        {
            int at = message.IndexOf(Marker, i, StringComparison.Ordinal);
            if (at < 0)
            {
                sb.Append(message, i, Math.Min(message.Length - i, 1024));
                break;
            }
            sb.Append(message, i, at - i).Append("unable to parse <line>");
            int end = message.IndexOf("': ", at + Marker.Length, StringComparison.Ordinal);
            if (end < 0) break;
            i = end + 1;
        }
        return sb.Length > 1024 ? sb.ToString(0, 1024) + "..." : sb.ToString();
    }

    private static long Occurrences(string text, string what)
    {
        long n = 0;
        for (int i = text.IndexOf(what, StringComparison.Ordinal); i >= 0; i = text.IndexOf(what, i + what.Length, StringComparison.Ordinal)) n++;
        return n;
    }
}
