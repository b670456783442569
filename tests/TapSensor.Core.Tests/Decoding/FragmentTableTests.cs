using TapSensor.Core.Decoding;
using TapSensor.Core.Flows;
using TapSensor.Core.Packets;
using TapSensor.Testing.Packets;

namespace TapSensor.Core.Tests.Decoding;

public sealed class FragmentTableTests
{
    private readonly DecoderHarness _harness = new();

    [Theory]
    [InlineData("192.168.1.10", "8.8.8.8")]
    [InlineData("2001:db8::10", "2001:4860::8888")]
    public void Later_fragments_join_the_flow_of_the_first(string src, string dst)
    {
        IReadOnlyList<byte[]> fragments = TestPackets.Udp().From(src, 33000).To(dst, 53).PayloadLength(3000).IpId(0x4321).BuildFragments(1200);
        Decoded whole = new DecoderHarness().Decode(TestPackets.Udp().From(src, 33000).To(dst, 53).PayloadLength(3000));

        List<Decoded> decoded = _harness.DecodeAll(fragments);

        Assert.Equal(3, decoded.Count);
        Assert.All(decoded, d =>
        {
            Assert.Equal(DecodeStatus.Ok, d.Status);
            Assert.Equal(whole.Key, d.Key);
            Assert.True(d.Has(PacketFlags.Fragment));
        });
        // The fragments' payloads add up to the datagram's: the first carries the UDP header, the rest only data.
        Assert.Equal(3000, decoded.Sum(d => d.Summary.PayloadLength));
        Assert.True(decoded[0].PayloadCaptured > 0);
        Assert.Equal(0, decoded[1].PayloadCaptured);
        DecodeNote matched = src.Contains(':') ? DecodeNote.Ipv6FragmentMatched : DecodeNote.Ipv4FragmentMatched;
        Assert.Equal(2, _harness.Counters.Read(matched));
    }

    [Theory]
    [InlineData("192.168.1.10", "8.8.8.8")]
    [InlineData("2001:db8::10", "2001:4860::8888")]
    public void Later_fragment_without_its_first_keeps_ports_zero_and_is_counted(string src, string dst)
    {
        DecodeNote unmatched = src.Contains(':') ? DecodeNote.Ipv6FragmentUnmatched : DecodeNote.Ipv4FragmentUnmatched;
        IReadOnlyList<byte[]> fragments = TestPackets.Udp().From(src, 33000).To(dst, 53).PayloadLength(3000).BuildFragments(1200);

        Decoded d = _harness.Decode(fragments[2]);

        Assert.Equal(DecodeStatus.Ok, d.Status);
        Assert.Equal(17, d.Key.Protocol);
        Assert.Equal(0, d.Key.PortA);
        Assert.Equal(0, d.Key.PortB);
        Assert.True(d.Has(PacketFlags.Fragment));
        Assert.Equal(1, _harness.Counters.Read(unmatched));
    }

    [Fact]
    public void First_fragment_of_tcp_reports_its_flags()
    {
        IReadOnlyList<byte[]> fragments = TestPackets.Tcp().Psh().Ack().PayloadLength(2000).BuildFragments(1000);

        List<Decoded> decoded = _harness.DecodeAll(fragments);

        Assert.Equal(TcpFlag.Psh | TcpFlag.Ack, decoded[0].Summary.TcpFlags);
        Assert.Equal(0, decoded[1].Summary.TcpFlags);
        Assert.Equal(decoded[0].Key, decoded[1].Key);
        Assert.Equal("203.0.113.7:443", decoded[1].Dst);
    }

    [Fact]
    public void Icmp_fragments_share_the_echo_key()
    {
        IReadOnlyList<byte[]> fragments = TestPackets.Icmp().Echo().PayloadLength(4000).BuildFragments(1480);

        List<Decoded> decoded = _harness.DecodeAll(fragments);

        Assert.All(decoded, d => Assert.Equal(decoded[0].Key, d.Key));
        Assert.Equal("192.168.1.10:8", decoded[2].Src);
        Assert.Equal("203.0.113.7:0", decoded[2].Dst);
    }

    [Fact]
    public void Entries_older_than_the_reassembly_time_no_longer_match()
    {
        IReadOnlyList<byte[]> fragments = TestPackets.Udp().PayloadLength(2000).BuildFragments(1200);

        _harness.Decode(fragments[0], timestampNs: DecoderHarness.Time);
        Decoded late = _harness.Decode(fragments[1], timestampNs: DecoderHarness.Time + FragmentTable.MaxAgeNs + 1);

        Assert.Equal(0, late.Key.PortA);
        Assert.Equal(1, _harness.Counters.Read(DecodeNote.Ipv4FragmentUnmatched));
    }

    [Fact]
    public void Fragments_of_another_datagram_do_not_match()
    {
        IReadOnlyList<byte[]> first = TestPackets.Udp().PayloadLength(2000).IpId(1).BuildFragments(1200);
        IReadOnlyList<byte[]> other = TestPackets.Udp().PayloadLength(2000).IpId(2).BuildFragments(1200);

        _harness.Decode(first[0]);
        Decoded d = _harness.Decode(other[1]);

        Assert.Equal(0, d.Key.PortB);
    }

    [Fact]
    public void Table_stays_bounded_and_new_first_fragments_displace_old_ones()
    {
        var table = new FragmentTable(seed: 1);
        int displaced = 0;
        int datagrams = FragmentTable.Capacity * 4;
        for (uint id = 0; id < datagrams; id++)
            if (table.Remember(0, FlowKey.V4Lo(0x0A000001), 0, FlowKey.V4Lo(0x0A000002), id, 17, 1000, 53, 0)) displaced++;

        int recalled = 0;
        for (uint id = 0; id < datagrams; id++)
            if (table.TryRecall(0, FlowKey.V4Lo(0x0A000001), 0, FlowKey.V4Lo(0x0A000002), id, 17, 0, out _, out _)) recalled++;

        Assert.True(displaced >= datagrams - FragmentTable.Capacity, $"displaced {displaced}");
        Assert.InRange(recalled, 1, FragmentTable.Capacity);
        Assert.True(table.TryRecall(0, FlowKey.V4Lo(0x0A000001), 0, FlowKey.V4Lo(0x0A000002), (uint)datagrams - 1, 17, 0, out ushort s, out ushort d));
        Assert.Equal((1000, 53), (s, d));
    }

    [Fact]
    public void Atomic_ipv6_fragment_is_a_whole_packet()
    {
        Decoded d = _harness.Decode(TestPackets.Udp().From("2001:db8::1", 1000).To("2001:db8::2", 53).Ipv6Extension(44));

        Assert.Equal(DecodeStatus.Ok, d.Status);
        Assert.False(d.Has(PacketFlags.Fragment));
        Assert.Equal("[2001:db8::2]:53", d.Dst);
    }

    [Fact]
    public void Fragmented_tunnel_packets_are_keyed_by_the_outer_packet()
    {
        IReadOnlyList<byte[]> fragments = TestPackets.Tcp().PayloadLength(2000).InGre("198.51.100.1", "198.51.100.2").BuildFragments(1200);

        List<Decoded> decoded = _harness.DecodeAll(fragments);

        Assert.All(decoded, d =>
        {
            Assert.Equal(DecodeStatus.Ok, d.Status);
            Assert.Equal(47, d.Key.Protocol);
            Assert.False(d.Has(PacketFlags.Tunnelled));
        });
        Assert.Equal(decoded[0].Key, decoded[1].Key);
    }
}
