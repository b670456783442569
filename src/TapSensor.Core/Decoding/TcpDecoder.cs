using System.Runtime.CompilerServices;
namespace TapSensor.Core.Decoding;

/// <summary>TCP header (RFC 9293 §3.1): ports, data offset and flags; nothing else matters to a flow key.</summary>
internal static class TcpDecoder
{
    public const int MinHeaderLength = 20;
    private const int PortsLength = 4;
    private const int FlagsEnd = 14;

    /// <param name="length">Segment length by the IP header (for a first fragment: this fragment's share).</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static DecodeStatus Decode(ref DecodeContext ctx, int offset, int length, bool firstFragment, out int headerLength)
    {
        headerLength = MinHeaderLength;
        // A whole segment is at least the fixed header. A first fragment may legally stop sooner (RFC 1858 §3
        // calls such tiny fragments an attack, but the ports are there and the bytes still count).
        if (length < (firstFragment ? PortsLength : MinHeaderLength)) return DecodeStatus.TcpTooSmall;
        int captured = ctx.Available(offset);
        if (captured < PortsLength) return DecodeStatus.TcpTruncated;

        ctx.SrcPort = ctx.U16(offset);
        ctx.DstPort = ctx.U16(offset + 2);
        if (captured >= FlagsEnd)
        {
            // Data offset counts 32-bit words (RFC 9293 §3.1); under 5 cannot hold the fixed header.
            int dataOffset = (ctx.Frame[offset + 12] >> 4) * 4;
            if (dataOffset < MinHeaderLength) return DecodeStatus.TcpBadHeaderLength;
            if (dataOffset > length && !firstFragment) return DecodeStatus.TcpBadHeaderLength;
            headerLength = dataOffset;
            ctx.TcpFlags = ctx.Frame[offset + 13];
        }
        // Otherwise the snap length cut the header before the data offset: assume no options.
        return DecodeStatus.Ok;
    }
}
