namespace TapSensor.Core.Decoding;

/// <summary>
/// PPP (RFC 1661 §2) as found on LINKTYPE_PPP, LINKTYPE_PPP_HDLC, inside PPPoE sessions and inside PPTP's GRE.
/// HDLC-like framing (RFC 1662 §3.1) may put address 0xFF and control 0x03 in front; Address-and-Control-Field
/// Compression (RFC 1661 §6.6) leaves them out. Protocol-Field Compression (RFC 1661 §6.5) may shorten the
/// protocol to one byte: protocol numbers are odd in their low byte and even in their high byte, so an odd first
/// byte is a compressed protocol.
/// </summary>
internal static class PppDecoder
{
    private const byte AllStationsAddress = 0xFF;
    private const byte UnnumberedInformation = 0x03;
    // PPP DLL protocol numbers (https://www.iana.org/assignments/ppp-numbers).
    private const ushort Ipv4 = 0x0021;
    private const ushort Ipv6 = 0x0057;
    private const ushort MplsUnicast = 0x0281;

    /// <summary>
    /// The PPP link types also carry Cisco HDLC frames (https://www.tcpdump.org/linktypes/LINKTYPE_PPP_HDLC.html;
    /// routers' captures show them under LINKTYPE_PPP too). Their address byte, 0x0F or 0x8F, is no PPP address
    /// and no valid compressed protocol, so it tells them apart.
    /// </summary>
    public static DecodeStatus DecodeLink(ref DecodeContext ctx)
    {
        int o = ctx.Offset;
        if (ctx.Available(o) >= 1
            && (ctx.Frame[o] == CiscoHdlcDecoder.UnicastAddress || ctx.Frame[o] == CiscoHdlcDecoder.BroadcastAddress))
        {
            ctx.Next = Layer.CiscoHdlc;
            return DecodeStatus.Ok;
        }
        return Decode(ref ctx);
    }

    public static DecodeStatus Decode(ref DecodeContext ctx)
    {
        int o = ctx.Offset;
        if (ctx.Available(o) < 1) return DecodeStatus.PppTruncated;
        if (ctx.Frame[o] == AllStationsAddress)
        {
            // 0xFF is no protocol, so it must be the address; the snap length may have cut the control byte.
            if (ctx.Available(o) < 2) return DecodeStatus.PppTruncated;
            if (ctx.Frame[o + 1] == UnnumberedInformation) o += 2;
        }
        if (ctx.Available(o) < 1) return DecodeStatus.PppTruncated;

        ushort protocol;
        if ((ctx.Frame[o] & 1) != 0)
        {
            protocol = ctx.Frame[o];
            o += 1;
        }
        else
        {
            if (ctx.Available(o) < 2) return DecodeStatus.PppTruncated;
            protocol = ctx.U16(o);
            o += 2;
        }
        ctx.Offset = o;

        switch (protocol)
        {
            case Ipv4: ctx.Next = Layer.Ipv4; return DecodeStatus.Ok;
            case Ipv6: ctx.Next = Layer.Ipv6; return DecodeStatus.Ok;
            case MplsUnicast: ctx.Next = Layer.Mpls; return DecodeStatus.Ok;
            // LCP, IPCP, authentication, compressed or encrypted data: no IP header to read.
            default: return DecodeStatus.NotIp;
        }
    }
}
