using TapSensor.Core.Decoding;
using TapSensor.Core.Flows;
using TapSensor.Core.Packets;
using TapSensor.Testing.Packets;

namespace TapSensor.Core.Tests.Decoding;

public sealed class PacketDecoderTests
{
    private readonly DecoderHarness _harness = new();

    [Fact]
    public void Ethernet_ipv4_tcp_fills_every_summary_field()
    {
        PacketBuilder builder = TestPackets.Tcp().From("192.168.1.10", 51514).To("203.0.113.7", 443).Psh().Ack().Payload("hello");
        byte[] frame = builder.Build();

        Decoded d = _harness.Decode(frame, 1, frame.Length + 4, timestampNs: 1234567890123);

        Assert.Equal(DecodeStatus.Ok, d.Status);
        Assert.Equal(1234567890123, d.Summary.TimestampNs);
        Assert.Equal("192.168.1.10:51514", d.Src);
        Assert.Equal("203.0.113.7:443", d.Dst);
        Assert.Equal(6, d.Key.Protocol);
        Assert.Equal(4, d.Key.Family);
        Assert.Equal(0, d.Key.Vlan);
        Assert.Equal(FlowHash.Compute(d.Key, DecoderHarness.Seed), d.Summary.Hash);
        Assert.Equal(PacketBuilder.MacValue(TestPackets.DefaultClientMac), d.Summary.SrcMac);
        Assert.Equal(PacketBuilder.MacValue(TestPackets.DefaultServerMac), d.Summary.DstMac);
        Assert.Equal(frame.Length + 4, d.Summary.WireLength);
        Assert.Equal(20 + 20 + 5, d.Summary.IpLength);
        Assert.Equal(5, d.Summary.PayloadLength);
        Assert.Equal(TcpFlag.Psh | TcpFlag.Ack, d.Summary.TcpFlags);
        Assert.Equal(PacketFlags.SrcIsA, d.Summary.Flags);
        Assert.Equal(14 + 20 + 20, d.PayloadStart);
        Assert.Equal(5, d.PayloadCaptured);
        Assert.Equal("hello"u8.ToArray(), frame.AsSpan(d.PayloadStart, d.PayloadCaptured).ToArray());
    }

    [Fact]
    public void Both_directions_of_a_conversation_share_key_and_hash()
    {
        Decoded request = _harness.Decode(TestPackets.Udp().From("10.0.0.2", 5353).To("10.0.0.1", 53));
        Decoded reply = _harness.Decode(TestPackets.Udp().From("10.0.0.2", 5353).To("10.0.0.1", 53).Reversed());

        Assert.Equal(request.Key, reply.Key);
        Assert.Equal(request.Summary.Hash, reply.Summary.Hash);
        Assert.NotEqual(request.Summary.SrcIsA, reply.Summary.SrcIsA);
        Assert.Equal(request.Summary.SrcMac, reply.Summary.DstMac);
    }

    [Fact]
    public void Payload_slab_fields_are_left_for_the_caller()
    {
        Decoded d = _harness.Decode(TestPackets.Tcp().Syn());

        Assert.Equal(DecodeStatus.Ok, d.Status);
        Assert.Equal(-7, d.Summary.PayloadOffset);
        Assert.Equal(7, d.Summary.PayloadKept);
    }

    [Fact]
    public void Unknown_link_type_is_counted_and_leaves_the_summary_untouched()
    {
        Decoded d = _harness.Decode(TestPackets.Tcp().Build(), linkType: 127);

        Assert.Equal(DecodeStatus.UnknownLinkType, d.Status);
        Assert.Equal(default, d.Summary.Key);
        Assert.Equal(0, d.Summary.TimestampNs);
        Assert.Equal(0, d.PayloadStart);
        Assert.Equal(0, d.PayloadCaptured);
        Assert.Equal(1, _harness.Counters.Read(DecodeStatus.UnknownLinkType));
    }

    [Fact]
    public void Every_call_adds_one_to_the_counter_of_its_status()
    {
        _harness.Decode(TestPackets.Tcp().Syn());
        _harness.Decode(TestPackets.Udp());
        _harness.Decode(new byte[10]);
        _harness.Decode(TestPackets.Tcp().Build(), linkType: 9999);
        _harness.Decode(PacketBuilder.Concat(PacketBuilder.EthernetHeader("ff:ff:ff:ff:ff:ff", "02:00:00:00:00:01", 0x0806), new byte[28]));

        Assert.Equal(2, _harness.Counters.Read(DecodeStatus.Ok));
        Assert.Equal(1, _harness.Counters.Read(DecodeStatus.EthernetTruncated));
        Assert.Equal(1, _harness.Counters.Read(DecodeStatus.UnknownLinkType));
        Assert.Equal(1, _harness.Counters.Read(DecodeStatus.NotIp));
        Assert.Equal(5, _harness.Counters.Frames);
    }

    [Fact]
    public void Wire_length_below_the_captured_length_is_raised_to_it()
    {
        byte[] frame = TestPackets.Udp().Build();

        Decoded d = _harness.Decode(frame, 1, wireLength: 3);

        Assert.Equal(DecodeStatus.Ok, d.Status);
        Assert.Equal(frame.Length, d.Summary.WireLength);
        Assert.False(d.Has(PacketFlags.Truncated));
    }

    [Fact]
    public void Hash_follows_the_seed()
    {
        byte[] frame = TestPackets.Tcp().Build();
        var other = new PacketDecoder(DecoderHarness.Seed + 1);
        PacketSummary summary = default;

        other.Decode(1, frame, frame.Length, 0, ref summary, out _, out _);
        Decoded d = _harness.Decode(frame);

        Assert.Equal(d.Key, summary.Key);
        Assert.NotEqual(d.Summary.Hash, summary.Hash);
        Assert.Equal(FlowHash.Compute(summary.Key, DecoderHarness.Seed + 1), summary.Hash);
    }
}
