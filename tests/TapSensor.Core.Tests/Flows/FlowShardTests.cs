using TapSensor.Core.Flows;
using TapSensor.Core.Packets;
using static TapSensor.Core.Tests.Flows.FlowTestPackets;

namespace TapSensor.Core.Tests.Flows;

/// <summary>How packets merge into flows: originator choice, per-direction counters, TCP state and history.</summary>
public sealed class FlowShardTests
{
    // The client's address sorts after the server's, so the originator is endpoint B of the key.
    private static readonly Conversation Web = new("198.51.100.20", 51514, "192.0.2.1", 443);

    /// <summary>Feeds the packets to a fresh shard and flushes it right after the last one.</summary>
    private static List<FlowRecord> Run(params PacketSummary[] packets)
    {
        var shard = new FlowShard(Options(), 0, 1);
        var writer = new RecordingWriter();
        foreach (var p in packets) shard.OnPacket(in p, writer);
        shard.FlushAll(packets[^1].TimestampNs + Ms, CloseReason.EndOfCapture, writer);
        return writer.Finals;
    }

    private static FlowRecord RunOne(params PacketSummary[] packets) => Assert.Single(Run(packets));

    private static (ulong Lo, ushort Port) Origin(in FlowRecord r) => (r.OrigLo, r.OrigPort);

    [Fact]
    public void Bare_syn_sender_is_the_originator()
    {
        var r = RunOne(Web.FromClient(T0, Syn), Web.FromServer(T0 + Ms, (byte)(Syn | Ack)));

        Assert.False(r.OrigIsA);
        Assert.Equal((Address("198.51.100.20").Lo, (ushort)51514), Origin(r));
        Assert.Equal(FlowHistory.FirstWasSyn | FlowHistory.OrigSyn | FlowHistory.RespSynAck, r.History);
        Assert.Equal(1, r.OrigPkts);
        Assert.Equal(1, r.RespPkts);
    }

    [Fact]
    public void Syn_ack_seen_first_makes_its_receiver_the_originator()
    {
        var r = RunOne(Web.FromServer(T0, (byte)(Syn | Ack)), Web.FromClient(T0 + Ms, Ack));

        Assert.Equal((Address("198.51.100.20").Lo, (ushort)51514), Origin(r));
        Assert.Equal(FlowHistory.MidStream | FlowHistory.RespSynAck | FlowHistory.OrigAck, r.History);
        Assert.Equal(TcpState.Established, r.State);
    }

    [Fact]
    public void Mid_stream_packet_from_a_well_known_port_makes_its_receiver_the_originator()
    {
        var r = RunOne(Web.FromServer(T0, (byte)(Ack | Psh), payload: 1200));

        Assert.Equal((Address("198.51.100.20").Lo, (ushort)51514), Origin(r));
        Assert.Equal(FlowHistory.MidStream | FlowHistory.RespData, r.History);
        Assert.Equal(0, r.OrigPkts);
        Assert.Equal(1, r.RespPkts);
        Assert.Equal(1200, r.RespBytes);
    }

    [Fact]
    public void Mid_stream_packet_between_high_ports_makes_its_sender_the_originator()
    {
        var p2p = new Conversation("10.0.0.9", 50000, "10.0.0.5", 40000);
        var r = RunOne(p2p.FromClient(T0, Ack, payload: 10), p2p.FromServer(T0 + Ms, Ack));

        Assert.Equal((Address("10.0.0.9").Lo, (ushort)50000), Origin(r));
        Assert.Equal(TcpState.Established, r.State);
    }

    [Fact]
    public void Udp_reply_from_port_53_seen_first_makes_the_client_the_originator()
    {
        var dns = new Conversation("192.168.1.10", 40001, "192.168.1.1", 53, Udp);
        var r = RunOne(dns.FromServer(T0, payload: 80), dns.FromClient(T0 + Ms, payload: 40));

        Assert.Equal((Address("192.168.1.10").Lo, (ushort)40001), Origin(r));
        Assert.Equal(1, r.OrigPkts);
        Assert.Equal(40, r.OrigBytes);
        Assert.Equal(80, r.RespBytes);
    }

    [Fact]
    public void Udp_sender_of_the_first_packet_is_the_originator_between_low_ports()
    {
        var ntp = new Conversation("192.168.1.10", 123, "192.0.2.123", 123, Udp);
        var r = RunOne(ntp.FromServer(T0, payload: 48), ntp.FromClient(T0 + Ms, payload: 48));

        Assert.Equal(Address("192.0.2.123").Lo, r.OrigLo);
    }

    [Fact]
    public void Both_directions_merge_into_one_record_with_per_direction_counters()
    {
        var r = RunOne(
            Web.FromClient(T0, Syn),                                   // 40 IP bytes
            Web.FromServer(T0 + 1 * Ms, (byte)(Syn | Ack)),            // 40
            Web.FromClient(T0 + 2 * Ms, Ack),                          // 40
            Web.FromClient(T0 + 3 * Ms, (byte)(Ack | Psh), payload: 300),  // 340
            Web.FromServer(T0 + 4 * Ms, (byte)(Ack | Psh), payload: 1400), // 1440
            Web.FromServer(T0 + 5 * Ms, (byte)(Ack | Psh), payload: 600),  // 640
            Web.FromClient(T0 + 6 * Ms, Ack));                         // 40

        Assert.Equal(4, r.OrigPkts);
        Assert.Equal(3, r.RespPkts);
        Assert.Equal(460, r.OrigIpBytes);
        Assert.Equal(2120, r.RespIpBytes);
        Assert.Equal(300, r.OrigBytes);
        Assert.Equal(2000, r.RespBytes);
        Assert.Equal(T0, r.FirstNs);
        Assert.Equal(T0 + 6 * Ms, r.LastNs);
        Assert.Equal(Mac(Address("198.51.100.20").Lo), r.OrigMac);
        Assert.Equal(Mac(Address("192.0.2.1").Lo), r.RespMac);
        Assert.Equal(Syn | Ack | Psh, r.OrigTcpFlags);
        Assert.Equal(Syn | Ack | Psh, r.RespTcpFlags);
    }

    [Fact]
    public void Same_five_tuple_on_two_vlans_gives_two_flows()
    {
        var v10 = new Conversation("192.168.1.10", 5000, "192.168.1.20", 6000, Udp, vlan: 10);
        var v20 = new Conversation("192.168.1.10", 5000, "192.168.1.20", 6000, Udp, vlan: 20);
        var records = Run(v10.FromClient(T0, payload: 1), v20.FromClient(T0 + Ms, payload: 2), v10.FromServer(T0 + 2 * Ms, payload: 3));

        Assert.Equal(2, records.Count);
        var r10 = Assert.Single(records, r => r.Key.Vlan == 10);
        var r20 = Assert.Single(records, r => r.Key.Vlan == 20);
        Assert.Equal((1, 1), (r10.OrigPkts, r10.RespPkts));
        Assert.Equal((1, 0), (r20.OrigPkts, r20.RespPkts));
    }

    [Fact]
    public void Icmp_echo_request_and_reply_share_one_flow()
    {
        // The decoder puts the type in the source port and the counterpart type in the destination port.
        var request = Packet("192.168.1.10", 8, "8.8.8.8", 0, Icmp, T0, payload: 56);
        var reply = Packet("8.8.8.8", 0, "192.168.1.10", 8, Icmp, T0 + 20 * Ms, payload: 56);
        var r = RunOne(request, reply);

        Assert.Equal(Address("192.168.1.10").Lo, r.OrigLo);
        Assert.Equal((1, 1), (r.OrigPkts, r.RespPkts));
        Assert.Equal(FlowHistory.OrigData | FlowHistory.RespData, r.History);
    }

    [Fact]
    public void Ipv6_flows_are_tracked_like_ipv4()
    {
        var v6 = new Conversation("2001:db8::10", 50000, "2001:db8::1", 443);
        var r = RunOne(v6.FromClient(T0, Syn), v6.FromServer(T0 + Ms, (byte)(Syn | Ack)));

        Assert.Equal(6, r.Key.Family);
        Assert.Equal(Address("2001:db8::10").Lo, r.OrigLo);
        Assert.Equal(60, r.OrigIpBytes);
    }

    public static TheoryData<int, TcpState> HandshakeSteps => new()
    {
        { 1, TcpState.SynSent },
        { 2, TcpState.SynReceived },
        { 3, TcpState.Established },
        { 4, TcpState.Closing },
        { 5, TcpState.Closed },
    };

    [Theory]
    [MemberData(nameof(HandshakeSteps))]
    public void Tcp_state_follows_the_handshake_and_close(int packets, TcpState expected)
    {
        PacketSummary[] all =
        [
            Web.FromClient(T0, Syn),
            Web.FromServer(T0 + 1 * Ms, (byte)(Syn | Ack)),
            Web.FromClient(T0 + 2 * Ms, Ack),
            Web.FromClient(T0 + 3 * Ms, (byte)(Fin | Ack)),
            Web.FromServer(T0 + 4 * Ms, (byte)(Fin | Ack)),
        ];
        Assert.Equal(expected, RunOne(all[..packets]).State);
    }

    [Fact]
    public void Plain_ack_from_the_responder_after_a_syn_counts_as_established()
    {
        // The SYN+ACK was lost by the capture, not by the hosts.
        var r = RunOne(Web.FromClient(T0, Syn), Web.FromServer(T0 + Ms, Ack, payload: 10));
        Assert.Equal(TcpState.Established, r.State);
    }

    [Fact]
    public void Complete_connection_sets_every_handshake_data_and_fin_bit()
    {
        var r = RunOne(
            Web.FromClient(T0, Syn),
            Web.FromServer(T0 + 1 * Ms, (byte)(Syn | Ack)),
            Web.FromClient(T0 + 2 * Ms, Ack),
            Web.FromClient(T0 + 3 * Ms, (byte)(Ack | Psh), payload: 100),
            Web.FromServer(T0 + 4 * Ms, (byte)(Ack | Psh), payload: 100),
            Web.FromClient(T0 + 5 * Ms, (byte)(Fin | Ack)),
            Web.FromServer(T0 + 6 * Ms, (byte)(Fin | Ack)),
            Web.FromClient(T0 + 7 * Ms, Ack));

        Assert.Equal(
            FlowHistory.FirstWasSyn | FlowHistory.OrigSyn | FlowHistory.RespSynAck | FlowHistory.OrigAck
            | FlowHistory.OrigData | FlowHistory.RespData | FlowHistory.OrigFin | FlowHistory.RespFin,
            r.History);
        Assert.Equal(CloseReason.Fin, r.Reason);
    }

    [Fact]
    public void Syn_then_rst_from_the_originator_sets_orig_rst_without_a_syn_ack()
    {
        var r = RunOne(Web.FromClient(T0, Syn), Web.FromClient(T0 + Ms, Rst));

        Assert.Equal(FlowHistory.FirstWasSyn | FlowHistory.OrigSyn | FlowHistory.OrigRst, r.History);
        Assert.Equal(TcpState.Reset, r.State);
        Assert.Equal(CloseReason.Rst, r.Reason);
    }

    [Fact]
    public void Responder_syn_without_ack_is_recorded_as_resp_syn()
    {
        var r = RunOne(Web.FromClient(T0, Syn), Web.FromServer(T0 + Ms, Syn));
        Assert.Equal(FlowHistory.FirstWasSyn | FlowHistory.OrigSyn | FlowHistory.RespSyn, r.History);
    }

    [Fact]
    public void Retransmitted_syns_stay_in_the_same_flow()
    {
        var r = RunOne(Web.FromClient(T0, Syn), Web.FromClient(T0 + 1 * Second, Syn), Web.FromClient(T0 + 3 * Second, Syn));

        Assert.Equal(3, r.OrigPkts);
        Assert.Equal(TcpState.SynSent, r.State);
    }

    [Fact]
    public void Reply_joins_the_flow_opened_by_the_request_without_emitting_anything()
    {
        var shard = new FlowShard(Options(), 0, 1);
        var writer = new RecordingWriter();
        var a = Web.FromClient(T0, Syn);
        var b = Web.FromServer(T0 + Ms, (byte)(Syn | Ack));
        Assert.Equal(a.Hash, b.Hash);
        shard.OnPacket(in a, writer);
        shard.OnPacket(in b, writer);

        Assert.Equal(1, shard.ActiveFlows);
        Assert.Equal(1, shard.Counters.Created);
        Assert.Empty(writer.Records);
    }

    [Fact]
    public void Steady_state_packets_and_sweeps_allocate_nothing()
    {
        var shard = new FlowShard(Options(), 0, 1);
        var sink = new CountingWriter();
        var packets = new PacketSummary[256];
        for (int i = 0; i < packets.Length; i++)
        {
            var c = new Conversation("192.168.1.10", (ushort)(40000 + i / 2), "192.0.2.1", 443);
            packets[i] = i % 2 == 0 ? c.FromClient(T0, Ack, payload: 100) : c.FromServer(T0, Ack, payload: 1400);
        }

        long now = T0;
        void Replay(int rounds)
        {
            for (int r = 0; r < rounds; r++)
            {
                now += 10 * Ms;
                for (int i = 0; i < packets.Length; i++)
                {
                    packets[i].TimestampNs = now;
                    shard.OnPacket(in packets[i], sink);
                }
                shard.Advance(now, sink);
            }
        }

        Replay(2000); // warm up: the table grows, interim reports start, the JIT settles
        long written = sink.Count;
        long before = GC.GetAllocatedBytesForCurrentThread();
        Replay(2000);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.True(sink.Count > written, "interim reports were written during the measured replay");
    }

    private sealed class CountingWriter : IFlowRecordWriter
    {
        public long Count;
        public void Write(in FlowRecord record) => Count++;
    }
}
