namespace TapSensor.Core.Decoding;

/// <summary>Raw IP link types (LINKTYPE_RAW 101 and the BSD DLT_RAW values 12 and 14): the version nibble says which IP.</summary>
internal static class RawIpDecoder
{
    public static DecodeStatus Decode(ref DecodeContext ctx)
    {
        int o = ctx.Offset;
        if (ctx.Available(o) < 1) return DecodeStatus.RawBadVersion;
        switch (ctx.Frame[o] >> 4)
        {
            case 4: ctx.Next = Layer.Ipv4; return DecodeStatus.Ok;
            case 6: ctx.Next = Layer.Ipv6; return DecodeStatus.Ok;
            default: return DecodeStatus.RawBadVersion;
        }
    }
}
