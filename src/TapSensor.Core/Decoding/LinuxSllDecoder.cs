namespace TapSensor.Core.Decoding;

/// <summary>
/// Linux "cooked" capture headers, used for captures on the "any" device and on interfaces without a link header
/// (https://www.tcpdump.org/linktypes/LINKTYPE_LINUX_SLL.html and LINKTYPE_LINUX_SLL2.html).
/// The protocol field is an EtherType for the link types we care about; libpcap puts a VLAN tag it took from
/// the kernel's metadata back in as 0x8100, which the EtherType stage reads.
/// </summary>
internal static class LinuxSllDecoder
{
    public const int SllHeaderLength = 16;
    public const int Sll2HeaderLength = 20;
    private const ushort ArphrdEther = 1;
    private const int EthernetAddressLength = 6;

    /// <summary>SLL v1: packet type(2) ARPHRD type(2) address length(2) address(8) protocol(2).</summary>
    public static DecodeStatus DecodeV1(ref DecodeContext ctx)
    {
        int o = ctx.Offset;
        if (ctx.Available(o) < SllHeaderLength) return DecodeStatus.SllTruncated;
        TakeSourceMac(ref ctx, ctx.U16(o + 2), ctx.U16(o + 4), o + 6);
        ctx.EtherType = ctx.U16(o + 14);
        ctx.Offset = o + SllHeaderLength;
        ctx.VlanTags = 0;
        ctx.Next = Layer.EtherType;
        return DecodeStatus.Ok;
    }

    /// <summary>SLL v2: protocol(2) reserved(2) interface index(4) ARPHRD type(2) packet type(1) address length(1) address(8).</summary>
    public static DecodeStatus DecodeV2(ref DecodeContext ctx)
    {
        int o = ctx.Offset;
        if (ctx.Available(o) < Sll2HeaderLength) return DecodeStatus.Sll2Truncated;
        TakeSourceMac(ref ctx, ctx.U16(o + 8), ctx.Frame[o + 11], o + 12);
        ctx.EtherType = ctx.U16(o);
        ctx.Offset = o + Sll2HeaderLength;
        ctx.VlanTags = 0;
        ctx.Next = Layer.EtherType;
        return DecodeStatus.Ok;
    }

    // The address field is the sender's link address for every packet type (incoming and outgoing alike), so on
    // an Ethernet device it is the source MAC; the destination is not recorded by the kernel and stays 0.
    private static void TakeSourceMac(ref DecodeContext ctx, ushort hardwareType, int addressLength, int addressOffset)
    {
        if (hardwareType != ArphrdEther || addressLength != EthernetAddressLength || ctx.HasMac) return;
        ctx.SrcMac = ctx.Mac(addressOffset);
        ctx.HasMac = true;
    }
}
