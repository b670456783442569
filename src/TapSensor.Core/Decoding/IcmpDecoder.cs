namespace TapSensor.Core.Decoding;

/// <summary>
/// ICMP (RFC 792) and ICMPv6 (RFC 4443) keyed like Zeek and Community ID v1 (corelight/community-id-spec):
/// the source "port" is the message type; the destination "port" is the type of the counterpart message for
/// request/response pairs, so both halves of an exchange share a key, and otherwise the code.
/// </summary>
internal static class IcmpDecoder
{
    /// <summary>Type, code, checksum and the 4-byte field every message type starts its body with.</summary>
    public const int HeaderLength = 8;
    private const int TypeAndCode = 2;

    public static DecodeStatus DecodeV4(ref DecodeContext ctx, int offset, int length, out int headerLength)
    {
        headerLength = HeaderLength;
        if (length < TypeAndCode || ctx.Available(offset) < TypeAndCode) return DecodeStatus.Icmpv4Truncated;
        byte type = ctx.Frame[offset];
        ctx.SrcPort = type;
        ctx.DstPort = Counterpart4(type, out byte other) ? other : ctx.Frame[offset + 1];
        return DecodeStatus.Ok;
    }

    public static DecodeStatus DecodeV6(ref DecodeContext ctx, int offset, int length, out int headerLength)
    {
        headerLength = HeaderLength;
        if (length < TypeAndCode || ctx.Available(offset) < TypeAndCode) return DecodeStatus.Icmpv6Truncated;
        byte type = ctx.Frame[offset];
        ctx.SrcPort = type;
        ctx.DstPort = Counterpart6(type, out byte other) ? other : ctx.Frame[offset + 1];
        return DecodeStatus.Ok;
    }

    /// <summary>Echo 8/0, router solicitation/advertisement 10/9 (RFC 1256), timestamp 13/14, information 15/16, address mask 17/18 (RFC 950).</summary>
    public static bool Counterpart4(byte type, out byte counterpart)
    {
        counterpart = type switch
        {
            8 => 0,
            0 => 8,
            10 => 9,
            9 => 10,
            13 => 14,
            14 => 13,
            15 => 16,
            16 => 15,
            17 => 18,
            18 => 17,
            _ => byte.MaxValue,
        };
        return counterpart != byte.MaxValue;
    }

    /// <summary>
    /// Echo 128/129, MLD query/report 130/131 (RFC 2710), router solicitation/advertisement 133/134 and neighbor
    /// solicitation/advertisement 135/136 (RFC 4861), node information query/reply 139/140 (RFC 4620), home agent
    /// address discovery request/reply 144/145 (RFC 6275).
    /// </summary>
    public static bool Counterpart6(byte type, out byte counterpart)
    {
        counterpart = type switch
        {
            128 => 129,
            129 => 128,
            130 => 131,
            131 => 130,
            133 => 134,
            134 => 133,
            135 => 136,
            136 => 135,
            139 => 140,
            140 => 139,
            144 => 145,
            145 => 144,
            _ => 0,
        };
        return counterpart != 0;
    }
}
