using TapSensor.Core.Flows;
using TapSensor.Core.Tests.Sinks;
using static TapSensor.Core.Flows.FlowHistory;

namespace TapSensor.Core.Tests.Flows;

/// <summary>
/// One record per Zeek conn_state, built the way the flow table reports the corresponding packet
/// sequence (zeek/zeek scripts/base/protocols/conn/main.zeek lists the states and their meaning).
/// </summary>
public sealed class ConnStateTests
{
    private const FlowHistory Handshake = FirstWasSyn | OrigSyn | RespSynAck | OrigAck;

    private static FlowRecord Tcp(FlowHistory history, long origPkts, long respPkts, long origBytes = 0, long respBytes = 0)
    {
        FlowRecord r = Records.Between(Records.Tcp, "192.168.1.10", 51514, "203.0.113.7", 443);
        r.History = history;
        r.OrigPkts = origPkts;
        r.RespPkts = respPkts;
        r.OrigBytes = origBytes;
        r.RespBytes = respBytes;
        return r;
    }

    [Fact]
    public void Syn_without_reply_is_S0()
    {
        FlowRecord r = Tcp(FirstWasSyn | OrigSyn, origPkts: 3, respPkts: 0);
        Assert.Equal("S0", ConnState.Name(in r));
    }

    [Fact]
    public void Established_connection_without_close_is_S1()
    {
        FlowRecord r = Tcp(Handshake | OrigData | RespData, origPkts: 5, respPkts: 4, origBytes: 300, respBytes: 4000);
        Assert.Equal("S1", ConnState.Name(in r));
    }

    [Fact]
    public void Handshake_data_and_fin_from_both_sides_is_SF()
    {
        FlowRecord r = Tcp(Handshake | OrigData | RespData | OrigFin | RespFin, origPkts: 6, respPkts: 5, origBytes: 300, respBytes: 4000);
        Assert.Equal("SF", ConnState.Name(in r));
    }

    [Fact]
    public void Fin_from_both_sides_of_a_flow_picked_up_mid_stream_is_SF_as_in_zeek()
    {
        FlowRecord r = Tcp(MidStream | OrigData | RespData | OrigFin | RespFin, origPkts: 4, respPkts: 4, origBytes: 10, respBytes: 10);
        Assert.Equal("SF", ConnState.Name(in r));
    }

    [Fact]
    public void Rst_after_both_fins_still_counts_as_normal_termination_SF()
    {
        FlowRecord r = Tcp(Handshake | OrigFin | RespFin | OrigRst, origPkts: 5, respPkts: 4);
        Assert.Equal("SF", ConnState.Name(in r));
    }

    [Fact]
    public void Fin_and_rst_seen_only_in_the_tcp_flag_unions_are_honoured()
    {
        FlowRecord r = Tcp(Handshake, origPkts: 5, respPkts: 4);
        r.OrigTcpFlags = 0x02 | 0x10 | 0x01; // SYN, ACK, FIN
        r.RespTcpFlags = 0x12 | 0x01;        // SYN+ACK, FIN
        Assert.Equal("SF", ConnState.Name(in r));
    }

    [Fact]
    public void Syn_answered_by_rst_is_REJ()
    {
        FlowRecord r = Tcp(FirstWasSyn | OrigSyn | RespRst, origPkts: 1, respPkts: 1);
        Assert.Equal("REJ", ConnState.Name(in r));
    }

    [Fact]
    public void Rst_from_both_sides_without_payload_is_REJ()
    {
        FlowRecord r = Tcp(MidStream | OrigRst | RespRst, origPkts: 1, respPkts: 1);
        Assert.Equal("REJ", ConnState.Name(in r));
    }

    [Fact]
    public void Fin_from_originator_only_after_establishment_is_S2()
    {
        FlowRecord r = Tcp(Handshake | OrigData | OrigFin, origPkts: 4, respPkts: 2, origBytes: 20);
        Assert.Equal("S2", ConnState.Name(in r));
    }

    [Fact]
    public void Fin_from_responder_only_after_establishment_is_S3()
    {
        FlowRecord r = Tcp(Handshake | RespData | RespFin, origPkts: 3, respPkts: 3, respBytes: 20);
        Assert.Equal("S3", ConnState.Name(in r));
    }

    [Fact]
    public void Rst_from_originator_after_establishment_is_RSTO()
    {
        FlowRecord r = Tcp(Handshake | OrigData | OrigRst, origPkts: 4, respPkts: 2, origBytes: 20);
        Assert.Equal("RSTO", ConnState.Name(in r));
    }

    [Fact]
    public void Rst_from_responder_after_establishment_is_RSTR()
    {
        FlowRecord r = Tcp(Handshake | OrigData | RespRst, origPkts: 4, respPkts: 2, origBytes: 20);
        Assert.Equal("RSTR", ConnState.Name(in r));
    }

    [Fact]
    public void Syn_then_rst_from_originator_without_reply_is_RSTOS0()
    {
        FlowRecord r = Tcp(FirstWasSyn | OrigSyn | OrigRst, origPkts: 2, respPkts: 0);
        Assert.Equal("RSTOS0", ConnState.Name(in r));
    }

    [Fact]
    public void Rst_from_originator_of_an_unanswered_mid_stream_flow_is_OTH_not_RSTOS0()
    {
        FlowRecord r = Tcp(MidStream | OrigData | OrigRst, origPkts: 2, respPkts: 0, origBytes: 10);
        Assert.Equal("OTH", ConnState.Name(in r));
    }

    [Fact]
    public void Syn_ack_then_rst_from_responder_without_originator_syn_is_RSTRH()
    {
        FlowRecord r = Tcp(RespSynAck | RespRst, origPkts: 0, respPkts: 2);
        Assert.Equal("RSTRH", ConnState.Name(in r));
    }

    [Fact]
    public void Syn_then_fin_from_originator_without_reply_is_SH()
    {
        FlowRecord r = Tcp(FirstWasSyn | OrigSyn | OrigFin, origPkts: 2, respPkts: 0);
        Assert.Equal("SH", ConnState.Name(in r));
    }

    [Fact]
    public void Syn_ack_then_fin_from_responder_without_originator_syn_is_SHR()
    {
        FlowRecord r = Tcp(RespSynAck | RespFin, origPkts: 0, respPkts: 2);
        Assert.Equal("SHR", ConnState.Name(in r));
    }

    [Fact]
    public void Mid_stream_traffic_without_syn_or_close_is_OTH()
    {
        FlowRecord r = Tcp(MidStream | OrigData | RespData, origPkts: 10, respPkts: 8, origBytes: 1000, respBytes: 800);
        Assert.Equal("OTH", ConnState.Name(in r));
    }

    [Fact]
    public void Pure_ack_from_responder_to_a_pending_syn_keeps_it_S0()
    {
        // Zeek leaves a responder inactive when it only ACKs an initial SYN without payload.
        FlowRecord r = Tcp(FirstWasSyn | OrigSyn, origPkts: 2, respPkts: 1);
        Assert.Equal("S0", ConnState.Name(in r));
    }

    [Fact]
    public void Missed_syn_with_syn_ack_and_originator_ack_is_established_S1()
    {
        FlowRecord r = Tcp(RespSynAck | OrigAck | OrigData | RespData, origPkts: 3, respPkts: 3, origBytes: 10, respBytes: 10);
        Assert.Equal("S1", ConnState.Name(in r));
    }

    [Theory]
    [InlineData(2, 1, "SF")]
    [InlineData(3, 0, "S0")]
    [InlineData(0, 2, "SHR")]
    [InlineData(0, 0, "OTH")]
    public void Udp_state_depends_on_which_sides_sent(long origPkts, long respPkts, string expected)
    {
        FlowRecord r = Records.Between(Records.Udp, "192.168.1.52", 54585, "8.8.8.8", 53);
        r.OrigPkts = origPkts;
        r.RespPkts = respPkts;
        Assert.Equal(expected, ConnState.Name(in r));
    }

    [Theory]
    [InlineData(Records.Icmp, "192.168.0.89", "192.168.0.1", 1, 1)]
    [InlineData(Records.Icmp, "192.168.0.89", "192.168.0.1", 1, 0)]
    [InlineData(Records.IcmpV6, "2001:db8::1", "2001:db8::2", 1, 1)]
    [InlineData(47, "10.1.12.1", "10.1.12.2", 4, 4)]
    public void Icmp_and_other_protocols_are_always_OTH_as_zeek_reports_them(byte protocol, string orig, string resp, long origPkts, long respPkts)
    {
        FlowRecord r = Records.Between(protocol, orig, protocol is Records.Icmp or Records.IcmpV6 ? (ushort)8 : (ushort)0, resp, 0);
        r.OrigPkts = origPkts;
        r.RespPkts = respPkts;
        Assert.Equal("OTH", ConnState.Name(in r));
    }
}
