namespace TapSensor.Core.Decoding;

/// <summary>
/// ERSPAN headers between GRE and a mirrored Ethernet frame (draft-foschiano-erspan-03 §4.1, §4.2).
/// Type II: 8 bytes, version 1. Type III: 12 bytes, version 2, plus an 8-byte platform sub-header when O is set;
/// its frame type FT says whether an Ethernet frame (0) follows at all.
/// </summary>
internal static class ErspanDecoder
{
    public const int Type2HeaderLength = 8;
    public const int Type3HeaderLength = 12;
    private const int PlatformSubheaderLength = 8;
    private const int FrameTypeEthernet = 0;

    public static DecodeStatus DecodeType2(ref DecodeContext ctx)
    {
        int o = ctx.Offset;
        if (ctx.Available(o) < Type2HeaderLength) return DecodeStatus.ErspanTruncated;
        if (ctx.Frame[o] >> 4 != 1) return DecodeStatus.ErspanBadVersion;
        ctx.Offset = o + Type2HeaderLength;
        ctx.Next = Layer.Ethernet;
        return DecodeStatus.Ok;
    }

    public static DecodeStatus DecodeType3(ref DecodeContext ctx)
    {
        int o = ctx.Offset;
        if (ctx.Available(o) < Type3HeaderLength) return DecodeStatus.ErspanTruncated;
        if (ctx.Frame[o] >> 4 != 2) return DecodeStatus.ErspanBadVersion;
        int length = Type3HeaderLength;
        if ((ctx.Frame[o + 11] & 1) != 0) length += PlatformSubheaderLength;
        if (ctx.Available(o) < length) return DecodeStatus.ErspanTruncated;
        ctx.Offset = o + length;
        // Word 3: SGT(16) P(1) FT(5) HW ID(6) D(1) Gra(2) O(1). Other frame types are not decapsulated.
        if ((ctx.Frame[o + 10] >> 2 & 0x1F) != FrameTypeEthernet) return DecodeStatus.NotIp;
        ctx.Next = Layer.Ethernet;
        return DecodeStatus.Ok;
    }
}
