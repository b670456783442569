using System.Runtime.CompilerServices;
namespace TapSensor.Core.Decoding;

/// <summary>
/// IPv6 header (RFC 8200 §3) and the extension header chain (RFC 8200 §4) up to the upper-layer header.
/// Hop-by-hop, routing, destination options and AH are stepped over; a fragment header either continues the walk
/// (first fragment) or ends it (later fragment). ESP, No Next Header and anything unknown end the walk and key
/// the flow by that protocol number with ports 0.
/// </summary>
internal static class Ipv6Decoder
{
    public const int HeaderLength = 40;
    /// <summary>RFC 8200 §4.1 recommends at most one of each kind; 8 allows repeats and bounds the walk.</summary>
    public const int MaxExtensionHeaders = 8;
    private const int FragmentHeaderLength = 8;
    private const ushort FragmentOffsetMask = 0xFFF8;
    private const ushort MoreFragments = 0x0001;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static DecodeStatus Decode(ref DecodeContext ctx)
    {
        int o = ctx.Offset;
        if (ctx.Available(o) < HeaderLength) return DecodeStatus.Ipv6Truncated;
        if (ctx.Frame[o] >> 4 != 6) return DecodeStatus.Ipv6WrongVersion;

        int wire = ctx.WireEnd - o;
        int payloadLength = ctx.U16(o + 4);
        byte next = ctx.Frame[o + 6];
        int length;
        if (payloadLength == 0 && (next == IpProtocol.HopByHop || next == IpProtocol.Tcp))
        {
            // A jumbogram (RFC 2675 §3) carries a hop-by-hop header; Linux BIG TCP hands the capture TCP
            // super-frames with payload length 0 and no such header. Only the frame knows their length.
            // Other protocols with length 0 simply have an empty payload (any rest is link padding).
            length = wire;
            ctx.Counters.Add(DecodeNote.Ipv6ZeroPayloadLength);
        }
        else if (HeaderLength + payloadLength > wire)
        {
            length = wire;
            ctx.Counters.Add(DecodeNote.IpLengthExceedsFrame);
        }
        else
        {
            length = HeaderLength + payloadLength;
        }

        ctx.EnterIp(6, length, o + length);
        ctx.SrcHi = ctx.U64(o + 8);
        ctx.SrcLo = ctx.U64(o + 16);
        ctx.DstHi = ctx.U64(o + 24);
        ctx.DstLo = ctx.U64(o + 32);

        int end = o + length;
        int at = o + HeaderLength;
        bool firstFragment = false;
        uint fragmentId = 0;
        for (int i = 0; i <= MaxExtensionHeaders; i++)
        {
            if (!IsExtensionHeader(next)) break;
            if (i == MaxExtensionHeaders) return DecodeStatus.Ipv6TooManyExtensionHeaders;

            int minimum = next == IpProtocol.Ipv6Fragment ? FragmentHeaderLength : 2;
            if (end - at < minimum) return DecodeStatus.Ipv6ExtensionHeaderBadLength;
            if (ctx.Available(at) < minimum) return DecodeStatus.Ipv6ExtensionHeaderTruncated;
            int headerLength = next switch
            {
                IpProtocol.Ipv6Fragment => FragmentHeaderLength,
                // RFC 4302 §2.2: AH length is in 4-octet units, minus 2.
                IpProtocol.Ah => (ctx.Frame[at + 1] + 2) * 4,
                // RFC 8200 §4.3, §4.4, §4.6: length in 8-octet units, not counting the first 8.
                _ => (ctx.Frame[at + 1] + 1) * 8,
            };
            if (end - at < headerLength) return DecodeStatus.Ipv6ExtensionHeaderBadLength;
            if (ctx.Available(at) < headerLength) return DecodeStatus.Ipv6ExtensionHeaderTruncated;

            if (next == IpProtocol.Ipv6Fragment)
            {
                // RFC 8200 §4.5: offset in 8-octet units in the top 13 bits, M flag in the lowest bit.
                ushort offsetAndFlags = ctx.U16(at + 2);
                uint identification = ctx.U32(at + 4);
                if ((offsetAndFlags & FragmentOffsetMask) != 0)
                    return TransportDispatch.DecodeLaterFragment(ref ctx, ctx.Frame[at], at + headerLength, end - at - headerLength, identification);
                // Offset 0 without M is an atomic fragment (RFC 6946 §4): processed as a whole packet.
                if ((offsetAndFlags & MoreFragments) != 0)
                {
                    firstFragment = true;
                    fragmentId = identification;
                }
            }
            next = ctx.Frame[at];
            at += headerLength;
        }

        return TransportDispatch.Decode(ref ctx, next, at, end - at, firstFragment, fragmentId);
    }

    private static bool IsExtensionHeader(byte next) =>
        next is IpProtocol.HopByHop or IpProtocol.Ipv6Routing or IpProtocol.Ipv6Fragment
            or IpProtocol.Ipv6DestinationOptions or IpProtocol.Ah;
}
