using System.Buffers;
using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace TapSensor.Geo.Sources;

/// <summary>What reading one CSV gave.</summary>
internal readonly record struct AsnCsvReadResult(long Rows, long Malformed, long FirstMalformedLine);

/// <summary>
/// Reads <c>@ip-location-db/asn</c> CSV files into an <see cref="AsnRangeTable"/>. The format: no header row;
/// <c>range_start,range_end,asn,organisation</c>; addresses as text (IPv4 dotted, IPv6 RFC 5952); the range is
/// inclusive; an organisation with a comma or quote is quoted with quotes doubled (RFC 4180 §2).
/// A line that does not parse is counted and skipped, never fatal. Overlapping ranges (the published IPv4 file
/// has one) are cut so the range that starts later wins inside it and the earlier one resumes after it.
/// </summary>
internal sealed class AsnRangeTableBuilder
{
    /// <summary>Longest line accepted; real lines are under 200 bytes.</summary>
    internal const int MaxLineBytes = 4096;

    private readonly record struct Range(UInt128 Start, UInt128 End, int Provider);

    private readonly List<Range> _v4 = [];
    private readonly List<Range> _v6 = [];
    private readonly Dictionary<string, int> _orgIds = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _orgLookup;
    private readonly List<string> _orgs = [];
    private readonly Dictionary<(uint Asn, int Org), int> _providerIds = [];
    private readonly List<(uint Asn, int Org)> _providers = [];
    private readonly char[] _chars = new char[MaxLineBytes];

    public AsnRangeTableBuilder() => _orgLookup = _orgIds.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>Reads a whole CSV stream. Lines longer than <see cref="MaxLineBytes"/> count as malformed.</summary>
    public AsnCsvReadResult Add(Stream stream)
    {
        long rows = 0, malformed = 0, firstMalformed = 0, lineNumber = 0;
        byte[] buffer = ArrayPool<byte>.Shared.Rent(1 << 16);
        try
        {
            int filled = 0;
            bool discarding = false; // inside a line that was too long
            bool first = true;
            while (true)
            {
                int n = stream.Read(buffer, filled, buffer.Length - filled);
                bool end = n == 0;
                filled += n;
                int start = 0;
                if (first && filled >= 3 && buffer[0] == 0xEF && buffer[1] == 0xBB && buffer[2] == 0xBF) start = 3; // UTF-8 BOM
                if (filled >= 3) first = false;
                while (true)
                {
                    int nl = buffer.AsSpan(start, filled - start).IndexOf((byte)'\n');
                    if (nl < 0) break;
                    lineNumber++;
                    if (discarding) discarding = false;
                    else Count(buffer.AsSpan(start, nl), lineNumber, ref rows, ref malformed, ref firstMalformed);
                    start += nl + 1;
                }
                if (end)
                {
                    if (start < filled && !discarding)
                    {
                        lineNumber++;
                        Count(buffer.AsSpan(start, filled - start), lineNumber, ref rows, ref malformed, ref firstMalformed);
                    }
                    break;
                }
                buffer.AsSpan(start, filled - start).CopyTo(buffer);
                filled -= start;
                if (filled > MaxLineBytes)
                {
                    // No newline within the limit: count the line once now and drop the rest of it up to its newline.
                    if (!discarding) Malformed(lineNumber + 1, ref malformed, ref firstMalformed);
                    discarding = true;
                    filled = 0;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        return new AsnCsvReadResult(rows, malformed, firstMalformed);
    }

    private void Count(ReadOnlySpan<byte> line, long lineNumber, ref long rows, ref long malformed, ref long firstMalformed)
    {
        if (line.Length > 0 && line[^1] == (byte)'\r') line = line[..^1];
        if (line.IsEmpty) return; // blank lines carry nothing
        if (line.Length <= MaxLineBytes && AddLine(line)) rows++;
        else Malformed(lineNumber, ref malformed, ref firstMalformed);
    }

    private static void Malformed(long lineNumber, ref long malformed, ref long firstMalformed)
    {
        malformed++;
        if (firstMalformed == 0) firstMalformed = lineNumber;
    }

    /// <summary>Parses one line (without its newline); false when it is malformed.</summary>
    internal bool AddLine(ReadOnlySpan<byte> line)
    {
        int c1 = line.IndexOf((byte)',');
        if (c1 <= 0) return false;
        var startText = line[..c1];
        var rest = line[(c1 + 1)..];
        int c2 = rest.IndexOf((byte)',');
        if (c2 <= 0) return false;
        var endText = rest[..c2];
        rest = rest[(c2 + 1)..];
        int c3 = rest.IndexOf((byte)',');
        if (c3 <= 0) return false;
        var asnText = rest[..c3];
        var orgText = rest[(c3 + 1)..];

        if (!TryParseAddress(startText, out var start, out bool startV4)
            || !TryParseAddress(endText, out var end, out bool endV4)
            || startV4 != endV4 || start > end
            || !TryParseAsn(asnText, out uint asn)
            || !TryOrganisation(orgText, out int org))
            return false;

        int provider = ProviderId(asn, org);
        (startV4 ? _v4 : _v6).Add(new Range(start, end, provider));
        return true;
    }

    private int ProviderId(uint asn, int org)
    {
        if (!_providerIds.TryGetValue((asn, org), out int id))
        {
            id = _providers.Count;
            _providers.Add((asn, org));
            _providerIds.Add((asn, org), id);
        }
        return id;
    }

    private static bool TryParseAsn(ReadOnlySpan<byte> text, out uint asn)
    {
        asn = 0;
        if (text.Length > 2 && (text[0] | 0x20) == 'a' && (text[1] | 0x20) == 's') text = text[2..];
        if (text.IsEmpty || text.Length > 10) return false;
        ulong v = 0;
        foreach (byte b in text)
        {
            if (b < '0' || b > '9') return false;
            v = v * 10 + (uint)(b - '0');
        }
        if (v > uint.MaxValue) return false;
        asn = (uint)v;
        return true;
    }

    /// <summary>The organisation field: plain, or quoted with doubled quotes inside; empty means none (-1).</summary>
    private bool TryOrganisation(ReadOnlySpan<byte> text, out int id)
    {
        id = -1;
        if (text.IsEmpty) return true;
        int length;
        if (text[0] == (byte)'"')
        {
            if (text.Length < 2 || text[^1] != (byte)'"') return false;
            var inner = text[1..^1];
            length = 0;
            var chars = _chars.AsSpan();
            int decoded = Encoding.UTF8.GetChars(inner, chars);
            for (int i = 0; i < decoded; i++)
            {
                char c = chars[i];
                if (c == '"')
                {
                    if (i + 1 >= decoded || chars[i + 1] != '"') return false; // a lone quote inside a quoted field
                    i++;
                }
                chars[length++] = c;
            }
        }
        else
        {
            if (text.IndexOf((byte)'"') >= 0) return false; // quotes only inside quoted fields (RFC 4180 §2.5)
            length = Encoding.UTF8.GetChars(text, _chars);
        }
        if (length == 0) return true;
        var name = _chars.AsSpan(0, length);
        if (!_orgLookup.TryGetValue(name, out id))
        {
            id = _orgs.Count;
            string s = name.ToString();
            _orgs.Add(s);
            _orgIds.Add(s, id);
        }
        return true;
    }

    /// <summary>IPv4 dotted quad (as ::ffff:a.b.c.d's low 32 bits) or IPv6 text.</summary>
    internal static bool TryParseAddress(ReadOnlySpan<byte> text, out UInt128 value, out bool v4)
    {
        value = 0;
        v4 = text.IndexOf((byte)':') < 0;
        if (v4)
        {
            if (!TryParseV4(text, out uint a)) return false;
            value = a;
            return true;
        }
        if (text.Length > 45) return false; // longest IPv6 text (with an embedded IPv4 part) is 45 characters
        Span<char> chars = stackalloc char[45];
        for (int i = 0; i < text.Length; i++)
        {
            byte b = text[i];
            if (!(char.IsAsciiHexDigit((char)b) || b == ':' || b == '.')) return false; // no zone ids, no spaces
            chars[i] = (char)b;
        }
        if (!IPAddress.TryParse(chars[..text.Length], out var address) || address.AddressFamily != AddressFamily.InterNetworkV6)
            return false;
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        value = BinaryPrimitives.ReadUInt128BigEndian(bytes);
        return true;
    }

    private static bool TryParseV4(ReadOnlySpan<byte> text, out uint address)
    {
        address = 0;
        int octets = 0, digits = 0;
        uint octet = 0;
        foreach (byte b in text)
        {
            if (b == '.')
            {
                if (digits == 0 || octets == 3) return false;
                address = (address << 8) | octet;
                octets++;
                octet = 0;
                digits = 0;
            }
            else if (b >= '0' && b <= '9' && digits < 3)
            {
                octet = octet * 10 + (uint)(b - '0');
                digits++;
                if (octet > 255) return false;
            }
            else return false;
        }
        if (digits == 0 || octets != 3) return false;
        address = (address << 8) | octet;
        return true;
    }

    public AsnRangeTable Build()
    {
        var v4 = Flatten(_v4);
        var v6 = Flatten(_v6);

        var orgOffsets = new int[_orgs.Count + 1];
        var blob = new byte[_orgs.Sum(o => Encoding.UTF8.GetByteCount(o))];
        int at = 0;
        for (int i = 0; i < _orgs.Count; i++)
        {
            orgOffsets[i] = at;
            at += Encoding.UTF8.GetBytes(_orgs[i], blob.AsSpan(at));
        }
        orgOffsets[_orgs.Count] = at;

        return new AsnRangeTable(
            v4.Select(r => (uint)r.Start).ToArray(), v4.Select(r => (uint)r.End).ToArray(), v4.Select(r => r.Provider).ToArray(),
            v6.Select(r => r.Start).ToArray(), v6.Select(r => r.End).ToArray(), v6.Select(r => r.Provider).ToArray(),
            _providers.Select(p => p.Asn).ToArray(), _providers.Select(p => p.Org).ToArray(), blob, orgOffsets);
    }

    /// <summary>
    /// Sorts ranges and makes them disjoint: inside an overlap the range that starts later (the more specific one,
    /// for nested ranges) wins, and an outer range resumes after an inner one ends. Then joins neighbours with the
    /// same provider. A sweep with a stack of the ranges that contain the current position; O(n log n) for the sort.
    /// </summary>
    private static List<Range> Flatten(List<Range> ranges)
    {
        var sorted = ranges.ToArray();
        Array.Sort(sorted, static (a, b) => a.Start != b.Start ? a.Start.CompareTo(b.Start) : b.End.CompareTo(a.End));
        var output = new List<Range>(sorted.Length);
        var open = new Stack<Range>();
        UInt128 cursor = 0;   // lowest address not yet given to an output range
        bool full = false;    // the whole space up to the maximum has been given out

        void Emit(UInt128 start, UInt128 end, int provider)
        {
            if (full) return;
            if (start < cursor) start = cursor;
            if (start > end) return;
            if (output.Count > 0 && output[^1].Provider == provider && output[^1].End + 1 == start)
                output[^1] = output[^1] with { End = end };
            else
                output.Add(new Range(start, end, provider));
            if (end == UInt128.MaxValue) full = true;
            else cursor = end + 1;
        }

        foreach (var r in sorted)
        {
            while (open.Count > 0 && open.Peek().End < r.Start)
            {
                var done = open.Pop();
                Emit(done.Start, done.End, done.Provider);
            }
            if (open.Count > 0 && r.Start > 0)
            {
                var outer = open.Peek();
                Emit(outer.Start, r.Start - 1, outer.Provider);
            }
            open.Push(r);
        }
        while (open.Count > 0)
        {
            var done = open.Pop();
            Emit(done.Start, done.End, done.Provider);
        }
        return output;
    }
}
