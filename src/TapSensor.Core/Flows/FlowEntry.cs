using System.Runtime.CompilerServices;
using TapSensor.Core.Packets;

namespace TapSensor.Core.Flows;

/// <summary>
/// One slot of a shard's open-addressed flow table: the key inline, the cached slot hash and the
/// counters of the current record, and the destination name its payload gave. It packs to 184 bytes
/// (checked by a test); at the table's load bound of 0.75 that is about 245 bytes per active flow.
/// The one reference field (the name) is written once per named flow, so the table's write barriers
/// stay off the packet path.
/// Updated in place through <c>ref</c> by the shard's single worker thread.
/// </summary>
internal struct FlowEntry
{
    public FlowKey Key;
    /// <summary>Packet time of the first and the latest packet of the current record.</summary>
    public long FirstNs;
    public long LastNs;
    public long OrigPkts;
    public long RespPkts;
    public long OrigIpBytes;
    public long RespIpBytes;
    public long OrigBytes;
    public long RespBytes;
    /// <summary>Totals at the last report of this record; the next report carries the difference.</summary>
    public long ReportedOrigPkts;
    public long ReportedRespPkts;
    public long ReportedOrigIpBytes;
    public long ReportedRespIpBytes;
    public ulong OrigMac;
    public ulong RespMac;
    /// <summary>Low 32 bits of <see cref="FlowHash.Compute"/>: the slot hash (the high half picked the shard).</summary>
    public uint Hash;
    public uint Sequence;
    public FlowHistory History;
    public TcpState State;
    public byte OrigTcpFlags;
    public byte RespTcpFlags;
    public FlowEntryFlags Flags;
    /// <summary>Low byte of the report interval number (packet time / ReportInterval) of the last report.</summary>
    public byte ReportEpoch;
    /// <summary>The destination's name from this flow's own payload (TLS/QUIC SNI, HTTP Host), set once by the worker.</summary>
    public string? RemoteName;
    public RemoteNameSource NameSource;
    /// <summary>Application protocol recognised from the payload.</summary>
    public AppProtocol App;
    /// <summary>Originator payloads offered to the name parsers so far (they give up after a few).</summary>
    public byte NameProbes;

    public const byte TcpProtocol = 6;
    public const byte UdpProtocol = 17;

    // TCP header flag bits (RFC 9293 §3.1).
    public const byte Fin = 0x01;
    public const byte Syn = 0x02;
    public const byte Rst = 0x04;
    public const byte Ack = 0x10;

    public readonly bool IsUsed => (Flags & FlowEntryFlags.Used) != 0;
    public readonly bool OrigIsA => (Flags & FlowEntryFlags.OrigIsA) != 0;
    public readonly bool HasUnreportedPackets => OrigPkts != ReportedOrigPkts || RespPkts != ReportedRespPkts;
    public readonly bool IsTcp => Key.Protocol == TcpProtocol;

    /// <summary>
    /// A segment that may open a connection: SYN alone among SYN, ACK, RST and FIN (ECN bits allowed,
    /// RFC 3168 §6.1.1). SYN+FIN and SYN+RST are scanner tricks, not openings.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsBareSyn(byte tcpFlags) => (tcpFlags & (Syn | Ack | Rst | Fin)) == Syn;

    /// <summary>
    /// Starts a new flow from its first packet: decides who originated it and notes how it was picked up.
    /// The caller has already placed <see cref="Key"/>, <see cref="Hash"/> and the Used flag.
    /// </summary>
    public void Open(in PacketSummary packet, byte reportEpoch)
    {
        bool senderIsOrig = true;
        FlowHistory history = FlowHistory.None;
        byte flags = packet.TcpFlags;
        if (Key.Protocol == TcpProtocol)
        {
            if (IsBareSyn(flags))
            {
                history = FlowHistory.FirstWasSyn;
            }
            else
            {
                history = FlowHistory.MidStream;
                // A SYN+ACK answers a SYN we missed, so its receiver opened the connection.
                senderIsOrig = (flags & (Syn | Ack | Rst)) == (Syn | Ack) ? false : !ServerToClient(in packet);
            }
        }
        else if (Key.Protocol == UdpProtocol)
        {
            senderIsOrig = !ServerToClient(in packet);
        }

        bool origIsA = senderIsOrig == packet.SrcIsA;
        Flags = FlowEntryFlags.Used | (origIsA ? FlowEntryFlags.OrigIsA : FlowEntryFlags.None);
        History = history;
        State = TcpState.None;
        FirstNs = packet.TimestampNs;
        LastNs = packet.TimestampNs;
        ReportEpoch = reportEpoch;
    }

    /// <summary>
    /// Port heuristic for a flow joined late: a packet from a well-known port (below 1024, RFC 6335 §6)
    /// to an ephemeral one is a server answering, so the other side originated.
    /// </summary>
    private static bool ServerToClient(in PacketSummary packet)
    {
        ushort src = packet.SrcIsA ? packet.Key.PortA : packet.Key.PortB;
        ushort dst = packet.SrcIsA ? packet.Key.PortB : packet.Key.PortA;
        return src < 1024 && dst >= 1024;
    }

    /// <summary>Counts a packet into the current record and advances the TCP state.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Apply(in PacketSummary packet)
    {
        long ts = packet.TimestampNs;
        if (ts > LastNs) LastNs = ts;
        if (ts < FirstNs) FirstNs = ts;

        bool fromOrig = packet.SrcIsA == OrigIsA;
        if (fromOrig)
        {
            OrigPkts++;
            OrigIpBytes += packet.IpLength;
            OrigBytes += packet.PayloadLength;
            OrigMac = packet.SrcMac;
            RespMac = packet.DstMac;
            if (packet.PayloadLength > 0) History |= FlowHistory.OrigData;
        }
        else
        {
            RespPkts++;
            RespIpBytes += packet.IpLength;
            RespBytes += packet.PayloadLength;
            RespMac = packet.SrcMac;
            OrigMac = packet.DstMac;
            if (packet.PayloadLength > 0) History |= FlowHistory.RespData;
        }

        if (Key.Protocol == TcpProtocol) ApplyTcp(packet.TcpFlags, fromOrig);
    }

    private void ApplyTcp(byte flags, bool fromOrig)
    {
        bool syn = (flags & Syn) != 0;
        bool ack = (flags & Ack) != 0;
        bool rst = (flags & Rst) != 0;
        bool fin = (flags & Fin) != 0;
        FlowHistory h = History;
        if (fromOrig)
        {
            OrigTcpFlags |= flags;
            if (syn && !ack) h |= FlowHistory.OrigSyn;
            if (fin) h |= FlowHistory.OrigFin;
            if (rst) h |= FlowHistory.OrigRst;
            if (ack && !syn && !rst && (h & FlowHistory.RespSynAck) != 0) h |= FlowHistory.OrigAck;
        }
        else
        {
            RespTcpFlags |= flags;
            if (syn) h |= ack ? FlowHistory.RespSynAck : FlowHistory.RespSyn;
            if (fin) h |= FlowHistory.RespFin;
            if (rst) h |= FlowHistory.RespRst;
        }
        History = h;

        TcpState state = State;
        if (rst)
        {
            state = TcpState.Reset;
        }
        else if (state == TcpState.Reset || state == TcpState.Closed)
        {
            // Terminal: stragglers (the last ACK, retransmitted FINs) are counted but change nothing.
        }
        else if ((h & (FlowHistory.OrigFin | FlowHistory.RespFin)) == (FlowHistory.OrigFin | FlowHistory.RespFin))
        {
            state = TcpState.Closed;
        }
        else if (fin)
        {
            state = TcpState.Closing;
        }
        else
        {
            switch (state)
            {
                case TcpState.None:
                    if (syn) state = ack ? TcpState.SynReceived : TcpState.SynSent;
                    else if (OrigPkts > 0 && RespPkts > 0) state = TcpState.Established; // mid-stream, both sides alive
                    break;
                case TcpState.SynSent:
                    // SYN+ACK answers; a plain ACK from the responder means we missed the SYN+ACK.
                    if (!fromOrig && ack) state = syn ? TcpState.SynReceived : TcpState.Established;
                    break;
                case TcpState.SynReceived:
                    if (ack && !syn) state = TcpState.Established;
                    break;
            }
        }
        State = state;
    }

    /// <summary>
    /// Ends the current record after an active timeout and starts the next one of the same connection:
    /// counters restart, history, state and flag unions carry on.
    /// </summary>
    public void StartNextRecord(long firstNs)
    {
        Sequence++;
        FirstNs = firstNs;
        LastNs = firstNs;
        OrigPkts = RespPkts = OrigIpBytes = RespIpBytes = OrigBytes = RespBytes = 0;
        ReportedOrigPkts = ReportedRespPkts = ReportedOrigIpBytes = ReportedRespIpBytes = 0;
    }

    /// <summary>Copies the entry into a record with the deltas since the last report, and marks them reported.</summary>
    public void Report(CloseReason reason, byte shard, out FlowRecord record)
    {
        record = default;
        record.Key = Key;
        record.OrigIsA = OrigIsA;
        record.Reason = reason;
        record.State = State;
        record.OrigTcpFlags = OrigTcpFlags;
        record.RespTcpFlags = RespTcpFlags;
        record.History = History;
        record.Shard = shard;
        record.Sequence = Sequence;
        record.FirstNs = FirstNs;
        record.LastNs = LastNs;
        record.OrigPkts = OrigPkts;
        record.RespPkts = RespPkts;
        record.OrigIpBytes = OrigIpBytes;
        record.RespIpBytes = RespIpBytes;
        record.OrigBytes = OrigBytes;
        record.RespBytes = RespBytes;
        record.DeltaOrigPkts = OrigPkts - ReportedOrigPkts;
        record.DeltaRespPkts = RespPkts - ReportedRespPkts;
        record.DeltaOrigIpBytes = OrigIpBytes - ReportedOrigIpBytes;
        record.DeltaRespIpBytes = RespIpBytes - ReportedRespIpBytes;
        record.OrigMac = OrigMac;
        record.RespMac = RespMac;
        record.RemoteName = RemoteName;
        record.RemoteNameSource = NameSource;
        record.App = App;
        ReportedOrigPkts = OrigPkts;
        ReportedRespPkts = RespPkts;
        ReportedOrigIpBytes = OrigIpBytes;
        ReportedRespIpBytes = RespIpBytes;
    }
}

[Flags]
internal enum FlowEntryFlags : byte
{
    None = 0,
    /// <summary>The slot holds a flow (empty slots are all zero).</summary>
    Used = 1,
    /// <summary>The originator is endpoint A of the key.</summary>
    OrigIsA = 2,
}
