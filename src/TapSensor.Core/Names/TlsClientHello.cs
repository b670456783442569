using System.Buffers.Binary;

namespace TapSensor.Core.Names;

/// <summary>
/// The server_name (SNI, RFC 6066 §3) of a TLS ClientHello, read from the client-to-server TCP stream of a flow or
/// from a bare handshake message (QUIC carries the ClientHello in CRYPTO frames without the record layer).
/// <para>
/// The stream is one or more TLS records (RFC 8446 §5.1; RFC 5246 §6.2.1 for TLS 1.0-1.2). The ClientHello may be
/// fragmented across several records and arrive in several TCP segments: while it is incomplete the parser returns
/// <see cref="NameParse.NeedMore"/> and the caller appends bytes and calls again. Every vector length is checked
/// against what remains, and the extension block must end exactly where the message ends, as the .NET frame reader
/// does (dotnet/runtime, System.Net.Security TlsFrameHelper). Nothing is allocated unless the name itself straddles
/// two records and the caller gave no scratch buffer.
/// </para>
/// </summary>
public static class TlsClientHello
{
    public const int RecordHeaderLength = 5;

    /// <summary>RFC 8446 §5.1 and RFC 5246 §6.2.1: a plaintext record carries at most 2^14 bytes.</summary>
    public const int MaxRecordLength = 1 << 14;

    /// <summary>
    /// Largest handshake message read, its 4-byte header included. Browsers' ClientHellos with post-quantum key
    /// shares are under 2 KiB; this leaves room for large PSK identities and padding while bounding the copy.
    /// </summary>
    public const int MaxHandshakeLength = 16 * 1024;

    /// <summary>
    /// Records read before giving up (Malformed). A ClientHello fits in one record; splitting it over a few is legal
    /// and happens with very large hellos, but 64 records means someone is trying to make us work.
    /// </summary>
    public const int MaxRecords = 64;

    private const byte ContentTypeHandshake = 22;
    private const byte HandshakeTypeClientHello = 1;
    private const int HandshakeHeaderLength = 4;
    private const ushort ExtensionServerName = 0;
    private const byte NameTypeHostName = 0;

    /// <summary>
    /// Reads the SNI host_name from the start of a client-to-server TCP stream.
    /// </summary>
    /// <param name="stream">The stream from its first byte.</param>
    /// <param name="serverName">On <see cref="NameParse.Found"/>, the name's bytes: a slice of <paramref name="stream"/>,
    /// or a new array in the rare case that the name straddles two records.</param>
    /// <param name="totalNeeded">On <see cref="NameParse.NeedMore"/>, the stream length worth waiting for before calling
    /// again: the end of the current record while the message length is unknown, exact when the rest of the message
    /// lies in the current record, otherwise a lower bound. 0 otherwise.</param>
    public static NameParse TryGetServerName(ReadOnlySpan<byte> stream, out ReadOnlySpan<byte> serverName, out int totalNeeded) =>
        TryGetServerName(stream, Span<byte>.Empty, out serverName, out totalNeeded);

    /// <summary>
    /// As <see cref="TryGetServerName(ReadOnlySpan{byte}, out ReadOnlySpan{byte}, out int)"/>; a ClientHello split
    /// across records is joined in <paramref name="scratch"/> when it is large enough (then <paramref name="serverName"/>
    /// may point into it), else on the stack.
    /// </summary>
    public static NameParse TryGetServerName(ReadOnlySpan<byte> stream, Span<byte> scratch, out ReadOnlySpan<byte> serverName,
        out int totalNeeded)
    {
        serverName = default;
        NameParse status = MeasureMessage(stream, out int messageLength, out bool inFirstRecord, out totalNeeded);
        if (status != NameParse.Found) return status;

        if (inFirstRecord)
        {
            ReadOnlySpan<byte> message = stream.Slice(RecordHeaderLength, messageLength);
            status = ParseClientHello(message, out int offset, out int length);
            if (status == NameParse.Found) serverName = message.Slice(offset, length);
            return status;
        }

        if (scratch.Length >= messageLength)
        {
            Span<byte> joined = scratch[..messageLength];
            JoinRecords(stream, joined);
            status = ParseClientHello(joined, out int offset, out int length);
            if (status == NameParse.Found) serverName = joined.Slice(offset, length);
            return status;
        }

        Span<byte> onStack = stackalloc byte[messageLength]; // messageLength <= MaxHandshakeLength
        JoinRecords(stream, onStack);
        status = ParseClientHello(onStack, out int nameOffset, out int nameLength);
        if (status == NameParse.Found)
            serverName = SliceOfRecords(stream, nameOffset, nameLength, out ReadOnlySpan<byte> inStream)
                ? inStream
                : onStack.Slice(nameOffset, nameLength).ToArray();
        return status;
    }

    /// <summary>
    /// Reads the SNI host_name from a bare handshake message: type 1, a 3-byte length, the ClientHello body (RFC 8446
    /// §4). Bytes after the message are ignored. <see cref="NameParse.NeedMore"/> when the message is not all there.
    /// </summary>
    public static NameParse TryGetServerNameFromHandshake(ReadOnlySpan<byte> handshakeMessage, out ReadOnlySpan<byte> serverName)
    {
        serverName = default;
        if (handshakeMessage.IsEmpty) return NameParse.NeedMore;
        if (handshakeMessage[0] != HandshakeTypeClientHello) return NameParse.NotApplicable;
        if (handshakeMessage.Length < HandshakeHeaderLength) return NameParse.NeedMore;
        int messageLength = HandshakeHeaderLength + ReadUInt24(handshakeMessage[1..]);
        if (messageLength > MaxHandshakeLength) return NameParse.Malformed;
        if (handshakeMessage.Length < messageLength) return NameParse.NeedMore;

        ReadOnlySpan<byte> message = handshakeMessage[..messageLength];
        NameParse status = ParseClientHello(message, out int offset, out int length);
        if (status == NameParse.Found) serverName = message.Slice(offset, length);
        return status;
    }

    /// <summary>
    /// Walks the records until the whole first handshake message is present. Returns <see cref="NameParse.Found"/>
    /// when it is (the message then starts right after the first record header), or why not.
    /// </summary>
    private static NameParse MeasureMessage(ReadOnlySpan<byte> stream, out int messageLength, out bool inFirstRecord, out int totalNeeded)
    {
        messageLength = -1;
        inFirstRecord = false;
        totalNeeded = 0;
        uint head = 0;     // the 4-byte handshake header, which may itself straddle records
        int gathered = 0;  // record body bytes present so far (may run past the message)
        int at = 0;        // the current record header
        for (int record = 0; record < MaxRecords; record++)
        {
            int left = stream.Length - at;
            if (!IsHandshakeRecordHeader(stream.Slice(at, Math.Min(left, 3))))
                return record == 0 ? NameParse.NotApplicable : NameParse.Malformed;
            int missing = messageLength < 0 ? HandshakeHeaderLength - gathered : messageLength - gathered;
            if (left < RecordHeaderLength)
            {
                totalNeeded = at + RecordHeaderLength + missing;
                return NameParse.NeedMore;
            }

            int length = BinaryPrimitives.ReadUInt16BigEndian(stream[(at + 3)..]);
            // Zero-length handshake fragments are forbidden (RFC 8446 §5.1, RFC 5246 §6.2.1).
            if (length == 0 || length > MaxRecordLength) return NameParse.Malformed;
            int body = at + RecordHeaderLength;
            int present = Math.Min(length, stream.Length - body);
            for (int i = 0; i < present && gathered + i < HandshakeHeaderLength; i++)
                head = head << 8 | stream[body + i];
            gathered += present;

            if (messageLength < 0 && gathered >= HandshakeHeaderLength)
            {
                // The client speaks first with a ClientHello (RFC 8446 §4.1.2); anything else is another
                // direction or another protocol on a TLS-looking stream.
                if (head >> 24 != HandshakeTypeClientHello) return NameParse.NotApplicable;
                messageLength = HandshakeHeaderLength + (int)(head & 0xFF_FFFF);
                if (messageLength > MaxHandshakeLength) return NameParse.Malformed;
            }
            if (messageLength >= 0 && gathered >= messageLength)
            {
                inFirstRecord = record == 0;
                return NameParse.Found;
            }
            if (present < length)
            {
                // The stream ends inside this record. Until the message length is known, ask for the whole record:
                // senders write records whole. Then: exact if the rest of the message is in this record.
                int restOfRecord = length - present;
                missing = messageLength < 0 ? restOfRecord : messageLength - gathered;
                totalNeeded = stream.Length + missing + (missing <= restOfRecord ? 0 : RecordHeaderLength);
                return NameParse.NeedMore;
            }
            at = body + length;
        }
        return NameParse.Malformed;
    }

    /// <summary>Content type 22 and record version 0x0300-0x0304, as far as <paramref name="prefix"/> (0-3 bytes) goes.</summary>
    private static bool IsHandshakeRecordHeader(ReadOnlySpan<byte> prefix) =>
        (prefix.Length < 1 || prefix[0] == ContentTypeHandshake)
        && (prefix.Length < 2 || prefix[1] == 3)
        && (prefix.Length < 3 || prefix[2] <= 4);

    /// <summary>Copies the first <c>message.Length</c> bytes of the record bodies into <paramref name="message"/>.</summary>
    private static void JoinRecords(ReadOnlySpan<byte> stream, Span<byte> message)
    {
        int at = 0, filled = 0;
        while (filled < message.Length)
        {
            int length = BinaryPrimitives.ReadUInt16BigEndian(stream[(at + 3)..]);
            int take = Math.Min(Math.Min(length, stream.Length - at - RecordHeaderLength), message.Length - filled);
            stream.Slice(at + RecordHeaderLength, take).CopyTo(message[filled..]);
            filled += take;
            at += RecordHeaderLength + length;
        }
    }

    /// <summary>The stream bytes of message bytes [offset, offset+length) when they lie within one record body.</summary>
    private static bool SliceOfRecords(ReadOnlySpan<byte> stream, int offset, int length, out ReadOnlySpan<byte> slice)
    {
        int at = 0, start = 0;
        while (at + RecordHeaderLength <= stream.Length)
        {
            int recordLength = BinaryPrimitives.ReadUInt16BigEndian(stream[(at + 3)..]);
            int body = at + RecordHeaderLength;
            if (offset < start + recordLength)
            {
                int inRecord = offset - start;
                bool fits = inRecord + length <= recordLength && body + inRecord + length <= stream.Length;
                slice = fits ? stream.Slice(body + inRecord, length) : default;
                return fits;
            }
            start += recordLength;
            at = body + recordLength;
        }
        slice = default;
        return false;
    }

    /// <summary>
    /// Walks one whole ClientHello handshake message (header included) and finds the host_name:
    /// <code>
    /// struct {
    ///     ProtocolVersion legacy_version;                  // 2 bytes
    ///     Random random;                                   // 32 bytes
    ///     opaque legacy_session_id&lt;0..32&gt;;
    ///     CipherSuite cipher_suites&lt;2..2^16-2&gt;;
    ///     opaque legacy_compression_methods&lt;1..2^8-1&gt;;
    ///     Extension extensions&lt;8..2^16-1&gt;;             // absent in SSL 3.0 / early TLS hellos
    /// } ClientHello;                                       // RFC 8446 §4.1.2, RFC 5246 §7.4.1.2
    /// </code>
    /// </summary>
    internal static NameParse ParseClientHello(ReadOnlySpan<byte> message, out int nameOffset, out int nameLength)
    {
        nameOffset = 0;
        nameLength = 0;
        int end = message.Length;
        int p = HandshakeHeaderLength;
        if (end - p < 2 + 32 + 1) return NameParse.Malformed;
        if (message[p] != 3) return NameParse.Malformed; // legacy_version major is 3 from SSL 3.0 to TLS 1.3
        p += 2 + 32;

        int sessionId = message[p++];
        if (sessionId > 32 || end - p < sessionId + 2) return NameParse.Malformed;
        p += sessionId;

        int suites = BinaryPrimitives.ReadUInt16BigEndian(message[p..]);
        p += 2;
        if (suites < 2 || (suites & 1) != 0 || end - p < suites + 1) return NameParse.Malformed;
        p += suites;

        int compression = message[p++];
        if (compression < 1 || end - p < compression) return NameParse.Malformed;
        p += compression;

        // RFC 5246 §7.4.1.2: a hello may stop here; extensions are then absent.
        if (p == end) return NameParse.NotFound;
        if (end - p < 2) return NameParse.Malformed;
        int extensionsLength = BinaryPrimitives.ReadUInt16BigEndian(message[p..]);
        p += 2;
        if (extensionsLength != end - p) return NameParse.Malformed;

        // struct { ExtensionType extension_type; opaque extension_data<0..2^16-1>; } Extension;
        // Each extension takes at least 4 bytes of a message of at most MaxHandshakeLength, which bounds the loop.
        bool found = false;
        while (p < end)
        {
            if (end - p < 4) return NameParse.Malformed;
            int type = BinaryPrimitives.ReadUInt16BigEndian(message[p..]);
            int length = BinaryPrimitives.ReadUInt16BigEndian(message[(p + 2)..]);
            p += 4;
            if (end - p < length) return NameParse.Malformed;
            if (type == ExtensionServerName && !found)
            {
                NameParse sni = ReadServerNameList(message.Slice(p, length), out int offset, out nameLength);
                if (sni == NameParse.Malformed) return NameParse.Malformed;
                if (sni == NameParse.Found)
                {
                    found = true;
                    nameOffset = p + offset;
                }
            }
            p += length;
        }
        return found ? NameParse.Found : NameParse.NotFound;
    }

    /// <summary>
    /// RFC 6066 §3: <c>struct { ServerName server_name_list&lt;1..2^16-1&gt; } ServerNameList;</c> with
    /// <c>struct { NameType name_type; opaque HostName&lt;1..2^16-1&gt;; } ServerName;</c>. The first host_name wins.
    /// Other name types have never been defined; they are skipped by the same layout.
    /// </summary>
    private static NameParse ReadServerNameList(ReadOnlySpan<byte> data, out int nameOffset, out int nameLength)
    {
        nameOffset = 0;
        nameLength = 0;
        if (data.IsEmpty) return NameParse.NotFound; // the empty form belongs in a ServerHello (RFC 6066 §3)
        if (data.Length < 2 || BinaryPrimitives.ReadUInt16BigEndian(data) != data.Length - 2) return NameParse.Malformed;
        int p = 2;
        while (p < data.Length)
        {
            if (data.Length - p < 3) return NameParse.Malformed;
            byte nameType = data[p];
            int length = BinaryPrimitives.ReadUInt16BigEndian(data[(p + 1)..]);
            p += 3;
            if (length == 0 || data.Length - p < length) return NameParse.Malformed;
            if (nameType == NameTypeHostName)
            {
                nameOffset = p;
                nameLength = length;
                return NameParse.Found;
            }
            p += length;
        }
        return NameParse.NotFound;
    }

    private static int ReadUInt24(ReadOnlySpan<byte> b) => b[0] << 16 | b[1] << 8 | b[2];
}
