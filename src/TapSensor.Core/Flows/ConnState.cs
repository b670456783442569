namespace TapSensor.Core.Flows;

/// <summary>
/// Zeek's <c>conn_state</c> of a flow record, following <c>conn_state()</c> in zeek/zeek
/// scripts/base/protocols/conn/main.zeek.
/// <para>
/// Zeek derives the state from the TCP state of each endpoint (inactive, SYN sent, SYN+ACK sent,
/// partial, established, closed, reset) kept by its TCP analyzer
/// (src/packet_analysis/protocol/tcp/TCPSessionAdapter.cc). We do not run that state machine per
/// endpoint; <see cref="EndpointOf"/> rebuilds each endpoint's final state from the
/// <see cref="FlowHistory"/> bits, the TCP flags and the packet counts of the record, and then the
/// same decision table as Zeek's is applied. <see cref="FlowRecord.State"/> is not needed: the
/// history bits say per direction what the coarse state says for the flow as a whole.
/// </para>
/// <para>
/// UDP, as in Zeek: SF when both sides sent, S0 when only the originator did, SHR when only the
/// responder did (possible for the later records of a flow split by the active timeout), OTH when
/// neither. ICMP (v4 and v6) and every other protocol are always OTH, as in Zeek, whose function
/// only distinguishes TCP and UDP; Zeek's conn.log shows echo request/reply pairs as OTH.
/// </para>
/// </summary>
internal static class ConnState
{
    public const string S0 = "S0";
    public const string S1 = "S1";
    public const string SF = "SF";
    public const string REJ = "REJ";
    public const string S2 = "S2";
    public const string S3 = "S3";
    public const string RSTO = "RSTO";
    public const string RSTR = "RSTR";
    public const string RSTOS0 = "RSTOS0";
    public const string RSTRH = "RSTRH";
    public const string SH = "SH";
    public const string SHR = "SHR";
    public const string OTH = "OTH";

    private const byte Fin = 0x01;
    private const byte Rst = 0x04;

    /// <summary>Zeek's TCP endpoint states (TCP_ENDPOINT_* in src/analyzer/protocol/tcp/TCP_Endpoint.h).</summary>
    internal enum Endpoint : byte
    {
        Inactive,
        SynSent,
        Partial,
        Established,
        Closed,
        Reset,
    }

    public static string Name(in FlowRecord r) => r.Key.Protocol switch
    {
        6 => Tcp(in r),
        17 => Udp(in r),
        _ => OTH,
    };

    private static string Udp(in FlowRecord r)
    {
        // Zeek marks a UDP endpoint active as soon as it sends one datagram (UDP_ACTIVE).
        if (r.OrigPkts > 0) return r.RespPkts > 0 ? SF : S0;
        return r.RespPkts > 0 ? SHR : OTH;
    }

    private static string Tcp(in FlowRecord r)
    {
        (Endpoint os, Endpoint rs) = EndpointOf(in r);
        bool origInactive = os is Endpoint.Inactive or Endpoint.Partial;
        bool respInactive = rs is Endpoint.Inactive or Endpoint.Partial;

        if (rs == Endpoint.Reset)
        {
            // Zeek also counts TCP_SYN_ACK_SENT here (an originator that opened with SYN+ACK); we have
            // no bit for it, and such an originator is Partial below, which leads to RSTRH/RSTR.
            if (os == Endpoint.SynSent || (os == Endpoint.Reset && r.OrigBytes == 0 && r.RespBytes == 0))
                return REJ;
            return origInactive ? RSTRH : RSTR;
        }
        if (os == Endpoint.Reset)
        {
            if (respInactive)
                return LooksLikeSynThenRst(in r) ? RSTOS0 : OTH;
            return RSTO;
        }
        if (os == Endpoint.Closed && rs == Endpoint.Closed) return SF;
        if (os == Endpoint.Closed) return respInactive ? SH : S2;
        if (rs == Endpoint.Closed) return origInactive ? SHR : S3;
        if (os == Endpoint.SynSent && rs == Endpoint.Inactive) return S0;
        if (os == Endpoint.Established && rs == Endpoint.Established) return S1;
        return OTH;
    }

    /// <summary>
    /// Final endpoint states, as Zeek's TCP analyzer would leave them after the record's packets.
    /// FIN and RST are taken from the history bits or the flag unions (either is enough); SYNs only
    /// from the history bits, because a flag union cannot tell a SYN from a SYN+ACK.
    /// </summary>
    internal static (Endpoint Orig, Endpoint Resp) EndpointOf(in FlowRecord r)
    {
        FlowHistory h = r.History;
        bool origFin = (h & FlowHistory.OrigFin) != 0 || (r.OrigTcpFlags & Fin) != 0;
        bool respFin = (h & FlowHistory.RespFin) != 0 || (r.RespTcpFlags & Fin) != 0;
        bool origRst = (h & FlowHistory.OrigRst) != 0 || (r.OrigTcpFlags & Rst) != 0;
        bool respRst = (h & FlowHistory.RespRst) != 0 || (r.RespTcpFlags & Rst) != 0;
        bool origSyn = (h & FlowHistory.OrigSyn) != 0;
        bool respSyn = (h & (FlowHistory.RespSynAck | FlowHistory.RespSyn)) != 0;

        // Once both sides have sent a FIN, Zeek keeps a later RST from turning an endpoint back to
        // "reset" (UpdateClosedState ignores it; UpdateEstablishedState restores CLOSED when the peer
        // had sent FIN then RST), so the connection ends as SF.
        bool bothFin = origFin && respFin;

        Endpoint orig;
        if (origRst && !bothFin) orig = Endpoint.Reset;
        else if (origFin) orig = Endpoint.Closed;
        // A SYN+ACK (or, in a simultaneous open, a bare SYN) from the responder moves an originator
        // in SYN_SENT to ESTABLISHED (UpdateInactiveState, responder branch).
        else if (origSyn) orig = respSyn ? Endpoint.Established : Endpoint.SynSent;
        // No SYN seen from the originator: an ACK after the responder's SYN+ACK means the SYN was
        // merely missed, and Zeek establishes; anything else makes the endpoint PARTIAL.
        else if (r.OrigPkts > 0) orig = respSyn && (h & FlowHistory.OrigAck) != 0 ? Endpoint.Established : Endpoint.Partial;
        else orig = Endpoint.Inactive;

        Endpoint resp;
        if (respRst && !bothFin) resp = Endpoint.Reset;
        else if (respFin) resp = Endpoint.Closed;
        else if (respSyn) resp = Endpoint.Established;
        else if (r.RespPkts > 0)
            // A responder that only ACKs a pending SYN without payload stays inactive in Zeek
            // ("eccentric TCPs ack an initial SYN prior to sending a SYN reply").
            resp = origSyn && (h & FlowHistory.RespData) == 0 && r.RespBytes == 0 ? Endpoint.Inactive : Endpoint.Partial;
        else resp = Endpoint.Inactive;

        return (orig, resp);
    }

    /// <summary>
    /// Zeek's RSTOS0 test is the history pattern <c>^?S[^HAFGIQ]*R.*</c>: the flow opened with the
    /// originator's SYN and the originator's RST followed without an originator SYN+ACK, pure ACK, FIN,
    /// gap, inconsistent or multi-flag packet in between. Our bits keep no order, so this reads it as:
    /// first packet a bare SYN, and no originator FIN or handshake-completing ACK.
    /// </summary>
    private static bool LooksLikeSynThenRst(in FlowRecord r)
    {
        FlowHistory h = r.History;
        return (h & FlowHistory.FirstWasSyn) != 0
               && (h & FlowHistory.OrigSyn) != 0
               && (h & (FlowHistory.OrigAck | FlowHistory.OrigFin)) == 0
               && (r.OrigTcpFlags & Fin) == 0;
    }
}
