namespace TapSensor.Core.Decoding;

/// <summary>
/// GRE: version 0 (RFC 2784 §2 with the key and sequence number of RFC 2890 §2) and the enhanced version 1 of
/// PPTP (RFC 2637 §4.1). The payload protocol is an EtherType: IPv4, IPv6 and MPLS continue through the
/// EtherType stage; transparent Ethernet bridging (0x6558) and ERSPAN (0x88BE, 0x22EB) carry Ethernet frames;
/// 0x880B carries PPP.
/// Anything else is not decapsulated and the outer packet keys the flow.
/// </summary>
internal static class GreDecoder
{
    public const int BaseHeaderLength = 4;
    private const ushort ChecksumPresent = 0x8000;
    private const ushort RoutingPresent = 0x4000;   // RFC 1701 source routing, deprecated by RFC 2784
    private const ushort KeyPresent = 0x2000;
    private const ushort SequencePresent = 0x1000;
    private const ushort StrictSourceRoute = 0x0800;
    private const ushort RecursionControl = 0x0700;
    private const ushort AcknowledgmentPresent = 0x0080; // RFC 2637 §4.1, version 1 only
    private const ushort VersionMask = 0x0007;
    private const ushort PptpPpp = 0x880B;

    public static DecodeStatus Decode(ref DecodeContext ctx)
    {
        int o = ctx.Offset;
        if (ctx.Available(o) < BaseHeaderLength) return DecodeStatus.GreTruncated;
        ushort flags = ctx.U16(o);
        ushort protocol = ctx.U16(o + 2);
        int headerLength = BaseHeaderLength;

        switch (flags & VersionMask)
        {
            case 0:
                // RFC 2784 §2.5: a receiver that does not implement RFC 1701 discards packets with bits 1-5 set;
                // RFC 2890 has since given bits 2 (key) and 3 (sequence) a meaning.
                if ((flags & (RoutingPresent | StrictSourceRoute | RecursionControl)) != 0) return DecodeStatus.GreUnsupportedFlags;
                if ((flags & ChecksumPresent) != 0) headerLength += 4;
                if ((flags & KeyPresent) != 0) headerLength += 4;
                if ((flags & SequencePresent) != 0) headerLength += 4;
                break;
            case 1:
                // RFC 2637 §4.1: key present (payload length + call id), no checksum or routing, protocol PPP.
                if ((flags & (ChecksumPresent | RoutingPresent | StrictSourceRoute | RecursionControl)) != 0
                    || (flags & KeyPresent) == 0 || protocol != PptpPpp)
                    return DecodeStatus.GreBadPptpHeader;
                headerLength += 4;
                if ((flags & SequencePresent) != 0) headerLength += 4;
                if ((flags & AcknowledgmentPresent) != 0) headerLength += 4;
                break;
            default:
                return DecodeStatus.GreBadVersion;
        }
        if (ctx.Available(o) < headerLength) return DecodeStatus.GreTruncated;
        ctx.Offset = o + headerLength;

        if ((flags & VersionMask) == 1)
        {
            // An acknowledgment-only packet has payload length 0 and nothing to decapsulate.
            if (ctx.U16(o + 4) != 0) ctx.Next = Layer.Ppp;
            return DecodeStatus.Ok;
        }

        switch (protocol)
        {
            case EtherTypes.TransparentEthernetBridging:
                ctx.Next = Layer.Ethernet;
                break;
            case EtherTypes.ErspanType2:
                // ERSPAN type I has no sequence number and no ERSPAN header; type II has both.
                ctx.Next = (flags & SequencePresent) != 0 ? Layer.ErspanType2 : Layer.Ethernet;
                break;
            case EtherTypes.ErspanType3:
                ctx.Next = Layer.ErspanType3;
                break;
            case PptpPpp:
                // Some routers send PPP over plain version 0 GRE with the PPTP protocol type.
                ctx.Next = Layer.Ppp;
                break;
            default:
                ctx.EtherType = protocol;
                ctx.VlanTags = 0;
                ctx.Next = Layer.EtherType;
                break;
        }
        return DecodeStatus.Ok;
    }
}
