namespace TapSensor.Core.Names;

/// <summary>
/// The QUIC versions whose Initial packets we can open, and what differs between them: the initial salt, the
/// HKDF labels and the long-header type bits of an Initial. Everything else the parser reads (long header
/// layout, header protection, AEAD, frame encoding) is the same from draft-23 to version 2.
/// </summary>
internal enum QuicKeySchedule : byte
{
    None,
    /// <summary>RFC 9000/9001, version 0x00000001.</summary>
    Version1,
    /// <summary>RFC 9369, version 0x6b3343cf.</summary>
    Version2,
    /// <summary>draft-ietf-quic-tls-29 to -32 (0xff00001d-0xff000020): v1 labels, the draft-29 salt.</summary>
    Draft29,
    /// <summary>draft-ietf-quic-tls-23 to -28 (0xff000017-0xff00001c): v1 labels, the draft-23 salt.</summary>
    Draft23,
}

internal static class QuicVersion
{
    public const uint Version1 = 0x0000_0001;
    public const uint Version2 = 0x6b33_43cf;

    /// <summary>Long-header packet types as the parser uses them, whatever their bits on the wire.</summary>
    public enum PacketType : byte { Initial, ZeroRtt, Handshake, Retry }

    /// <summary>The key schedule of <paramref name="version"/>, or <see cref="QuicKeySchedule.None"/> when unsupported.</summary>
    public static QuicKeySchedule ScheduleOf(uint version) => version switch
    {
        Version1 => QuicKeySchedule.Version1,
        Version2 => QuicKeySchedule.Version2,
        >= 0xff00_001d and <= 0xff00_0020 => QuicKeySchedule.Draft29,
        >= 0xff00_0017 and <= 0xff00_001c => QuicKeySchedule.Draft23,
        _ => QuicKeySchedule.None,
    };

    /// <summary>
    /// The long-header type from bits 0x30 of the first byte (not header-protected). Version 2 rotates the codes
    /// (RFC 9369 §3.2): Initial 0b01, 0-RTT 0b10, Handshake 0b11, Retry 0b00; v1 and the drafts use 0, 1, 2, 3.
    /// </summary>
    public static PacketType TypeOf(QuicKeySchedule schedule, byte firstByte)
    {
        int bits = (firstByte >> 4) & 0x3;
        if (schedule == QuicKeySchedule.Version2) bits = (bits + 3) & 0x3;
        return (PacketType)bits;
    }

    /// <summary>initial_salt: RFC 9001 §5.2, RFC 9369 §3.3.1, draft-ietf-quic-tls-29 §5.2 and -23 §5.2.</summary>
    public static ReadOnlySpan<byte> Salt(QuicKeySchedule schedule) => schedule switch
    {
        QuicKeySchedule.Version2 =>
        [
            0x0d, 0xed, 0xe3, 0xde, 0xf7, 0x00, 0xa6, 0xdb, 0x81, 0x93,
            0x81, 0xbe, 0x6e, 0x26, 0x9d, 0xcb, 0xf9, 0xbd, 0x2e, 0xd9,
        ],
        QuicKeySchedule.Draft29 =>
        [
            0xaf, 0xbf, 0xec, 0x28, 0x99, 0x93, 0xd2, 0x4c, 0x9e, 0x97,
            0x86, 0xf1, 0x9c, 0x61, 0x11, 0xe0, 0x43, 0x90, 0xa8, 0x99,
        ],
        QuicKeySchedule.Draft23 =>
        [
            0xc3, 0xee, 0xf7, 0x12, 0xc7, 0x2e, 0xbb, 0x5a, 0x11, 0xa7,
            0xd2, 0x43, 0x2b, 0xb4, 0x63, 0x65, 0xbe, 0xf9, 0xf5, 0x02,
        ],
        _ =>
        [
            0x38, 0x76, 0x2c, 0xf7, 0xf5, 0x59, 0x34, 0xb3, 0x4d, 0x17,
            0x9a, 0xe6, 0xa4, 0xc8, 0x0c, 0xad, 0xcc, 0xbb, 0x7f, 0x0a,
        ],
    };

    /// <summary>RFC 9001 §5.1 "quic key"; RFC 9369 §3.3.2 "quicv2 key".</summary>
    public static ReadOnlySpan<byte> KeyLabel(QuicKeySchedule schedule) =>
        schedule == QuicKeySchedule.Version2 ? "quicv2 key"u8 : "quic key"u8;

    public static ReadOnlySpan<byte> IvLabel(QuicKeySchedule schedule) =>
        schedule == QuicKeySchedule.Version2 ? "quicv2 iv"u8 : "quic iv"u8;

    public static ReadOnlySpan<byte> HeaderProtectionLabel(QuicKeySchedule schedule) =>
        schedule == QuicKeySchedule.Version2 ? "quicv2 hp"u8 : "quic hp"u8;
}
