namespace TapSensor.Core.Decoding;

/// <summary>SCTP common header (RFC 9260 §3.1): source port, destination port, verification tag, checksum.</summary>
internal static class SctpDecoder
{
    public const int HeaderLength = 12;
    private const int PortsLength = 4;

    public static DecodeStatus Decode(ref DecodeContext ctx, int offset, int length, out int headerLength)
    {
        headerLength = HeaderLength;
        if (length < HeaderLength || ctx.Available(offset) < PortsLength) return DecodeStatus.SctpTruncated;
        ctx.SrcPort = ctx.U16(offset);
        ctx.DstPort = ctx.U16(offset + 2);
        return DecodeStatus.Ok;
    }
}
