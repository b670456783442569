using System.Runtime.CompilerServices;
using TapSensor.Core.Packets;

namespace TapSensor.Core.Decoding;

/// <summary>
/// What follows an IP header (and its extension headers): a transport header that gives the ports, a tunnel to
/// decapsulate, or a protocol keyed by its number alone. Shared by IPv4 and IPv6 so that both key flows alike.
/// </summary>
internal static class TransportDispatch
{
    /// <summary>Tunnels inside tunnels beyond this depth are refused; real networks nest one or two.</summary>
    public const int MaxTunnelDepth = 3;

    /// <param name="offset">Where the upper-layer header starts.</param>
    /// <param name="length">Bytes from there to the end of the IP packet, by its header.</param>
    /// <param name="firstFragment">This is the first fragment of a larger datagram: remember its ports.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static DecodeStatus Decode(ref DecodeContext ctx, byte protocol, int offset, int length, bool firstFragment, uint fragmentId)
    {
        ctx.Protocol = protocol;
        int headerLength;
        DecodeStatus status;
        switch (protocol)
        {
            case IpProtocol.Tcp:
                status = TcpDecoder.Decode(ref ctx, offset, length, firstFragment, out headerLength);
                break;
            case IpProtocol.Udp:
                status = UdpDecoder.Decode(ref ctx, offset, length, firstFragment, out headerLength);
                break;
            case IpProtocol.Icmp:
                status = IcmpDecoder.DecodeV4(ref ctx, offset, length, out headerLength);
                break;
            case IpProtocol.Icmpv6:
                status = IcmpDecoder.DecodeV6(ref ctx, offset, length, out headerLength);
                break;
            case IpProtocol.Sctp:
                status = SctpDecoder.Decode(ref ctx, offset, length, out headerLength);
                break;
            case IpProtocol.IpInIp:
            case IpProtocol.Ipv6:
            case IpProtocol.Gre:
                // A fragment of a tunnel packet holds only part of the inner packet: key it by the outer one.
                if (!firstFragment) return EnterTunnel(ref ctx, protocol, offset, length);
                status = DecodeStatus.Ok;
                headerLength = 0;
                break;
            default:
                status = DecodeStatus.Ok;
                headerLength = 0;
                break;
        }
        if (status != DecodeStatus.Ok) return status;

        ctx.SetPayload(offset + headerLength, length - headerLength, keepBytes: true);
        if (firstFragment)
        {
            ctx.Flags |= PacketFlags.Fragment;
            if (ctx.Fragments.Remember(ctx.SrcHi, ctx.SrcLo, ctx.DstHi, ctx.DstLo, fragmentId, protocol, ctx.SrcPort, ctx.DstPort, ctx.TimestampNs))
                ctx.Counters.Add(DecodeNote.FragmentSlotOverwritten);
        }
        return DecodeStatus.Ok;
    }

    /// <summary>
    /// A fragment after the first has no transport header; its ports come from the first fragment, if that was
    /// seen, so the fragment joins the right flow. Otherwise the ports stay 0 and the bytes are still counted.
    /// Its bytes are not the start of a transport payload, so none are offered to the name parsers.
    /// </summary>
    public static DecodeStatus DecodeLaterFragment(ref DecodeContext ctx, byte protocol, int offset, int length, uint fragmentId)
    {
        ctx.Protocol = protocol;
        ctx.Flags |= PacketFlags.Fragment;
        bool v4 = ctx.Family == 4;
        if (ctx.Fragments.TryRecall(ctx.SrcHi, ctx.SrcLo, ctx.DstHi, ctx.DstLo, fragmentId, protocol, ctx.TimestampNs,
                out ushort srcPort, out ushort dstPort))
        {
            ctx.SrcPort = srcPort;
            ctx.DstPort = dstPort;
            ctx.Counters.Add(v4 ? DecodeNote.Ipv4FragmentMatched : DecodeNote.Ipv6FragmentMatched);
        }
        else
        {
            ctx.Counters.Add(v4 ? DecodeNote.Ipv4FragmentUnmatched : DecodeNote.Ipv6FragmentUnmatched);
        }
        ctx.SetPayload(offset, length, keepBytes: false);
        return DecodeStatus.Ok;
    }

    // IP-in-IP (RFC 2003), IPv6-in-IPv4 and IPv6-in-IPv6 (RFC 4213 §3.5, RFC 2473) and GRE: the flow is the inner
    // packet's, as tshark counts conversations. The outer packet's fields stay in place as the key to use should
    // the tunnel turn out to carry something other than IP.
    private static DecodeStatus EnterTunnel(ref DecodeContext ctx, byte protocol, int offset, int length)
    {
        if (ctx.TunnelDepth >= MaxTunnelDepth) return DecodeStatus.TunnelTooDeep;
        ctx.TunnelDepth++;
        ctx.SetPayload(offset, length, keepBytes: false);
        ctx.Offset = offset;
        ctx.Next = protocol switch
        {
            IpProtocol.IpInIp => Layer.Ipv4,
            IpProtocol.Ipv6 => Layer.Ipv6,
            _ => Layer.Gre,
        };
        return DecodeStatus.Ok;
    }
}
