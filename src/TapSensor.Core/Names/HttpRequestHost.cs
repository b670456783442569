namespace TapSensor.Core.Names;

/// <summary>
/// The Host of the first HTTP/1.x request on a client-to-server TCP stream (RFC 9112 §3, RFC 9110 §7.2), without
/// its port. Only the first <see cref="MaxInspected"/> bytes are read. Lines may end in CRLF or a bare LF, which
/// RFC 9112 §2.2 lets a recipient accept.
/// <para>
/// Order of preference: the Host header field; with none, the authority of a CONNECT target (authority-form,
/// RFC 9112 §3.2.3) or of an absolute-form target (§3.2.2), as proxies see them. While the request line or the
/// header section is incomplete and no Host has been seen, the answer is <see cref="NameParse.NeedMore"/>.
/// </para>
/// </summary>
public static class HttpRequestHost
{
    /// <summary>Bytes of the stream inspected; past them without a Host the answer is <see cref="NameParse.NotFound"/>.</summary>
    public const int MaxInspected = 8 * 1024;

    /// <summary>Header lines read (Kestrel's default limit is 100 header fields); each one costs a scan.</summary>
    public const int MaxHeaderLines = 256;

    /// <summary>The request methods recognised (RFC 9110 §9.1 and RFC 5789 PATCH).</summary>
    private static readonly byte[][] Methods =
    [
        "GET"u8.ToArray(), "POST"u8.ToArray(), "HEAD"u8.ToArray(), "PUT"u8.ToArray(), "DELETE"u8.ToArray(),
        "OPTIONS"u8.ToArray(), "PATCH"u8.ToArray(), "CONNECT"u8.ToArray(), "TRACE"u8.ToArray(),
    ];

    private const int ConnectMethod = 7;

    /// <param name="stream">The client-to-server stream from its first byte.</param>
    /// <param name="host">On <see cref="NameParse.Found"/>, a slice of <paramref name="stream"/>: the host without
    /// port, an IPv6 literal without its brackets.</param>
    public static NameParse TryGetHost(ReadOnlySpan<byte> stream, out ReadOnlySpan<byte> host)
    {
        host = default;
        bool cut = stream.Length > MaxInspected;
        ReadOnlySpan<byte> window = cut ? stream[..MaxInspected] : stream;
        // Past the window the request can never complete for us: stop asking for more.
        NameParse incomplete = cut ? NameParse.NotFound : NameParse.NeedMore;

        int method = MatchMethod(window, out bool partial);
        if (partial) return NameParse.NeedMore;
        if (method < 0) return NameParse.NotApplicable;
        int afterMethod = Methods[method].Length;

        int lineEnd = window.IndexOf((byte)'\n');
        ReadOnlySpan<byte> requestLine = lineEnd < 0 ? window[afterMethod..] : window[afterMethod..lineEnd];
        if (!IsRequestLineRest(requestLine, complete: lineEnd >= 0, out int targetStart, out int targetLength))
            return NameParse.NotApplicable;
        if (lineEnd < 0) return incomplete;
        ReadOnlySpan<byte> target = requestLine.Slice(targetStart, targetLength);

        int p = lineEnd + 1;
        bool hostFolded = false; // a Host line with an empty value: an obs-fold continuation may carry it
        for (int n = 0; n < MaxHeaderLines; n++)
        {
            int length = window[p..].IndexOf((byte)'\n');
            if (length < 0) return incomplete;
            ReadOnlySpan<byte> line = TrimCr(window.Slice(p, length));
            p += length + 1;

            if (line.IsEmpty) return FromTarget(target, method == ConnectMethod, out host); // end of the header section
            if (line[0] is (byte)' ' or (byte)'\t')
            {
                // obs-fold (RFC 9112 §5.2): this line continues the previous field's value.
                if (!hostFolded) continue;
                ReadOnlySpan<byte> folded = TrimWhitespace(line);
                if (!folded.IsEmpty) return WithoutPort(folded, out host);
                continue;
            }
            hostFolded = false;

            int colon = line.IndexOf((byte)':');
            // field-name = token, and no whitespace between it and the colon (RFC 9110 §5.1, RFC 9112 §5.1).
            if (colon <= 0 || !IsToken(line[..colon])) return NameParse.Malformed;
            if (colon != 4 || !IsHostIgnoringCase(line[..4])) continue;

            ReadOnlySpan<byte> value = TrimWhitespace(line[(colon + 1)..]);
            if (value.IsEmpty)
            {
                hostFolded = true;
                continue;
            }
            return WithoutPort(value, out host);
        }
        return NameParse.NotFound;
    }

    /// <summary>
    /// Index of the method the stream starts with, followed by whitespace; -1 if none. <paramref name="partial"/>
    /// when the stream is too short to tell.
    /// </summary>
    private static int MatchMethod(ReadOnlySpan<byte> stream, out bool partial)
    {
        partial = false;
        for (int i = 0; i < Methods.Length; i++)
        {
            ReadOnlySpan<byte> m = Methods[i];
            if (stream.Length > m.Length)
            {
                if (stream.StartsWith(m) && IsLineSpace(stream[m.Length])) return i;
            }
            else if (m.StartsWith(stream))
            {
                partial = true;
                return -1;
            }
        }
        return -1;
    }

    /// <summary>
    /// The request line after the method: request-target and "HTTP/1." DIGIT (RFC 9112 §3, §2.3). The grammar wants
    /// single spaces, but §3 lets a recipient split on runs of whitespace (SP, HTAB, VT, FF, bare CR) and ignore
    /// trailing whitespace, as servers do. Servers also take a target with spaces in it when the line ends in the
    /// version, and so do we: requests shaped that way to slip past inspection still give their Host. Control bytes
    /// make it something else. An incomplete line can still become a request unless it holds a control byte.
    /// </summary>
    private static bool IsRequestLineRest(ReadOnlySpan<byte> rest, bool complete, out int targetStart, out int targetLength)
    {
        targetStart = SkipLineSpace(rest, 0);
        targetLength = 0;
        for (int i = targetStart; i < rest.Length; i++)
        {
            byte b = rest[i];
            if (b < 0x20 && !IsLineSpace(b) || b == 0x7F) return false;
        }
        if (!complete) return true;

        ReadOnlySpan<byte> expected = "HTTP/1."u8;
        int versionLength = expected.Length + 1;
        int end = rest.Length;
        while (end > targetStart && IsLineSpace(rest[end - 1])) end--;
        if (end - targetStart < versionLength + 2) return false; // at least a target byte and a space before the version
        ReadOnlySpan<byte> version = rest[(end - versionLength)..end];
        if (!version.StartsWith(expected) || !char.IsAsciiDigit((char)version[^1])) return false;

        int targetEnd = end - versionLength;
        if (!IsLineSpace(rest[targetEnd - 1])) return false;
        while (targetEnd > targetStart && IsLineSpace(rest[targetEnd - 1])) targetEnd--;
        targetLength = targetEnd - targetStart;
        return targetLength > 0;
    }

    private static bool IsLineSpace(byte b) => b is (byte)' ' or (byte)'\t' or 0x0B or 0x0C or (byte)'\r';

    private static int SkipLineSpace(ReadOnlySpan<byte> line, int p)
    {
        while (p < line.Length && IsLineSpace(line[p])) p++;
        return p;
    }

    /// <summary>No Host field: the authority of a CONNECT or absolute-form target, else nothing.</summary>
    private static NameParse FromTarget(ReadOnlySpan<byte> target, bool connect, out ReadOnlySpan<byte> host)
    {
        host = default;
        if (connect) return WithoutPort(target, out host);

        // absolute-URI = scheme ":" hier-part; the scheme starts with a letter (RFC 3986 §3.1).
        int scheme = target.IndexOf("://"u8);
        if (scheme <= 0 || !char.IsAsciiLetter((char)target[0])) return NameParse.NotFound;
        ReadOnlySpan<byte> authority = target[(scheme + 3)..];
        int end = authority.IndexOfAny((byte)'/', (byte)'?', (byte)'#');
        if (end >= 0) authority = authority[..end];
        int at = authority.LastIndexOf((byte)'@'); // userinfo (RFC 3986 §3.2.1)
        if (at >= 0) authority = authority[(at + 1)..];
        return authority.IsEmpty ? NameParse.NotFound : WithoutPort(authority, out host);
    }

    /// <summary>
    /// host [":" port] (RFC 9110 §7.2, RFC 3986 §3.2.2): the port goes; an IP-literal loses its brackets. A value
    /// with several colons and no brackets is an unbracketed IPv6 address and is returned whole.
    /// </summary>
    private static NameParse WithoutPort(ReadOnlySpan<byte> value, out ReadOnlySpan<byte> host)
    {
        host = default;
        if (value[0] == (byte)'[')
        {
            int close = value.IndexOf((byte)']');
            if (close <= 1) return NameParse.Malformed;
            ReadOnlySpan<byte> after = value[(close + 1)..];
            if (!after.IsEmpty && after[0] != (byte)':') return NameParse.Malformed;
            host = value[1..close];
            return NameParse.Found;
        }
        int colon = value.IndexOf((byte)':');
        if (colon >= 0 && value[(colon + 1)..].IndexOf((byte)':') < 0) value = value[..colon];
        if (value.IsEmpty) return NameParse.Malformed;
        host = value;
        return NameParse.Found;
    }

    private static bool IsHostIgnoringCase(ReadOnlySpan<byte> name) =>
        (name[0] | 0x20) == 'h' && (name[1] | 0x20) == 'o' && (name[2] | 0x20) == 's' && (name[3] | 0x20) == 't';

    /// <summary>tchar (RFC 9110 §5.6.2): visible ASCII except delimiters.</summary>
    private static bool IsToken(ReadOnlySpan<byte> name)
    {
        foreach (byte b in name)
        {
            if (b <= 0x20 || b >= 0x7F || "\"(),/:;<=>?@[\\]{}"u8.Contains(b)) return false;
        }
        return true;
    }

    private static ReadOnlySpan<byte> TrimCr(ReadOnlySpan<byte> line) =>
        !line.IsEmpty && line[^1] == (byte)'\r' ? line[..^1] : line;

    /// <summary>OWS = *( SP / HTAB ) (RFC 9110 §5.6.3), on both sides.</summary>
    private static ReadOnlySpan<byte> TrimWhitespace(ReadOnlySpan<byte> value)
    {
        int start = 0, end = value.Length;
        while (start < end && value[start] is (byte)' ' or (byte)'\t') start++;
        while (end > start && value[end - 1] is (byte)' ' or (byte)'\t') end--;
        return value[start..end];
    }
}
