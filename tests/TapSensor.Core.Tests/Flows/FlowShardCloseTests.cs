using TapSensor.Core.Flows;
using TapSensor.Core.Packets;
using static TapSensor.Core.Tests.Flows.FlowTestPackets;

namespace TapSensor.Core.Tests.Flows;

/// <summary>Every way a record ends: fin, rst, idle per protocol, active, port reuse, end of capture and shutdown.</summary>
public sealed class FlowShardCloseTests
{
    private static readonly Conversation Web = new("192.168.1.10", 51514, "203.0.113.7", 443);

    private readonly FlowShard _shard = new(Options(), 0, 1);
    private readonly RecordingWriter _writer = new();

    private void Feed(params PacketSummary[] packets)
    {
        foreach (var p in packets)
        {
            _writer.Now = p.TimestampNs;
            _shard.OnPacket(in p, _writer);
        }
    }

    private void Advance(long now)
    {
        _writer.Now = now;
        _shard.Advance(now, _writer);
    }

    private void Handshake(long t) => Feed(
        Web.FromClient(t, Syn),
        Web.FromServer(t + 1 * Ms, (byte)(Syn | Ack)),
        Web.FromClient(t + 2 * Ms, Ack));

    [Fact]
    public void Fins_from_both_sides_close_the_flow_with_reason_fin_after_the_linger()
    {
        Handshake(T0);
        Feed(
            Web.FromClient(T0 + 1 * Second, (byte)(Fin | Ack)),
            Web.FromServer(T0 + 1 * Second + 1 * Ms, (byte)(Fin | Ack)),
            Web.FromClient(T0 + 1 * Second + 2 * Ms, Ack)); // the last ACK arrives within the linger

        Advance(T0 + 6 * Second);          // 4.998 s after the last packet: still lingering
        Assert.Empty(_writer.Finals);
        Advance(T0 + 7 * Second);

        var r = _writer.SingleFinal();
        Assert.Equal(CloseReason.Fin, r.Reason);
        Assert.Equal(TcpState.Closed, r.State);
        Assert.Equal((4, 2), (r.OrigPkts, r.RespPkts));
        Assert.Equal(T0 + 1 * Second + 2 * Ms, r.LastNs);
        Assert.Equal(0, _shard.ActiveFlows);
        Assert.Equal(1, _shard.Counters.Closed[(int)CloseReason.Fin]);
    }

    [Fact]
    public void Rst_from_responder_closes_flow_with_reason_rst()
    {
        Feed(Web.FromClient(T0, Syn), Web.FromServer(T0 + Ms, (byte)(Rst | Ack)));
        Advance(T0 + 1 * Second);
        Assert.Empty(_writer.Finals);
        Advance(T0 + 6 * Second);

        var r = _writer.SingleFinal();
        Assert.Equal(CloseReason.Rst, r.Reason);
        Assert.Equal(TcpState.Reset, r.State);
        Assert.Equal(FlowHistory.FirstWasSyn | FlowHistory.OrigSyn | FlowHistory.RespRst, r.History);
        Assert.Equal(1, _shard.Counters.Closed[(int)CloseReason.Rst]);
    }

    [Fact]
    public void Rst_after_both_fins_ends_the_flow_as_rst()
    {
        Handshake(T0);
        Feed(
            Web.FromClient(T0 + 1 * Second, (byte)(Fin | Ack)),
            Web.FromServer(T0 + 1 * Second + 1 * Ms, (byte)(Fin | Ack)),
            Web.FromClient(T0 + 1 * Second + 2 * Ms, Rst));
        Advance(T0 + 10 * Second);

        Assert.Equal(CloseReason.Rst, _writer.SingleFinal().Reason);
    }

    public static TheoryData<string, int> QuietFlows => new()
    {
        { "tcp established", 300 },
        { "tcp handshake only half done", 30 },
        { "tcp joined mid-stream one way", 30 },
        { "udp", 60 },
        { "icmp", 60 },
        { "gre", 60 },
    };

    [Theory]
    [MemberData(nameof(QuietFlows))]
    public void Quiet_flow_ends_idle_after_its_protocol_timeout(string kind, int seconds)
    {
        switch (kind)
        {
            case "tcp established": Handshake(T0); break;
            case "tcp handshake only half done": Feed(Web.FromClient(T0, Syn), Web.FromServer(T0 + 2 * Ms, (byte)(Syn | Ack))); break;
            case "tcp joined mid-stream one way": Feed(Web.FromClient(T0 + 2 * Ms, Ack, payload: 10)); break;
            case "udp": Feed(Packet("192.168.1.10", 5353, "224.0.0.251", 5353, Udp, T0 + 2 * Ms, payload: 30)); break;
            case "icmp": Feed(Packet("192.168.1.10", 8, "192.168.1.1", 0, Icmp, T0 + 2 * Ms, payload: 56)); break;
            case "gre": Feed(Packet("192.168.1.10", 0, "198.51.100.1", 0, Gre, T0 + 2 * Ms, payload: 100)); break;
        }
        long last = T0 + 2 * Ms;

        Advance(last + seconds * Second - 1 * Ms);
        Assert.Empty(_writer.Finals);
        Advance(last + seconds * Second + 1 * Second); // a full sweep pass later

        var r = _writer.SingleFinal();
        Assert.Equal(CloseReason.Idle, r.Reason);
        Assert.Equal(last, r.LastNs);
        Assert.Equal(1, _shard.Counters.Closed[(int)CloseReason.Idle]);
    }

    [Fact]
    public void Mid_stream_tcp_seen_both_ways_gets_the_established_timeout()
    {
        Feed(Web.FromClient(T0, Ack, payload: 10), Web.FromServer(T0 + Ms, Ack));
        Advance(T0 + Ms + 299 * Second);
        Assert.Empty(_writer.Finals);
        Advance(T0 + Ms + 300 * Second);
        Assert.Equal(CloseReason.Idle, _writer.SingleFinal().Reason);
    }

    [Fact]
    public void Packet_after_the_timeout_ends_the_old_record_as_idle_before_the_sweep_does()
    {
        var dns = new Conversation("192.168.1.10", 40000, "192.168.1.1", 53, Udp);
        Feed(dns.FromClient(T0, payload: 40), dns.FromServer(T0 + Ms, payload: 90));
        Feed(dns.FromClient(T0 + 61 * Second, payload: 40)); // no Advance in between

        var old = _writer.SingleFinal();
        Assert.Equal(CloseReason.Idle, old.Reason);
        Assert.Equal((1, 1), (old.OrigPkts, old.RespPkts));
        Assert.Equal(T0 + Ms, old.LastNs);

        _shard.FlushAll(T0 + 62 * Second, CloseReason.EndOfCapture, _writer);
        var next = _writer.Finals[1];
        Assert.Equal(CloseReason.EndOfCapture, next.Reason);
        Assert.Equal(T0 + 61 * Second, next.FirstNs);
        Assert.Equal(0u, next.Sequence);
        Assert.Equal((1, 0), (next.OrigPkts, next.RespPkts));
        Assert.Equal(2, _shard.Counters.Created);
    }

    [Fact]
    public void Packet_after_the_linger_ends_the_closed_record_as_fin_and_opens_a_new_flow()
    {
        Handshake(T0);
        Feed(Web.FromClient(T0 + 1 * Second, (byte)(Fin | Ack)), Web.FromServer(T0 + 1 * Second + Ms, (byte)(Fin | Ack)));
        Feed(Web.FromClient(T0 + 7 * Second, Ack)); // a straggler after the linger

        var old = _writer.SingleFinal();
        Assert.Equal(CloseReason.Fin, old.Reason);
        Assert.Equal(1, _shard.ActiveFlows);
    }

    [Fact]
    public void New_syn_on_a_closed_flow_emits_the_old_record_and_starts_a_new_flow()
    {
        Handshake(T0);
        Feed(
            Web.FromClient(T0 + 1 * Second, (byte)(Fin | Ack)),
            Web.FromServer(T0 + 1 * Second + Ms, (byte)(Fin | Ack)),
            Web.FromClient(T0 + 1 * Second + 2 * Ms, Ack));
        Feed(Web.FromClient(T0 + 2 * Second, Syn)); // same ports, within the linger

        var old = _writer.SingleFinal();
        Assert.Equal(CloseReason.Fin, old.Reason);
        Assert.Equal((4, 2), (old.OrigPkts, old.RespPkts));

        _shard.FlushAll(T0 + 3 * Second, CloseReason.EndOfCapture, _writer);
        var reused = _writer.Finals[1];
        Assert.Equal(T0 + 2 * Second, reused.FirstNs);
        Assert.Equal((1, 0), (reused.OrigPkts, reused.RespPkts));
        Assert.Equal(FlowHistory.FirstWasSyn | FlowHistory.OrigSyn, reused.History);
        Assert.Equal(TcpState.SynSent, reused.State);
    }

    [Fact]
    public void New_syn_on_a_reset_flow_emits_the_old_record_as_rst()
    {
        Feed(Web.FromClient(T0, Syn), Web.FromServer(T0 + Ms, (byte)(Rst | Ack)));
        Feed(Web.FromClient(T0 + 1 * Second, Syn));

        Assert.Equal(CloseReason.Rst, _writer.SingleFinal().Reason);
        Assert.Equal(1, _shard.ActiveFlows);
    }

    [Fact]
    public void Active_timeout_splits_a_long_flow_into_records_that_add_up()
    {
        var options = Options();
        options.ActiveTimeout = TimeSpan.FromSeconds(60);
        var shard = new FlowShard(options, 0, 1);
        var writer = new RecordingWriter();
        var stream = new Conversation("192.168.1.10", 50000, "192.0.2.80", 1935, Udp);
        for (int s = 0; s <= 200; s += 5)
        {
            long t = T0 + s * Second;
            var up = stream.FromClient(t, payload: 100);
            var down = stream.FromServer(t + Ms, payload: 1000);
            shard.OnPacket(in up, writer);
            shard.OnPacket(in down, writer);
            shard.Advance(t + Ms, writer);
        }
        shard.FlushAll(T0 + 201 * Second, CloseReason.EndOfCapture, writer);

        var finals = writer.Finals;
        Assert.Equal(
            [CloseReason.Active, CloseReason.Active, CloseReason.Active, CloseReason.EndOfCapture],
            finals.Select(r => r.Reason));
        Assert.Equal([0u, 1u, 2u, 3u], finals.Select(r => r.Sequence));
        Assert.Equal([T0, T0 + 60 * Second, T0 + 120 * Second, T0 + 180 * Second], finals.Select(r => r.FirstNs));
        Assert.Equal(T0 + 55 * Second + Ms, finals[0].LastNs);
        Assert.Equal(41, finals.Sum(r => r.OrigPkts));
        Assert.Equal(41, finals.Sum(r => r.RespPkts));
        Assert.Equal(41 * 128, finals.Sum(r => r.OrigIpBytes));
        Assert.Equal(41 * 1000, finals.Sum(r => r.RespBytes));
        Assert.Equal(3, shard.Counters.Closed[(int)CloseReason.Active]);
        Assert.Equal(1, shard.Counters.Created);
    }

    [Fact]
    public void End_of_capture_flushes_every_flow_keeping_the_reason_of_flows_already_over()
    {
        Handshake(T0 + 50 * Second);                       // open: end_of_capture
        var closed = new Conversation("192.168.1.10", 51515, "203.0.113.7", 443);
        Feed(
            closed.FromClient(T0 + 98 * Second, Syn),
            closed.FromServer(T0 + 98 * Second + Ms, (byte)(Rst | Ack)));       // reset 2 s ago: rst
        Feed(Packet("192.168.1.10", 40000, "192.168.1.1", 53, Udp, T0, payload: 40)); // quiet for 100 s: idle

        _shard.FlushAll(T0 + 100 * Second, CloseReason.EndOfCapture, _writer);

        var reasons = _writer.Finals.Select(r => (r.Key.Protocol, r.OrigPort, r.Reason)).ToList();
        Assert.Equal(3, reasons.Count);
        Assert.Contains(((byte)Udp, (ushort)40000, CloseReason.Idle), reasons);
        Assert.Contains(((byte)Tcp, (ushort)51514, CloseReason.EndOfCapture), reasons);
        Assert.Contains(((byte)Tcp, (ushort)51515, CloseReason.Rst), reasons);
        Assert.Equal(0, _shard.ActiveFlows);
        Assert.Equal(1, _shard.Counters.Closed[(int)CloseReason.EndOfCapture]);
    }

    [Fact]
    public void Shutdown_flush_ends_open_flows_with_reason_shutdown_and_empties_the_shard()
    {
        Handshake(T0);
        _shard.FlushAll(T0 + Second, CloseReason.Shutdown, _writer);

        Assert.Equal(CloseReason.Shutdown, _writer.SingleFinal().Reason);
        Assert.Equal(0, _shard.ActiveFlows);
        Assert.Equal(0, _shard.Counters.Active);
        Assert.Equal(1, _shard.Counters.Closed[(int)CloseReason.Shutdown]);

        _shard.FlushAll(T0 + 2 * Second, CloseReason.Shutdown, _writer);
        Assert.Single(_writer.Records);
    }

    [Fact]
    public void Flush_with_reason_none_is_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => _shard.FlushAll(T0, CloseReason.None, _writer));
    }
}
