namespace TapSensor.Core.Decoding;

/// <summary>
/// PPPoE session stage (RFC 2516 §4): VER(4)=1 TYPE(4)=1 CODE(8)=0 SESSION_ID(16) LENGTH(16), then a PPP frame
/// without address and control bytes (RFC 2516 §7). LENGTH bounds the PPP payload, so Ethernet padding after it
/// is not read. Discovery frames (EtherType 0x8863) never reach here: they carry no IP.
/// </summary>
internal static class PppoeDecoder
{
    public const int HeaderLength = 6;
    private const byte VersionAndType = 0x11;
    private const byte SessionData = 0x00;

    public static DecodeStatus Decode(ref DecodeContext ctx)
    {
        int o = ctx.Offset;
        if (ctx.Available(o) < HeaderLength) return DecodeStatus.PppoeTruncated;
        if (ctx.Frame[o] != VersionAndType) return DecodeStatus.PppoeBadVersion;
        if (ctx.Frame[o + 1] != SessionData) return DecodeStatus.PppoeBadCode;
        int length = ctx.U16(o + 4);
        ctx.Offset = o + HeaderLength;
        ctx.Narrow(ctx.Offset + length);
        ctx.Next = Layer.Ppp;
        return DecodeStatus.Ok;
    }
}
