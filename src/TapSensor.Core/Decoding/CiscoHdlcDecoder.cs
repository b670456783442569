namespace TapSensor.Core.Decoding;

/// <summary>
/// Cisco HDLC (https://www.tcpdump.org/linktypes/LINKTYPE_C_HDLC.html): address (0x0F unicast, 0x8F broadcast),
/// control 0x00, then an EtherType. SLARP keepalives (0x8035) and CDP end up as <see cref="DecodeStatus.NotIp"/>.
/// </summary>
internal static class CiscoHdlcDecoder
{
    public const int HeaderLength = 4;
    public const byte UnicastAddress = 0x0F;
    public const byte BroadcastAddress = 0x8F;

    public static DecodeStatus Decode(ref DecodeContext ctx)
    {
        int o = ctx.Offset;
        if (ctx.Available(o) < HeaderLength) return DecodeStatus.CiscoHdlcTruncated;
        ctx.EtherType = ctx.U16(o + 2);
        ctx.Offset = o + HeaderLength;
        ctx.VlanTags = 0;
        ctx.Next = Layer.EtherType;
        return DecodeStatus.Ok;
    }
}
