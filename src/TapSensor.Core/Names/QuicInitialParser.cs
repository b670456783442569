using System.Buffers.Binary;

namespace TapSensor.Core.Names;

/// <summary>
/// The SNI of a QUIC connection, read from the client's Initial packets (RFC 9000 §17.2.2). Initial packets are
/// protected with keys derived from the client's first Destination Connection ID and a published salt (RFC 9001
/// §5.2), so a passive observer can open them: remove header protection (§5.4), decrypt the payload with
/// AES-128-GCM (§5.3), walk the frames (RFC 9000 §19) and gather the CRYPTO stream, which holds the TLS ClientHello
/// without the TLS record layer (RFC 9001 §4). The ClientHello may span several Initial packets, in several
/// datagrams, with its CRYPTO frames in any order (Chrome cuts it up and shuffles the pieces); per-connection state
/// lives in a <see cref="QuicCryptoAssembly"/> the caller keeps with the flow.
/// <para>
/// Versions: 1 (RFC 9001), 2 (RFC 9369) and drafts 23 to 32. One instance per worker thread (not thread-safe):
/// it owns its buffers and caches the keys and cipher objects of the last two connection IDs, so further packets
/// of a connection cost no derivation and no allocation. Read Suricata rust/src/quic/ and nDPI
/// src/lib/protocols/quic.c for the same job in C and Rust.
/// </para>
/// </summary>
public sealed class QuicInitialParser : IDisposable
{
    /// <summary>Largest UDP payload opened (IPv4's limit is 65 527 bytes; jumbograms are not QUIC's business).</summary>
    public const int MaxDatagramLength = 65_535;

    /// <summary>
    /// Coalesced long-header packets walked per datagram (RFC 9000 §12.2). A client sends at most Initial, 0-RTT
    /// and Handshake together; the cap only stops a datagram of tiny packets from costing more.
    /// </summary>
    public const int MaxPacketsPerDatagram = 8;

    /// <summary>Frames read per packet; a PADDING run counts as one. Chrome's chaos protection uses a few dozen.</summary>
    public const int MaxFramesPerPacket = 256;

    /// <summary>ACK ranges read per ACK frame before the rest of the packet is left unread.</summary>
    public const int MaxAckRanges = 64;

    private const int SampleLength = 16;
    private const byte FramePadding = 0x00, FramePing = 0x01, FrameAck = 0x02, FrameAckEcn = 0x03, FrameCrypto = 0x06,
        FrameConnectionClose = 0x1c, FrameApplicationClose = 0x1d;

    private readonly byte[] _plain = new byte[MaxDatagramLength];
    private readonly byte[] _scratch = new byte[QuicCryptoAssembly.Capacity];
    private QuicInitialKeys _recent = new();
    private QuicInitialKeys _older = new();
    private bool _disposed;

    /// <summary>
    /// Opens the client Initial packets of one UDP datagram, adds their CRYPTO data to <paramref name="assembly"/>
    /// and, once the whole ClientHello is there, returns its server_name.
    /// </summary>
    /// <param name="udpPayload">One client-to-server UDP datagram.</param>
    /// <param name="assembly">The connection's state; new or <see cref="QuicCryptoAssembly.Reset"/> for a new flow.</param>
    /// <param name="serverName">On <see cref="NameParse.Found"/>, the name's bytes in a buffer of this parser or of
    /// <paramref name="assembly"/>: valid until the next call with either. Copy it to keep it.</param>
    /// <returns><see cref="NameParse.NotApplicable"/> when the datagram does not start with a long-header packet of
    /// a supported version or holds no Initial; <see cref="NameParse.NeedMore"/> while the ClientHello is incomplete;
    /// <see cref="NameParse.Malformed"/> when an Initial cannot be opened (a server Initial, keys of an unseen
    /// connection ID) or breaks framing rules; else the ClientHello's answer.</returns>
    public NameParse TryGetServerName(ReadOnlySpan<byte> udpPayload, QuicCryptoAssembly assembly, out ReadOnlySpan<byte> serverName)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        ObjectDisposedException.ThrowIf(_disposed, this);
        serverName = default;
        if (udpPayload.Length > MaxDatagramLength) udpPayload = udpPayload[..MaxDatagramLength];
        if (udpPayload.Length < 5 || (udpPayload[0] & 0x80) == 0) return NameParse.NotApplicable;
        uint version = BinaryPrimitives.ReadUInt32BigEndian(udpPayload[1..]);
        QuicKeySchedule schedule = QuicVersion.ScheduleOf(version);
        if (schedule == QuicKeySchedule.None) return NameParse.NotApplicable;

        // CRYPTO data goes straight into the assembly's buffer once it has one; until then into our scratch,
        // moved to the assembly only if the ClientHello is still incomplete at the end of this datagram.
        byte[] stream = assembly.Buffer ?? _scratch;
        bool sawInitial = false;
        bool failed = false;
        int at = 0;
        for (int n = 0; n < MaxPacketsPerDatagram && udpPayload.Length - at >= 5; n++)
        {
            ReadOnlySpan<byte> rest = udpPayload[at..];
            // A short-header packet, or padding after the last packet, ends the run (RFC 9000 §12.2).
            if ((rest[0] & 0x80) == 0 || BinaryPrimitives.ReadUInt32BigEndian(rest[1..]) != version) break;
            if (!TryReadLongHeader(rest, schedule, out QuicVersion.PacketType type, out int dcidLength,
                    out int packetNumberOffset, out int packetLength))
            {
                failed = true;
                break;
            }
            if (type == QuicVersion.PacketType.Retry) break; // a server packet without a Length: nothing follows
            if (type == QuicVersion.PacketType.Initial)
            {
                sawInitial = true;
                ReadOnlySpan<byte> dcid = rest.Slice(6, dcidLength);
                if (!TryOpenInitial(udpPayload, at, at + packetNumberOffset, at + packetLength, schedule, version, dcid,
                        assembly, out int payloadStart, out int payloadEnd)
                    || !TryReadFrames(_plain.AsSpan(payloadStart, payloadEnd - payloadStart), stream, ref assembly.Ranges))
                {
                    failed = true;
                    break;
                }
            }
            at += packetLength;
        }
        if (!sawInitial) return failed ? NameParse.Malformed : NameParse.NotApplicable;

        int contiguous = assembly.Ranges.ContiguousLength;
        NameParse status = contiguous == 0
            ? NameParse.NeedMore
            : TlsClientHello.TryGetServerNameFromHandshake(stream.AsSpan(0, contiguous), out serverName);
        if (stream == _scratch)
        {
            // The scratch belongs to the next call: keep the data in the assembly only if it is still needed.
            if (status == NameParse.NeedMore && assembly.Ranges.Count > 0)
                _scratch.AsSpan(0, assembly.Ranges.End).CopyTo(assembly.EnsureBuffer());
            else
                assembly.Ranges.Clear();
        }
        return failed && status == NameParse.NeedMore ? NameParse.Malformed : status;
    }

    /// <summary>
    /// Long header (RFC 9000 §17.2): first byte, version, DCID length and DCID, SCID length and SCID; for an
    /// Initial a token length and token (§17.2.2); then, except in Retry, the Length of packet number and payload.
    /// </summary>
    private static bool TryReadLongHeader(ReadOnlySpan<byte> packet, QuicKeySchedule schedule, out QuicVersion.PacketType type,
        out int dcidLength, out int packetNumberOffset, out int packetLength)
    {
        type = QuicVersion.TypeOf(schedule, packet[0]);
        packetNumberOffset = 0;
        packetLength = 0;
        int p = 5;
        dcidLength = p < packet.Length ? packet[p] : -1;
        // Versions 1 and 2 cap connection IDs at 20 bytes (RFC 9000 §17.2), and so did the drafts read here.
        if (dcidLength is < 0 or > QuicInitialKeys.MaxConnectionIdLength || packet.Length - p - 1 < dcidLength + 1) return false;
        p += 1 + dcidLength;
        int scidLength = packet[p];
        if (scidLength > QuicInitialKeys.MaxConnectionIdLength || packet.Length - p - 1 < scidLength) return false;
        p += 1 + scidLength;
        if (type == QuicVersion.PacketType.Retry) return true;

        if (type == QuicVersion.PacketType.Initial)
        {
            if (!TryReadVarInt(packet, ref p, out ulong tokenLength) || (ulong)(packet.Length - p) < tokenLength) return false;
            p += (int)tokenLength;
        }
        if (!TryReadVarInt(packet, ref p, out ulong length) || (ulong)(packet.Length - p) < length) return false;
        packetNumberOffset = p;
        packetLength = p + (int)length;
        return true;
    }

    /// <summary>
    /// Removes header protection and decrypts one Initial into <see cref="_plain"/> (same offsets as in the
    /// datagram). Keys come from the connection's first DCID: a client that has switched to the server's connection
    /// ID still protects Initials with them (RFC 9001 §5.2). If they fail, the packet's own DCID is tried: after a
    /// Retry, or a restart after version negotiation, the client derives new keys from its new DCID.
    /// </summary>
    private bool TryOpenInitial(ReadOnlySpan<byte> datagram, int packetStart, int packetNumberOffset, int packetEnd,
        QuicKeySchedule schedule, uint version, ReadOnlySpan<byte> dcid, QuicCryptoAssembly assembly, out int payloadStart, out int payloadEnd)
    {
        if (assembly.OriginalDestinationIdLength < 0 || assembly.Version != version) assembly.Begin(version, dcid);
        if (TryOpen(datagram, packetStart, packetNumberOffset, packetEnd, KeysFor(schedule, assembly.OriginalDestinationId),
                assembly, out payloadStart, out payloadEnd))
            return true;
        if (dcid.SequenceEqual(assembly.OriginalDestinationId)) return false;
        if (!TryOpen(datagram, packetStart, packetNumberOffset, packetEnd, KeysFor(schedule, dcid), assembly, out payloadStart, out payloadEnd))
            return false;
        // New keys mean a new CRYPTO stream (the ClientHello is sent again from offset 0); packet numbers go on.
        assembly.Ranges.Clear();
        assembly.SetDestinationId(dcid);
        return true;
    }

    private bool TryOpen(ReadOnlySpan<byte> datagram, int packetStart, int packetNumberOffset, int packetEnd, QuicInitialKeys keys,
        QuicCryptoAssembly assembly, out int payloadStart, out int payloadEnd)
    {
        payloadStart = payloadEnd = 0;
        // The sample starts 4 bytes after the start of the packet number field, whatever its length (RFC 9001 §5.4.2).
        int sampleStart = packetNumberOffset + 4;
        if (packetEnd - sampleStart < SampleLength) return false;
        Span<byte> mask = stackalloc byte[SampleLength];
        keys.Mask(datagram.Slice(sampleStart, SampleLength), mask);

        byte first = (byte)(datagram[packetStart] ^ (mask[0] & 0x0F)); // long header: the low four bits (§5.4.1)
        // The reserved bits are 0 once protection is off (RFC 9000 §17.2); with the wrong keys they are random, so
        // three wrong-key packets in four stop here, before an AEAD failure (which .NET reports by throwing).
        if ((first & 0x0C) != 0) return false;
        int packetNumberLength = (first & 0x03) + 1;
        int headerEnd = packetNumberOffset + packetNumberLength;
        if (packetEnd - headerEnd < QuicInitialKeys.TagLength) return false;

        Span<byte> header = _plain.AsSpan(packetStart, headerEnd - packetStart);
        datagram[packetStart..headerEnd].CopyTo(header);
        header[0] = first;
        ulong truncated = 0;
        for (int i = 0; i < packetNumberLength; i++)
        {
            int o = packetNumberOffset - packetStart + i;
            header[o] ^= mask[1 + i];
            truncated = truncated << 8 | header[o];
        }
        long packetNumber = DecodePacketNumber(assembly.LargestPacketNumber, truncated, packetNumberLength * 8);

        int tagStart = packetEnd - QuicInitialKeys.TagLength;
        if (!keys.TryOpen(packetNumber, datagram[headerEnd..tagStart], datagram[tagStart..packetEnd],
                _plain.AsSpan(headerEnd, tagStart - headerEnd), header))
            return false;
        if (packetNumber > assembly.LargestPacketNumber) assembly.LargestPacketNumber = packetNumber;
        payloadStart = headerEnd;
        payloadEnd = tagStart;
        return true;
    }

    /// <summary>The cached keys of <paramref name="dcid"/>, derived into the least recently used slot on a miss.</summary>
    private QuicInitialKeys KeysFor(QuicKeySchedule schedule, ReadOnlySpan<byte> dcid)
    {
        if (!_recent.Matches(schedule, dcid))
        {
            if (!_older.Matches(schedule, dcid)) _older.Load(schedule, dcid);
            (_recent, _older) = (_older, _recent);
        }
        return _recent;
    }

    /// <summary>
    /// Walks the frames an Initial may carry (RFC 9000 §12.4, §19): PADDING, PING, ACK, CRYPTO and
    /// CONNECTION_CLOSE, copying CRYPTO data into <paramref name="stream"/> at its offsets. Any other frame ends the
    /// walk quietly, since what follows it cannot be framed. False when a frame runs past the packet.
    /// </summary>
    private static bool TryReadFrames(ReadOnlySpan<byte> payload, Span<byte> stream, ref CryptoRanges ranges)
    {
        int p = 0;
        for (int n = 0; n < MaxFramesPerPacket && p < payload.Length; n++)
        {
            byte type = payload[p++];
            switch (type)
            {
                case FramePadding:
                    while (p < payload.Length && payload[p] == 0) p++;
                    break;
                case FramePing:
                    break;
                case FrameAck:
                case FrameAckEcn:
                    if (!TrySkipAck(payload, ref p, ecn: type == FrameAckEcn)) return false;
                    break;
                case FrameCrypto:
                    if (!TryReadVarInt(payload, ref p, out ulong offset) || !TryReadVarInt(payload, ref p, out ulong length)
                        || (ulong)(payload.Length - p) < length)
                        return false;
                    Keep(payload.Slice(p, (int)length), offset, stream, ref ranges);
                    p += (int)length;
                    break;
                case FrameConnectionClose:
                case FrameApplicationClose:
                    if (!TryReadVarInt(payload, ref p, out _)) return false; // error code
                    if (type == FrameConnectionClose && !TryReadVarInt(payload, ref p, out _)) return false; // frame type
                    if (!TryReadVarInt(payload, ref p, out ulong reason) || (ulong)(payload.Length - p) < reason) return false;
                    p += (int)reason;
                    break;
                default:
                    return true;
            }
        }
        return true;
    }

    /// <summary>Copies the part of a CRYPTO frame that falls inside the buffer and records it as filled.</summary>
    private static void Keep(ReadOnlySpan<byte> data, ulong offset, Span<byte> stream, ref CryptoRanges ranges)
    {
        if (offset >= (ulong)stream.Length || data.IsEmpty) return;
        int start = (int)offset;
        int length = Math.Min(data.Length, stream.Length - start);
        // Bytes at the same offset are the same bytes (RFC 9000 §19.6), so overwriting is harmless; if the range
        // cannot be recorded the copy simply stays unused.
        data[..length].CopyTo(stream[start..]);
        ranges.Add(start, start + length);
    }

    /// <summary>ACK (RFC 9000 §19.3): largest, delay, range count, first range, then gap/length pairs and, with ECN, three counts.</summary>
    private static bool TrySkipAck(ReadOnlySpan<byte> payload, ref int p, bool ecn)
    {
        if (!TryReadVarInt(payload, ref p, out _) || !TryReadVarInt(payload, ref p, out _)
            || !TryReadVarInt(payload, ref p, out ulong rangeCount) || !TryReadVarInt(payload, ref p, out _))
            return false;
        if (rangeCount > MaxAckRanges) return false;
        for (int i = 0; i < (int)rangeCount; i++)
        {
            if (!TryReadVarInt(payload, ref p, out _) || !TryReadVarInt(payload, ref p, out _)) return false;
        }
        return !ecn || TryReadVarInt(payload, ref p, out _) && TryReadVarInt(payload, ref p, out _) && TryReadVarInt(payload, ref p, out _);
    }

    /// <summary>Variable-length integer (RFC 9000 §16): the top two bits of the first byte give its length, 1 to 8 bytes.</summary>
    private static bool TryReadVarInt(ReadOnlySpan<byte> data, ref int p, out ulong value)
    {
        value = 0;
        if (p >= data.Length) return false;
        int length = 1 << (data[p] >> 6);
        if (data.Length - p < length) return false;
        value = (ulong)(data[p] & 0x3F);
        for (int i = 1; i < length; i++) value = value << 8 | data[p + i];
        p += length;
        return true;
    }

    /// <summary>RFC 9000 §17.1 and Appendix A.3: the packet number closest to one more than the largest seen.</summary>
    private static long DecodePacketNumber(long largest, ulong truncated, int bits)
    {
        long expected = largest + 1;
        long window = 1L << bits;
        long half = window / 2;
        long candidate = (expected & ~(window - 1)) | (long)truncated;
        if (candidate <= expected - half && candidate < (1L << 62) - window) return candidate + window;
        if (candidate > expected + half && candidate >= window) return candidate - window;
        return candidate;
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _recent.Dispose();
        _older.Dispose();
    }
}
