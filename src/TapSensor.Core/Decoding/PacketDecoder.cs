using System.Runtime.CompilerServices;
using TapSensor.Core.Flows;
using TapSensor.Core.Packets;

namespace TapSensor.Core.Decoding;

/// <summary>
/// Turns one captured frame into a <see cref="PacketSummary"/>, on the capture thread, without allocating,
/// throwing or locking. Each header is read by one stage that names the next (<see cref="Layer"/>), so link
/// types, tags, tunnels and transports combine freely while every walk stays bounded.
/// <para>
/// One instance per capture thread: it owns a small fragment table and its counters, and is not thread-safe.
/// Every call adds exactly one to the counter of the status it returns.
/// </para>
/// </summary>
internal sealed class PacketDecoder
{
    /// <summary>
    /// Upper bound on headers read per frame. The deepest legitimate stack (QinQ, PPPoE, three tunnels each with
    /// an ERSPAN header and an inner Ethernet frame) stays under 24; MPLS pseudowires can otherwise nest forever.
    /// </summary>
    public const int MaxStages = 32;

    private readonly ulong _hashSeed;
    private readonly FragmentTable _fragments;

    public PacketDecoder(ulong hashSeed)
    {
        _hashSeed = hashSeed;
        _fragments = new FragmentTable(hashSeed);
        Counters = new DecodeCounters();
    }

    public DecodeCounters Counters { get; }

    /// <summary>
    /// Decodes one frame. SrcMac/DstMac come from the outermost Ethernet header; Linux cooked captures of an
    /// Ethernet device give the source MAC only. WireLength is the wire length, raised to the captured length
    /// should a broken capture header claim less.
    /// </summary>
    /// <param name="linkType">pcap LINKTYPE_ number of the capture.</param>
    /// <param name="frame">The captured bytes (caplen).</param>
    /// <param name="wireLength">The frame's length on the wire (pcap orig_len).</param>
    /// <param name="summary">
    /// On <see cref="DecodeStatus.Ok"/>, every field but PayloadOffset and PayloadKept is set. On
    /// <see cref="DecodeStatus.NotIp"/> for an ARP frame, the time, MACs and <see cref="PacketFlags.LinkOnly"/>
    /// are set. Otherwise untouched.
    /// </param>
    /// <param name="payloadStart">Offset in <paramref name="frame"/> of the transport payload (or of the ARP message); 0 otherwise.</param>
    /// <param name="payloadCaptured">Bytes of that payload present in <paramref name="frame"/>; 0 otherwise.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public DecodeStatus Decode(int linkType, ReadOnlySpan<byte> frame, int wireLength, long timestampNs,
        ref PacketSummary summary, out int payloadStart, out int payloadCaptured)
    {
        var ctx = new DecodeContext(frame, wireLength, timestampNs, _fragments, Counters);
        DecodeStatus status = FirstLayer(linkType, out ctx.Next);
        if (status == DecodeStatus.Ok) status = Run(ref ctx);
        if (status == DecodeStatus.NotIp && ctx.HasIp)
        {
            // A tunnel carried ARP, PPP control or some other non-IP payload: the tunnel packet itself is the flow.
            Counters.Add(DecodeNote.TunnelPayloadNotIp);
            status = DecodeStatus.Ok;
        }
        Counters.Add(status);
        if (status != DecodeStatus.Ok)
        {
            if (status == DecodeStatus.NotIp && ctx.ArpOffset > 0)
            {
                // An ARP message: no flow, but its bytes and the frame's MACs for the discovery lane.
                summary.SrcMac = ctx.SrcMac;
                summary.DstMac = ctx.DstMac;
                summary.TimestampNs = timestampNs;
                summary.Flags = PacketFlags.LinkOnly;
                payloadStart = ctx.ArpOffset;
                payloadCaptured = frame.Length - ctx.ArpOffset;
                return status;
            }
            payloadStart = 0;
            payloadCaptured = 0;
            return status;
        }

        FlowKey key = FlowKey.Create(ctx.SrcHi, ctx.SrcLo, ctx.SrcPort, ctx.DstHi, ctx.DstLo, ctx.DstPort,
            ctx.Protocol, ctx.Family, ctx.Vlan, out bool srcIsA);
        PacketFlags flags = ctx.Flags;
        if (srcIsA) flags |= PacketFlags.SrcIsA;
        if (ctx.Truncated)
        {
            flags |= PacketFlags.Truncated;
            Counters.Add(DecodeNote.TruncatedOk);
        }
        if ((flags & PacketFlags.Tunnelled) != 0) Counters.Add(DecodeNote.Tunnelled);

        summary.TimestampNs = timestampNs;
        summary.Key = key;
        summary.Hash = FlowHash.Compute(in key, _hashSeed);
        summary.SrcMac = ctx.SrcMac;
        summary.DstMac = ctx.DstMac;
        summary.WireLength = wireLength > frame.Length ? wireLength : frame.Length;
        summary.IpLength = ctx.IpLength;
        summary.PayloadLength = ctx.PayloadLength;
        summary.TcpFlags = ctx.TcpFlags;
        summary.Flags = flags;
        payloadStart = ctx.PayloadStart;
        payloadCaptured = ctx.PayloadCaptured;
        return DecodeStatus.Ok;
    }

    private static DecodeStatus FirstLayer(int linkType, out Layer layer)
    {
        layer = linkType switch
        {
            (int)LinkType.Ethernet => Layer.Ethernet,
            (int)LinkType.LinuxSll => Layer.LinuxSll,
            (int)LinkType.LinuxSll2 => Layer.LinuxSll2,
            (int)LinkType.Raw or (int)LinkType.RawDlt12 or (int)LinkType.RawDlt14 => Layer.RawIp,
            (int)LinkType.Ipv4 => Layer.Ipv4,
            (int)LinkType.Ipv6 => Layer.Ipv6,
            (int)LinkType.Null => Layer.Null,
            (int)LinkType.Loop => Layer.Loop,
            (int)LinkType.Ppp or (int)LinkType.PppSerial => Layer.PppLink,
            (int)LinkType.PppEther => Layer.PppoeSession,
            (int)LinkType.CiscoHdlc => Layer.CiscoHdlc,
            _ => Layer.Done,
        };
        return layer == Layer.Done ? DecodeStatus.UnknownLinkType : DecodeStatus.Ok;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static DecodeStatus Run(ref DecodeContext ctx)
    {
        for (int stage = 0; stage < MaxStages; stage++)
        {
            Layer layer = ctx.Next;
            ctx.Next = Layer.Done;
            DecodeStatus status;
            switch (layer)
            {
                case Layer.Done: return DecodeStatus.Ok;
                case Layer.Ethernet: status = EthernetDecoder.Decode(ref ctx); break;
                case Layer.EtherType: status = EtherTypes.Decode(ref ctx); break;
                case Layer.LinuxSll: status = LinuxSllDecoder.DecodeV1(ref ctx); break;
                case Layer.LinuxSll2: status = LinuxSllDecoder.DecodeV2(ref ctx); break;
                case Layer.Null: status = LoopbackDecoder.DecodeNull(ref ctx); break;
                case Layer.Loop: status = LoopbackDecoder.DecodeLoop(ref ctx); break;
                case Layer.Ppp: status = PppDecoder.Decode(ref ctx); break;
                case Layer.PppLink: status = PppDecoder.DecodeLink(ref ctx); break;
                case Layer.CiscoHdlc: status = CiscoHdlcDecoder.Decode(ref ctx); break;
                case Layer.PppoeSession: status = PppoeDecoder.Decode(ref ctx); break;
                case Layer.Mpls: status = MplsDecoder.Decode(ref ctx); break;
                case Layer.RawIp: status = RawIpDecoder.Decode(ref ctx); break;
                case Layer.Ipv4: status = Ipv4Decoder.Decode(ref ctx); break;
                case Layer.Ipv6: status = Ipv6Decoder.Decode(ref ctx); break;
                case Layer.Gre: status = GreDecoder.Decode(ref ctx); break;
                case Layer.ErspanType2: status = ErspanDecoder.DecodeType2(ref ctx); break;
                case Layer.ErspanType3: status = ErspanDecoder.DecodeType3(ref ctx); break;
                default: return DecodeStatus.TooManyLayers; // unreachable: every layer has a stage
            }
            if (status != DecodeStatus.Ok) return status;
        }
        return ctx.Next == Layer.Done ? DecodeStatus.Ok : DecodeStatus.TooManyLayers;
    }
}
