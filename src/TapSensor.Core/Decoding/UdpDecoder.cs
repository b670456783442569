using System.Runtime.CompilerServices;
namespace TapSensor.Core.Decoding;

/// <summary>UDP header (RFC 768): ports and a length that must fit the IP payload.</summary>
internal static class UdpDecoder
{
    public const int HeaderLength = 8;
    private const int PortsLength = 4;
    private const int MaxIpPayloadWithLengthField = 65535;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static DecodeStatus Decode(ref DecodeContext ctx, int offset, int length, bool firstFragment, out int headerLength)
    {
        headerLength = HeaderLength;
        if (length < HeaderLength) return DecodeStatus.UdpBadLength;
        int captured = ctx.Available(offset);
        if (captured < PortsLength) return DecodeStatus.UdpTruncated;

        ctx.SrcPort = ctx.U16(offset);
        ctx.DstPort = ctx.U16(offset + 2);
        if (captured >= PortsLength + 2)
        {
            int udpLength = ctx.U16(offset + 4);
            // RFC 2675 §4: a UDP jumbogram has length 0 and takes its length from the IPv6 jumbo payload.
            bool jumbo = udpLength == 0 && length > MaxIpPayloadWithLengthField;
            if (udpLength < HeaderLength && !jumbo) return DecodeStatus.UdpBadLength;
            // A first fragment carries only part of the datagram the length describes.
            if (udpLength > length && !firstFragment) return DecodeStatus.UdpBadLength;
        }
        return DecodeStatus.Ok;
    }
}
