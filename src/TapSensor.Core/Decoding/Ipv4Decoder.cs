using System.Runtime.CompilerServices;
namespace TapSensor.Core.Decoding;

/// <summary>
/// IPv4 header (RFC 791 §3.1). Lengths are taken from the header but never trusted beyond the frame: the packet
/// is what the total length says, cut at what the wire carried; what the snap length kept may be less still
/// (that is normal and only flags the summary as truncated).
/// </summary>
internal static class Ipv4Decoder
{
    public const int MinHeaderLength = 20;
    private const ushort MoreFragments = 0x2000;
    private const ushort FragmentOffsetMask = 0x1FFF;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static DecodeStatus Decode(ref DecodeContext ctx)
    {
        int o = ctx.Offset;
        int captured = ctx.Available(o);
        if (captured < MinHeaderLength) return DecodeStatus.Ipv4Truncated;
        byte versionAndIhl = ctx.Frame[o];
        if (versionAndIhl >> 4 != 4) return DecodeStatus.Ipv4WrongVersion;
        // IHL counts 32-bit words, 5 to 15; options (RFC 791 §3.1 "Options") fill the rest and are skipped.
        int headerLength = (versionAndIhl & 0x0F) * 4;
        if (headerLength < MinHeaderLength) return DecodeStatus.Ipv4BadHeaderLength;
        if (captured < headerLength) return DecodeStatus.Ipv4Truncated;

        int wire = ctx.WireEnd - o;
        int totalLength = ctx.U16(o + 2);
        int length;
        if (totalLength == 0)
        {
            // Segmentation offload hands the capture super-frames whose total length is still 0 (Zeek reports
            // these as ip_hdr_len_zero); the frame is the only length there is.
            length = wire;
            ctx.Counters.Add(DecodeNote.Ipv4ZeroTotalLength);
        }
        else if (totalLength < headerLength)
        {
            return DecodeStatus.Ipv4BadTotalLength;
        }
        else if (totalLength > wire)
        {
            length = wire;
            ctx.Counters.Add(DecodeNote.IpLengthExceedsFrame);
        }
        else
        {
            length = totalLength;
        }

        ctx.EnterIp(4, length, o + length);
        ctx.SetIpv4Addresses(ctx.U32(o + 12), ctx.U32(o + 16));
        ushort identification = ctx.U16(o + 4);
        ushort fragment = ctx.U16(o + 6);
        byte protocol = ctx.Frame[o + 9];
        int next = o + headerLength;
        int remaining = length - headerLength;

        // RFC 791 §2.3 "Fragmentation": a non-zero offset means the transport header went with the first fragment.
        if ((fragment & FragmentOffsetMask) != 0)
            return TransportDispatch.DecodeLaterFragment(ref ctx, protocol, next, remaining, identification);

        bool firstFragment = (fragment & MoreFragments) != 0;

        // RFC 4302 §3.1.1: transport-mode AH sits between the IP and transport headers; step over one so the
        // flow is keyed by the transport that follows (as IPv6 does in its extension header walk).
        if (protocol == IpProtocol.Ah)
        {
            if (ctx.Available(next) < 2) return DecodeStatus.Ipv4AhTruncated;
            int ahLength = (ctx.Frame[next + 1] + 2) * 4;
            if (remaining < ahLength || ctx.Available(next) < ahLength) return DecodeStatus.Ipv4AhTruncated;
            protocol = ctx.Frame[next];
            next += ahLength;
            remaining -= ahLength;
        }

        return TransportDispatch.Decode(ref ctx, protocol, next, remaining, firstFragment, identification);
    }
}
