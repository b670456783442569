
namespace TapSensor.Core.Flows;

/// <summary>
/// A copy of a flow as it leaves its worker: a final record (<see cref="Reason"/> != None) or an interim
/// report of an active flow. Totals cover the record so far; the Delta fields cover what changed since
/// the previous report of the same record, so summing deltas gives exact per-device totals
/// (ntopng's Flow::periodic_stats_update works the same way). A flow split by the active timeout gives
/// several final records whose totals add up to the flow's.
/// </summary>
public struct FlowRecord
{
    public FlowKey Key;
    /// <summary>The originator (Zeek's orig) is endpoint A of <see cref="Key"/>.</summary>
    public bool OrigIsA;
    public CloseReason Reason;
    public TcpState State;
    /// <summary>Union of TCP flags sent by the originator and by the responder over the connection so far (kept across an active-timeout split).</summary>
    public byte OrigTcpFlags;
    public byte RespTcpFlags;
    /// <summary>Bit set of <see cref="FlowHistory"/> events, for Zeek's conn_state.</summary>
    public FlowHistory History;
    /// <summary>Worker shard that owned the flow.</summary>
    public byte Shard;
    /// <summary>0 for a flow's first record, incremented at each active-timeout split.</summary>
    public uint Sequence;
    /// <summary>Packet times of the first and the latest packet of this record (after a split: the first packet after it).</summary>
    public long FirstNs;
    public long LastNs;
    public long OrigPkts;
    public long RespPkts;
    /// <summary>Sum of IP lengths (Zeek orig_ip_bytes).</summary>
    public long OrigIpBytes;
    public long RespIpBytes;
    /// <summary>Sum of transport payload lengths (Zeek orig_bytes).</summary>
    public long OrigBytes;
    public long RespBytes;
    public long DeltaOrigPkts;
    public long DeltaRespPkts;
    public long DeltaOrigIpBytes;
    public long DeltaRespIpBytes;
    /// <summary>
    /// 48-bit Ethernet addresses of the originator and responder as last seen: from the latest packet, its
    /// source MAC for the sender's side and its destination MAC for the other side; 0 when the link has none.
    /// </summary>
    public ulong OrigMac;
    public ulong RespMac;
    /// <summary>
    /// The remote end's name: from the flow's own payload when the worker found one (TLS/QUIC SNI, HTTP Host),
    /// else filled by the aggregator from the device's DNS answers.
    /// </summary>
    public string? RemoteName;
    public RemoteNameSource RemoteNameSource;
    /// <summary>Application protocol the worker recognised from the payload (None when none was).</summary>
    public AppProtocol App;

    // Filled on the aggregator thread (household enrichment) before any sink sees the record.

    /// <summary>The local end's device; null when neither end is on the LAN.</summary>
    public Devices.Device? Device;
    /// <summary>The device is the originator's end (else the responder's).</summary>
    public bool DeviceIsOrig;
    /// <summary>Both ends are on the LAN.</summary>
    public bool Local;
    /// <summary>Service label: the protocol seen, else the responder's well-known port.</summary>
    public string? Service;
    /// <summary>Where the remote end is and whose network it is in; null when unknown or not public.</summary>
    public Devices.RemoteLocation? Location;

    public readonly bool IsFinal => Reason != CloseReason.None;

    public readonly ulong OrigHi => OrigIsA ? Key.AHi : Key.BHi;
    public readonly ulong OrigLo => OrigIsA ? Key.ALo : Key.BLo;
    public readonly ushort OrigPort => OrigIsA ? Key.PortA : Key.PortB;
    public readonly ulong RespHi => OrigIsA ? Key.BHi : Key.AHi;
    public readonly ulong RespLo => OrigIsA ? Key.BLo : Key.ALo;
    public readonly ushort RespPort => OrigIsA ? Key.PortB : Key.PortA;

    /// <summary>The remote end (the one that is not <see cref="Device"/>'s): the responder unless the device answered.</summary>
    public readonly bool RemoteIsOrig => Device is not null && !DeviceIsOrig;
    public readonly ulong RemoteHi => RemoteIsOrig ? OrigHi : RespHi;
    public readonly ulong RemoteLo => RemoteIsOrig ? OrigLo : RespLo;
    public readonly ushort RemotePort => RemoteIsOrig ? OrigPort : RespPort;
}

/// <summary>
/// Events seen on a flow, per direction, for deriving Zeek's conn_state from a record alone
/// (zeek/zeek scripts/base/protocols/conn/main.zeek). "Orig" and "Resp" are the record's originator and
/// responder. Bits accumulate over the whole connection: they carry over an active-timeout split, and
/// a new record of the same key after an idle end or port reuse starts from none.
/// TCP segments: a SYN is a segment with SYN set and ACK clear (Zeek's history 'S'); a SYN+ACK has both
/// set (Zeek's 'H'). For UDP, ICMP and other protocols only OrigData and RespData are used.
/// Every TCP flow has exactly one of FirstWasSyn and MidStream.
/// </summary>
[Flags]
public enum FlowHistory : ushort
{
    None = 0,
    /// <summary>The originator sent a SYN (SYN set, ACK clear), first or retransmitted.</summary>
    OrigSyn = 1 << 0,
    /// <summary>The responder sent a SYN+ACK (SYN and ACK set).</summary>
    RespSynAck = 1 << 1,
    /// <summary>The originator sent a segment with FIN set.</summary>
    OrigFin = 1 << 2,
    /// <summary>The responder sent a segment with FIN set.</summary>
    RespFin = 1 << 3,
    /// <summary>The originator sent a segment with RST set.</summary>
    OrigRst = 1 << 4,
    /// <summary>The responder sent a segment with RST set.</summary>
    RespRst = 1 << 5,
    /// <summary>The originator sent a packet with transport payload (PayloadLength &gt; 0), any protocol.</summary>
    OrigData = 1 << 6,
    /// <summary>The responder sent a packet with transport payload (PayloadLength &gt; 0), any protocol.</summary>
    RespData = 1 << 7,
    /// <summary>
    /// The originator sent a segment with ACK set and SYN and RST clear after the responder's SYN+ACK had
    /// been seen: the third step of the handshake, or any later acknowledgement (pure or carrying data or FIN).
    /// </summary>
    OrigAck = 1 << 8,
    /// <summary>The responder sent a SYN (SYN set, ACK clear): simultaneous open, or a responder probing back.</summary>
    RespSyn = 1 << 9,
    /// <summary>The flow's first packet was a bare SYN (SYN set; ACK, RST and FIN clear) from the originator.</summary>
    FirstWasSyn = 1 << 10,
    /// <summary>
    /// TCP only: the flow's first packet was not a bare SYN, so its opening was not seen. If that packet was
    /// a SYN+ACK (then RespSynAck is set and OrigSyn is not), its receiver is the originator. Otherwise the
    /// originator is its sender, unless it came from a port below 1024 to one at or above 1024 (a server
    /// answering), in which case its receiver.
    /// </summary>
    MidStream = 1 << 11,
}
