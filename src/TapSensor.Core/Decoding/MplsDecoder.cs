namespace TapSensor.Core.Decoding;

/// <summary>
/// MPLS label stack (RFC 3032 §2.1): 4-byte entries Label(20) TC(3) S(1) TTL(8), S set on the bottom entry.
/// The stack does not say what follows it, so the first nibble decides, as routers and Suricata do: 4 or 6 is an
/// IP version; 0 is the pseudowire control word (RFC 4385 §3) in front of an Ethernet frame (RFC 4448).
/// </summary>
internal static class MplsDecoder
{
    /// <summary>Real networks stack a handful of labels (transport, service, entropy); 8 leaves room and bounds the walk.</summary>
    public const int MaxLabels = 8;
    private const int EntryLength = 4;
    private const uint BottomOfStack = 0x100;
    private const int ControlWordLength = 4;

    public static DecodeStatus Decode(ref DecodeContext ctx)
    {
        int o = ctx.Offset;
        bool bottom = false;
        for (int i = 0; i < MaxLabels && !bottom; i++)
        {
            if (ctx.Available(o) < EntryLength) return DecodeStatus.MplsTruncated;
            bottom = (ctx.U32(o) & BottomOfStack) != 0;
            o += EntryLength;
        }
        if (!bottom) return DecodeStatus.MplsTooManyLabels;
        if (ctx.Available(o) < 1) return DecodeStatus.MplsTruncated;

        switch (ctx.Frame[o] >> 4)
        {
            case 4: ctx.Next = Layer.Ipv4; break;
            case 6: ctx.Next = Layer.Ipv6; break;
            case 0:
                if (ctx.Available(o) < ControlWordLength) return DecodeStatus.MplsTruncated;
                o += ControlWordLength;
                ctx.Next = Layer.Ethernet;
                break;
            default: return DecodeStatus.MplsUnknownPayload;
        }
        ctx.Offset = o;
        return DecodeStatus.Ok;
    }
}
