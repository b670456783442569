using System.Runtime.CompilerServices;
namespace TapSensor.Core.Decoding;

/// <summary>Ethernet II / IEEE 802.3 header (IEEE 802.3 §3.1.1): destination, source, EtherType or length.</summary>
internal static class EthernetDecoder
{
    public const int HeaderLength = 14;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static DecodeStatus Decode(ref DecodeContext ctx)
    {
        int o = ctx.Offset;
        if (ctx.Available(o) < HeaderLength) return DecodeStatus.EthernetTruncated;

        // The outermost Ethernet header names the devices; headers inside tunnels or pseudowires do not.
        if (!ctx.HasMac)
        {
            ctx.DstMac = ctx.Mac(o);
            ctx.SrcMac = ctx.Mac(o + 6);
            ctx.HasMac = true;
        }
        ctx.VlanTags = 0;
        ctx.EtherType = ctx.U16(o + 12);
        ctx.Offset = o + HeaderLength;
        ctx.Next = Layer.EtherType;
        return DecodeStatus.Ok;
    }
}
