using System.Buffers.Binary;

namespace TapSensor.Sample.Payloads;

/// <summary>NTPv4 client request and server reply (RFC 5905 §7.3), 48 bytes without extensions.</summary>
internal static class NtpMessage
{
    public const int Length = 48;

    /// <summary>Seconds from the NTP era 0 epoch (1900-01-01) to the Unix epoch (RFC 5905 §6).</summary>
    private const ulong EraOffsetSeconds = 2_208_988_800;

    /// <summary>Mode 3 request: LI 0, VN 4; only the transmit timestamp is set, as SNTP clients do (RFC 4330 §5).</summary>
    public static int WriteRequest(Span<byte> p, long unixMicros)
    {
        p[..Length].Clear();
        p[0] = 0x23;
        BinaryPrimitives.WriteUInt64BigEndian(p[40..], Timestamp(unixMicros));
        return Length;
    }

    /// <summary>Mode 4 reply: origin echoes the request's transmit time; receive and transmit are the server's.</summary>
    public static int WriteReply(Span<byte> p, long requestMicros, long serverMicros, byte stratum, uint referenceId)
    {
        p[..Length].Clear();
        p[0] = 0x24;
        p[1] = stratum;
        p[2] = 6;           // poll 2^6 s
        p[3] = 0xE9;        // precision 2^-23 s
        BinaryPrimitives.WriteUInt32BigEndian(p[4..], 0x0000_0010);  // root delay
        BinaryPrimitives.WriteUInt32BigEndian(p[8..], 0x0000_0020);  // root dispersion
        BinaryPrimitives.WriteUInt32BigEndian(p[12..], referenceId);
        BinaryPrimitives.WriteUInt64BigEndian(p[16..], Timestamp(serverMicros - 16_000_000));
        BinaryPrimitives.WriteUInt64BigEndian(p[24..], Timestamp(requestMicros));
        BinaryPrimitives.WriteUInt64BigEndian(p[32..], Timestamp(serverMicros));
        BinaryPrimitives.WriteUInt64BigEndian(p[40..], Timestamp(serverMicros + 30));
        return Length;
    }

    /// <summary>64-bit NTP timestamp: 32 bits of seconds, 32 bits of fraction.</summary>
    private static ulong Timestamp(long unixMicros)
    {
        ulong seconds = (ulong)(unixMicros / 1_000_000) + EraOffsetSeconds;
        ulong fraction = ((ulong)(unixMicros % 1_000_000) << 32) / 1_000_000;
        return (seconds << 32) | fraction;
    }
}
