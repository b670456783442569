namespace TapSensor.Core.Decoding;

/// <summary>
/// BSD loopback encapsulations (https://www.tcpdump.org/linktypes/LINKTYPE_NULL.html): a 4-byte address family.
/// LINKTYPE_NULL writes it in the capturing host's byte order, which the file does not record, so both orders are
/// accepted; LINKTYPE_LOOP writes it in network order. AF_INET is 2 everywhere; AF_INET6 differs by OS.
/// </summary>
internal static class LoopbackDecoder
{
    public const int HeaderLength = 4;
    private const uint AfInet = 2;
    private const uint AfInet6NetBsdOpenBsd = 24;
    private const uint AfInet6FreeBsd = 28;
    private const uint AfInet6Darwin = 30;

    public static DecodeStatus DecodeNull(ref DecodeContext ctx)
    {
        int o = ctx.Offset;
        if (ctx.Available(o) < HeaderLength) return DecodeStatus.LoopbackTruncated;
        uint family = ctx.U32(o);
        // Families are small numbers, so a value with only high bytes set was written little-endian.
        if ((family & 0xFFFF) == 0) family = System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(family);
        return Dispatch(ref ctx, family, o + HeaderLength);
    }

    public static DecodeStatus DecodeLoop(ref DecodeContext ctx)
    {
        int o = ctx.Offset;
        if (ctx.Available(o) < HeaderLength) return DecodeStatus.LoopbackTruncated;
        return Dispatch(ref ctx, ctx.U32(o), o + HeaderLength);
    }

    private static DecodeStatus Dispatch(ref DecodeContext ctx, uint family, int next)
    {
        ctx.Offset = next;
        switch (family)
        {
            case AfInet: ctx.Next = Layer.Ipv4; return DecodeStatus.Ok;
            case AfInet6NetBsdOpenBsd:
            case AfInet6FreeBsd:
            case AfInet6Darwin: ctx.Next = Layer.Ipv6; return DecodeStatus.Ok;
            default: return DecodeStatus.NotIp;
        }
    }
}
