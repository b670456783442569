using System.Globalization;
using System.Net;

namespace TapSensor.Testing.Tshark;

/// <summary>One row of a <c>-z conv,tcp</c> or <c>-z conv,udp</c> table.</summary>
/// <param name="Protocol">6 or 17.</param>
/// <param name="FramesXToY">The "-&gt;" column: frames from the left endpoint to the right one.</param>
/// <param name="FramesYToX">The "&lt;-" column.</param>
public sealed record TsharkConvRow(byte Protocol, IPAddress X, ushort PortX, IPAddress Y, ushort PortY, long FramesXToY, long FramesYToX);

/// <summary>
/// Parses tshark 4.0's conversation tables (<c>tshark -n -r FILE -q -z conv,tcp -z conv,udp</c>):
/// <code>
/// TCP Conversations
///                                 |       &lt;-      | |       -&gt;      | |     Total     |  Relative  | Duration |
///                                 | Frames  Bytes | | Frames  Bytes | | Frames  Bytes |    Start   |          |
/// 192.168.2.16:32996 &lt;-&gt; 216.239.38.120:443   15 11 kB   17 1949 bytes   32 13 kB   101.380064000   0.7541
/// fe80::4e6a:f6ff:fe9f:f627:546 &lt;-&gt; ff02::1:2:547   0 0 bytes   2 228 bytes   2 228 bytes   96.676445000   2.1580
/// </code>
/// Endpoints are "address:port" without brackets even for IPv6, so the port is what follows the last
/// colon. Byte columns are rounded with a unit ("11 kB") and are not used: byte sums come from the
/// field pass. Frame counts are exact; the "-&gt;" column counts frames from the left endpoint.
/// </summary>
public static class TsharkConvTable
{
    public static List<TsharkConvRow> Parse(TextReader reader)
    {
        var rows = new List<TsharkConvRow>();
        byte protocol = 0;
        for (string? line = reader.ReadLine(); line is not null; line = reader.ReadLine())
        {
            if (line.StartsWith("TCP Conversations", StringComparison.Ordinal)) protocol = 6;
            else if (line.StartsWith("UDP Conversations", StringComparison.Ordinal)) protocol = 17;
            else if (line.StartsWith("=====", StringComparison.Ordinal)) continue;
            else if (protocol != 0 && line.Contains(" <-> ", StringComparison.Ordinal)) rows.Add(ParseRow(protocol, line));
        }
        return rows;
    }

    /// <summary>
    /// Tokens: X, "&lt;-&gt;", Y, then frames/bytes/unit for "&lt;-", for "-&gt;" and for the total, then the
    /// relative start and the duration: 14 in all.
    /// </summary>
    public static TsharkConvRow ParseRow(byte protocol, string line)
    {
        string[] t = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (t.Length != 14 || t[1] != "<->")
            throw new FormatException($"unexpected conversation row ({t.Length} tokens): {line}");

        (IPAddress x, ushort px) = ParseEndpoint(t[0], line);
        (IPAddress y, ushort py) = ParseEndpoint(t[2], line);
        long yToX = ParseCount(t[3], line);
        long xToY = ParseCount(t[6], line);
        long total = ParseCount(t[9], line);
        if (xToY + yToX != total)
            throw new FormatException($"frame columns do not add up to the total: {line}");
        return new TsharkConvRow(protocol, x, px, y, py, xToY, yToX);
    }

    /// <summary>"addr:port", where addr may itself contain colons (IPv6) and even end with "::".</summary>
    public static (IPAddress Address, ushort Port) ParseEndpoint(string endpoint, string line)
    {
        int colon = endpoint.LastIndexOf(':');
        if (colon <= 0
            || !IPAddress.TryParse(endpoint.AsSpan(0, colon), out IPAddress? address)
            || !ushort.TryParse(endpoint.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out ushort port))
            throw new FormatException($"cannot read endpoint '{endpoint}' (was tshark run without -n?): {line}");
        return (address, port);
    }

    private static long ParseCount(string token, string line) =>
        long.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out long n)
            ? n
            : throw new FormatException($"'{token}' is not a frame count: {line}");
}
