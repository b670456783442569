using System.Runtime.InteropServices;

namespace TapSensor.Core.Flows;

/// <summary>
/// A copy of a flow as it leaves its worker: a final record (<see cref="Reason"/> != None) or an interim
/// report of an active flow. Totals cover the record so far; the Delta fields cover what changed since
/// the previous report of the same record, so summing deltas gives exact per-device totals
/// (ntopng's Flow::periodic_stats_update works the same way). A flow split by the active timeout gives
/// several final records whose totals add up to the flow's.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
public struct FlowRecord
{
    public FlowKey Key;
    /// <summary>The originator (Zeek's orig) is endpoint A of <see cref="Key"/>.</summary>
    public bool OrigIsA;
    public CloseReason Reason;
    public TcpState State;
    /// <summary>Union of TCP flags sent by the originator and by the responder.</summary>
    public byte OrigTcpFlags;
    public byte RespTcpFlags;
    /// <summary>Bit set of <see cref="FlowHistory"/> events, for Zeek's conn_state.</summary>
    public FlowHistory History;
    /// <summary>Worker shard that owned the flow.</summary>
    public byte Shard;
    /// <summary>0 for a flow's first record, incremented at each active-timeout split.</summary>
    public uint Sequence;
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
    /// <summary>48-bit Ethernet addresses of the originator and responder as last seen; 0 when unknown.</summary>
    public ulong OrigMac;
    public ulong RespMac;

    public readonly bool IsFinal => Reason != CloseReason.None;

    public readonly ulong OrigHi => OrigIsA ? Key.AHi : Key.BHi;
    public readonly ulong OrigLo => OrigIsA ? Key.ALo : Key.BLo;
    public readonly ushort OrigPort => OrigIsA ? Key.PortA : Key.PortB;
    public readonly ulong RespHi => OrigIsA ? Key.BHi : Key.AHi;
    public readonly ulong RespLo => OrigIsA ? Key.BLo : Key.ALo;
    public readonly ushort RespPort => OrigIsA ? Key.PortB : Key.PortA;
}

/// <summary>Events seen on a flow, per direction, for deriving Zeek's conn_state.</summary>
[Flags]
public enum FlowHistory : ushort
{
    None = 0,
    OrigSyn = 1 << 0,        // SYN without ACK from the originator
    RespSynAck = 1 << 1,     // SYN+ACK from the responder
    OrigFin = 1 << 2,
    RespFin = 1 << 3,
    OrigRst = 1 << 4,
    RespRst = 1 << 5,
    OrigData = 1 << 6,       // originator sent payload
    RespData = 1 << 7,
    OrigAck = 1 << 8,        // originator sent a pure ACK after the SYN+ACK (handshake completed)
    RespSyn = 1 << 9,        // SYN without ACK from the responder (simultaneous open)
    FirstWasSyn = 1 << 10,   // the flow's first packet was a bare SYN
    MidStream = 1 << 11,     // the flow was picked up without seeing its opening
}
