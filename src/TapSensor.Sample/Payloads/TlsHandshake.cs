using System.Buffers.Binary;

namespace TapSensor.Sample.Payloads;

/// <summary>
/// TLS 1.3 hello messages (RFC 8446 §4.1.2-4.1.3) and record headers (§5.1). A ClientHello over TCP looks like a
/// browser's (TLS 1.2 fallbacks, h2 and http/1.1); inside QUIC it offers only TLS 1.3 suites, h3, an empty legacy
/// session id and the QUIC transport parameters extension (RFC 9001 §8.2, RFC 9000 §18).
/// </summary>
internal static class TlsHandshake
{
    public const byte ContentChangeCipherSpec = 20;
    public const byte ContentHandshake = 22;
    public const byte ContentApplicationData = 23;
    public const int RecordHeaderLength = 5;

    private static ReadOnlySpan<byte> TcpSuites =>
    [
        0x13, 0x01, 0x13, 0x02, 0x13, 0x03, 0xC0, 0x2B, 0xC0, 0x2F, 0xC0, 0x2C, 0xC0, 0x30, 0xCC, 0xA9,
        0xCC, 0xA8, 0xC0, 0x13, 0xC0, 0x14, 0x00, 0x9C, 0x00, 0x9D, 0x00, 0x2F, 0x00, 0x35,
    ];

    private static ReadOnlySpan<byte> QuicSuites => [0x13, 0x01, 0x13, 0x02, 0x13, 0x03];

    /// <summary>ecdsa_secp256r1_sha256, rsa_pss_rsae_sha256, rsa_pkcs1_sha256, ecdsa_secp384r1_sha384, ... (§4.2.3).</summary>
    private static ReadOnlySpan<byte> SignatureAlgorithms =>
        [0x04, 0x03, 0x08, 0x04, 0x04, 0x01, 0x05, 0x03, 0x08, 0x05, 0x05, 0x01, 0x08, 0x06, 0x06, 0x01];

    /// <summary>x25519, secp256r1, secp384r1 (§4.2.7).</summary>
    private static ReadOnlySpan<byte> Groups => [0x00, 0x1D, 0x00, 0x17, 0x00, 0x18];

    private static ReadOnlySpan<byte> AlpnTcp => [0x02, (byte)'h', (byte)'2', 0x08, (byte)'h', (byte)'t', (byte)'t', (byte)'p', (byte)'/', (byte)'1', (byte)'.', (byte)'1'];

    private static ReadOnlySpan<byte> AlpnQuic => [0x02, (byte)'h', (byte)'3'];

    public static int RecordHeader(Span<byte> p, byte contentType, int length)
    {
        p[0] = contentType;
        BinaryPrimitives.WriteUInt16BigEndian(p[1..], 0x0303);
        BinaryPrimitives.WriteUInt16BigEndian(p[3..], (ushort)length);
        return RecordHeaderLength;
    }

    /// <summary>
    /// Writes a ClientHello handshake message (type, 24-bit length, body) and returns its length. Random, session
    /// id and key share come from <paramref name="secretSeed"/> so a flow's ServerHello can echo the session id.
    /// </summary>
    public static int WriteClientHello(Span<byte> p, ReadOnlySpan<byte> serverName, ulong secretSeed, bool quic,
        ReadOnlySpan<byte> quicSourceConnectionId)
    {
        p[0] = 1;
        int o = 4;
        BinaryPrimitives.WriteUInt16BigEndian(p[o..], 0x0303);
        o += 2;
        SeededBytes.Fill(p.Slice(o, 32), secretSeed);
        o += 32;
        if (quic)
        {
            p[o++] = 0; // QUIC forbids the middlebox-compatibility session id (RFC 9001 §8.4)
        }
        else
        {
            p[o++] = 32;
            SessionId(p.Slice(o, 32), secretSeed);
            o += 32;
        }
        ReadOnlySpan<byte> suites = quic ? QuicSuites : TcpSuites;
        BinaryPrimitives.WriteUInt16BigEndian(p[o..], (ushort)suites.Length);
        suites.CopyTo(p[(o + 2)..]);
        o += 2 + suites.Length;
        p[o++] = 1; // one compression method: null
        p[o++] = 0;

        int extensionsAt = o;
        o += 2;
        // server_name (RFC 6066 §3): list length, name type host_name, name length, name.
        o = ExtensionHeader(p, o, 0x0000, 5 + serverName.Length);
        BinaryPrimitives.WriteUInt16BigEndian(p[o..], (ushort)(3 + serverName.Length));
        p[o + 2] = 0;
        BinaryPrimitives.WriteUInt16BigEndian(p[(o + 3)..], (ushort)serverName.Length);
        serverName.CopyTo(p[(o + 5)..]);
        o += 5 + serverName.Length;
        if (!quic)
        {
            o = ExtensionHeader(p, o, 0x0017, 0);              // extended_master_secret (RFC 7627)
            o = ExtensionHeader(p, o, 0xFF01, 1);              // renegotiation_info (RFC 5746)
            p[o++] = 0;
        }
        o = ExtensionHeader(p, o, 0x000A, 2 + Groups.Length); // supported_groups
        o = Vector16(p, o, Groups);
        if (!quic)
        {
            o = ExtensionHeader(p, o, 0x000B, 2);              // ec_point_formats: uncompressed (RFC 8422 §5.1.2)
            p[o++] = 1;
            p[o++] = 0;
            o = ExtensionHeader(p, o, 0x0023, 0);              // session_ticket (RFC 5077)
        }
        ReadOnlySpan<byte> alpn = quic ? AlpnQuic : AlpnTcp;
        o = ExtensionHeader(p, o, 0x0010, 2 + alpn.Length);   // ALPN (RFC 7301 §3.1)
        o = Vector16(p, o, alpn);
        if (!quic)
        {
            o = ExtensionHeader(p, o, 0x0005, 5);              // status_request: OCSP, no responder ids or extensions
            p[o] = 1;
            p[(o + 1)..(o + 5)].Clear();
            o += 5;
        }
        o = ExtensionHeader(p, o, 0x000D, 2 + SignatureAlgorithms.Length);
        o = Vector16(p, o, SignatureAlgorithms);
        // key_share (§4.2.8): one x25519 share of 32 bytes.
        o = ExtensionHeader(p, o, 0x0033, 2 + 4 + 32);
        BinaryPrimitives.WriteUInt16BigEndian(p[o..], 4 + 32);
        BinaryPrimitives.WriteUInt16BigEndian(p[(o + 2)..], 0x001D);
        BinaryPrimitives.WriteUInt16BigEndian(p[(o + 4)..], 32);
        SeededBytes.Fill(p.Slice(o + 6, 32), ~secretSeed);
        o += 6 + 32;
        o = ExtensionHeader(p, o, 0x002D, 2);                  // psk_key_exchange_modes: psk_dhe_ke
        p[o++] = 1;
        p[o++] = 1;
        // supported_versions (§4.2.1): TLS 1.3, and TLS 1.2 as a fallback over TCP.
        int versions = quic ? 1 : 2;
        o = ExtensionHeader(p, o, 0x002B, 1 + 2 * versions);
        p[o++] = (byte)(2 * versions);
        BinaryPrimitives.WriteUInt16BigEndian(p[o..], 0x0304);
        o += 2;
        if (!quic)
        {
            BinaryPrimitives.WriteUInt16BigEndian(p[o..], 0x0303);
            o += 2;
        }
        if (quic)
            o = TransportParameters(p, o, quicSourceConnectionId);

        BinaryPrimitives.WriteUInt16BigEndian(p[extensionsAt..], (ushort)(o - extensionsAt - 2));
        WriteLength24(p[1..], o - 4);
        return o;
    }

    /// <summary>ServerHello choosing TLS_AES_128_GCM_SHA256 and x25519 (§4.1.3), echoing the client's session id.</summary>
    public static int WriteServerHello(Span<byte> p, ulong secretSeed, bool quic)
    {
        p[0] = 2;
        int o = 4;
        BinaryPrimitives.WriteUInt16BigEndian(p[o..], 0x0303);
        o += 2;
        SeededBytes.Fill(p.Slice(o, 32), secretSeed * 31 + 7);
        o += 32;
        if (quic)
        {
            p[o++] = 0;
        }
        else
        {
            p[o++] = 32;
            SessionId(p.Slice(o, 32), secretSeed);
            o += 32;
        }
        BinaryPrimitives.WriteUInt16BigEndian(p[o..], 0x1301);
        o += 2;
        p[o++] = 0;
        int extensionsAt = o;
        o += 2;
        o = ExtensionHeader(p, o, 0x002B, 2);
        BinaryPrimitives.WriteUInt16BigEndian(p[o..], 0x0304);
        o += 2;
        o = ExtensionHeader(p, o, 0x0033, 4 + 32);
        BinaryPrimitives.WriteUInt16BigEndian(p[o..], 0x001D);
        BinaryPrimitives.WriteUInt16BigEndian(p[(o + 2)..], 32);
        SeededBytes.Fill(p.Slice(o + 4, 32), secretSeed ^ 0x5A5A5A5A5A5A5A5AUL);
        o += 4 + 32;
        BinaryPrimitives.WriteUInt16BigEndian(p[extensionsAt..], (ushort)(o - extensionsAt - 2));
        WriteLength24(p[1..], o - 4);
        return o;
    }

    private static void SessionId(Span<byte> destination, ulong secretSeed) => SeededBytes.Fill(destination, secretSeed + 0x1D);

    /// <summary>
    /// quic_transport_parameters (RFC 9000 §18.2): idle timeout, UDP payload size, flow-control limits and the
    /// initial_source_connection_id that must match the long header's SCID (§7.3).
    /// </summary>
    private static int TransportParameters(Span<byte> p, int o, ReadOnlySpan<byte> sourceConnectionId)
    {
        int headerAt = o;
        o += 4;
        o = VarIntParameter(p, o, 0x01, 30_000);     // max_idle_timeout (ms)
        o = VarIntParameter(p, o, 0x03, 1472);       // max_udp_payload_size
        o = VarIntParameter(p, o, 0x04, 15_728_640); // initial_max_data
        o = VarIntParameter(p, o, 0x05, 6_291_456);  // initial_max_stream_data_bidi_local
        o = VarIntParameter(p, o, 0x06, 6_291_456);  // initial_max_stream_data_bidi_remote
        o = VarIntParameter(p, o, 0x07, 6_291_456);  // initial_max_stream_data_uni
        o = VarIntParameter(p, o, 0x08, 100);        // initial_max_streams_bidi
        o = VarIntParameter(p, o, 0x09, 103);        // initial_max_streams_uni
        p[o++] = 0x0F;                               // initial_source_connection_id
        p[o++] = (byte)sourceConnectionId.Length;
        sourceConnectionId.CopyTo(p[o..]);
        o += sourceConnectionId.Length;
        ExtensionHeader(p, headerAt, 0x0039, o - headerAt - 4);
        return o;
    }

    private static int VarIntParameter(Span<byte> p, int o, byte id, uint value)
    {
        p[o++] = id;
        int length = QuicVarInt.Length(value);
        p[o++] = (byte)length;
        return o + QuicVarInt.Write(p[o..], value);
    }

    private static int ExtensionHeader(Span<byte> p, int o, ushort type, int length)
    {
        BinaryPrimitives.WriteUInt16BigEndian(p[o..], type);
        BinaryPrimitives.WriteUInt16BigEndian(p[(o + 2)..], (ushort)length);
        return o + 4;
    }

    private static int Vector16(Span<byte> p, int o, ReadOnlySpan<byte> items)
    {
        BinaryPrimitives.WriteUInt16BigEndian(p[o..], (ushort)items.Length);
        items.CopyTo(p[(o + 2)..]);
        return o + 2 + items.Length;
    }

    private static void WriteLength24(Span<byte> p, int length)
    {
        p[0] = (byte)(length >> 16);
        p[1] = (byte)(length >> 8);
        p[2] = (byte)length;
    }
}
