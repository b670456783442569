using TapSensor.Core.Flows;
using TapSensor.Core.Tests.Sinks;

namespace TapSensor.Core.Tests.Flows;

public sealed class CommunityIdTests
{
    /// <summary>
    /// The published test vectors of corelight/community-id-spec: baseline/baseline_deflt.json (seed 0)
    /// and baseline/baseline_seed1.json (seed 1), commit c4ec2bc40d65ddbcbdd642582bf5609797a80772, one
    /// row per packet of the spec's pcaps/*.pcap. For ICMP rows, the ports are what the spec derives from
    /// the packet (type, then counterpart type or code), which is also what our decoder puts in the key.
    /// Protocol 46 (RSVP) has no ports: the vectors list null, we pass 0 and the hash must leave them out.
    /// </summary>
    [Theory]
    [InlineData(58, "fe80::200:86ff:fe05:80da", 135, "fe80::260:97ff:fe07:69ea", 136, "1:dGHyGvjMfljg6Bppwm3bg0LO8TY=", "1:kHa1FhMYIT6Ym2Vm2AOtoOARDzY=")]
    [InlineData(58, "fe80::260:97ff:fe07:69ea", 136, "fe80::200:86ff:fe05:80da", 135, "1:dGHyGvjMfljg6Bppwm3bg0LO8TY=", "1:kHa1FhMYIT6Ym2Vm2AOtoOARDzY=")]
    [InlineData(58, "fe80::260:97ff:fe07:69ea", 135, "fe80::200:86ff:fe05:80da", 136, "1:zavyT/cezQr1fmImYCwYnMXbgck=", "1:2hSqmsDZ2kdcY9kbiUzOEBic0iM=")]
    [InlineData(58, "fe80::200:86ff:fe05:80da", 136, "fe80::260:97ff:fe07:69ea", 135, "1:zavyT/cezQr1fmImYCwYnMXbgck=", "1:2hSqmsDZ2kdcY9kbiUzOEBic0iM=")]
    [InlineData(58, "3ffe:501:1800:2345::2", 3, "3ffe:507:0:1:200:86ff:fe05:80da", 0, "1:2ObVBgIn28oZvibYZhZMBgh7WdQ=", "1:lVEtCZpYu84Xqaa++3lXFyuu2n4=")]
    [InlineData(58, "3ffe:501:410:0:2c0:dfff:fe47:33e", 1, "3ffe:507:0:1:200:86ff:fe05:80da", 4, "1:hLZd0XGWojozrvxqE0dWB1iM6R0=", "1:W8MHwXpWzpoSTD+cGcaJr4u0ys8=")]
    [InlineData(58, "3ffe:507:0:1:200:86ff:fe05:80da", 128, "3ffe:501:0:1001::2", 129, "1:+TW+HtLHvV1xnGhV1lv7XoJrqQg=", "1:GfZxjAkDk2MkegpBYHV6tadtFXQ=")]
    [InlineData(58, "3ffe:501:0:1001::2", 129, "3ffe:507:0:1:200:86ff:fe05:80da", 128, "1:+TW+HtLHvV1xnGhV1lv7XoJrqQg=", "1:GfZxjAkDk2MkegpBYHV6tadtFXQ=")]
    [InlineData(58, "fe80::200:86ff:fe05:80da", 133, "ff02::2", 134, "1:hO+sN4H+MG5MY/8hIrXPqc4ZQz0=", "1:L7Ka0ZMYu+J3bL4ulW2PrqyXNo8=")]
    [InlineData(58, "fe80::260:97ff:fe07:69ea", 134, "ff02::1", 133, "1:pkvHqCL88/tg1k4cPigmZXUtL00=", "1:K/ee5UCqAMAQXDorP5nSa2CGLjc=")]
    [InlineData(1, "192.168.0.89", 8, "192.168.0.1", 0, "1:X0snYXpgwiv9TZtqg64sgzUn6Dk=", "1:03g6IloqVBdcZlPyX8r0hgoE7kA=")]
    [InlineData(1, "192.168.0.1", 0, "192.168.0.89", 8, "1:X0snYXpgwiv9TZtqg64sgzUn6Dk=", "1:03g6IloqVBdcZlPyX8r0hgoE7kA=")]
    [InlineData(1, "10.0.0.1", 11, "10.0.0.2", 0, "1:YHxtAirCG//0OzkcVAukqKQN9xM=", "1:XjUibYHaafLQ3pxQeiMI8g25q20=")]
    [InlineData(6, "2001:470:e5bf:dead:4957:2174:e82c:4887", 63943, "2607:f8b0:400c:c03::1a", 25, "1:/qFaeAR+gFe1KYjMzVDsMv+wgU4=", "1:eJYTW6AOzFLlSUoESovMjnu7rMw=")]
    [InlineData(6, "2607:f8b0:400c:c03::1a", 25, "2001:470:e5bf:dead:4957:2174:e82c:4887", 63943, "1:/qFaeAR+gFe1KYjMzVDsMv+wgU4=", "1:eJYTW6AOzFLlSUoESovMjnu7rMw=")]
    [InlineData(132, "192.168.170.8", 7, "192.168.170.56", 7, "1:MP2EtRCAUIZvTw6MxJHLV7N7JDs=", "1:5w3ZRjeKBzqT3zsaEECDGjUbYeg=")]
    [InlineData(132, "192.168.170.56", 7, "192.168.170.8", 7, "1:MP2EtRCAUIZvTw6MxJHLV7N7JDs=", "1:5w3ZRjeKBzqT3zsaEECDGjUbYeg=")]
    [InlineData(6, "128.232.110.120", 34855, "66.35.250.204", 80, "1:LQU9qZlK+B5F3KDmev6m5PMibrg=", "1:3V71V58M3Ksw/yuFALMcW0LAHvc=")]
    [InlineData(6, "66.35.250.204", 80, "128.232.110.120", 34855, "1:LQU9qZlK+B5F3KDmev6m5PMibrg=", "1:3V71V58M3Ksw/yuFALMcW0LAHvc=")]
    [InlineData(17, "192.168.1.52", 54585, "8.8.8.8", 53, "1:d/FP5EW3wiY1vCndhwleRRKHowQ=", "1:Q9We8WO3piVF8yEQBNJF4uiSVrI=")]
    [InlineData(17, "8.8.8.8", 53, "192.168.1.52", 54585, "1:d/FP5EW3wiY1vCndhwleRRKHowQ=", "1:Q9We8WO3piVF8yEQBNJF4uiSVrI=")]
    [InlineData(46, "10.1.12.1", 0, "10.1.12.2", 0, "1:KHlLkgoJW7ifUTyTSgyVfkFHzKw=", "1:rYir8gphR31noO9iDRQmF/BteEI=")]
    [InlineData(46, "10.1.12.2", 0, "10.1.12.1", 0, "1:KHlLkgoJW7ifUTyTSgyVfkFHzKw=", "1:rYir8gphR31noO9iDRQmF/BteEI=")]
    public void Matches_the_spec_baseline_vectors_for_seed_0_and_seed_1(
        byte protocol, string src, ushort srcPort, string dst, ushort dstPort, string seed0, string seed1)
    {
        FlowRecord r = Records.Between(protocol, src, srcPort, dst, dstPort);

        Assert.Equal(seed0, CommunityId.Compute(in r));
        Assert.Equal(seed1, CommunityId.Compute(in r, seed: 1));
    }

    [Fact]
    public void Ipv4_tcp_hash_input_is_seed_addresses_protocol_padding_and_ports_in_network_order()
    {
        // Originator is the greater endpoint, so the spec's ordering puts the responder first.
        FlowRecord r = Records.Between(Records.Tcp, "10.0.0.9", 443, "10.0.0.1", 51514);
        Span<byte> input = stackalloc byte[40];

        int n = CommunityId.WriteHashInput(in r, 0x0102, input);

        byte[] expected =
        [
            0x01, 0x02,             // seed
            10, 0, 0, 1,            // smaller address first
            10, 0, 0, 9,
            6, 0,                   // protocol, padding
            0xC9, 0x3A,             // 51514
            0x01, 0xBB,             // 443
        ];
        Assert.Equal(expected, input[..n].ToArray());
    }

    [Fact]
    public void Equal_addresses_are_ordered_by_port()
    {
        FlowRecord r = Records.Between(Records.Udp, "192.168.1.2", 5353, "192.168.1.2", 53);
        Span<byte> input = stackalloc byte[40];

        int n = CommunityId.WriteHashInput(in r, 0, input);

        Assert.Equal(16, n);
        Assert.Equal([0x00, 0x35, 0x14, 0xE9], input[12..16].ToArray()); // 53 then 5353
    }

    [Fact]
    public void Ipv6_input_carries_16_byte_addresses_and_stays_32_bit_aligned()
    {
        FlowRecord r = Records.Between(Records.Udp, "2001:db8::1", 546, "ff02::1:2", 547);
        Span<byte> input = stackalloc byte[40];

        int n = CommunityId.WriteHashInput(in r, 0, input);

        Assert.Equal(40, n);
        Assert.Equal(0x20, input[2]);   // 2001:db8::1 is smaller than ff02::1:2
        Assert.Equal(0xFF, input[18]);
        Assert.Equal(17, input[34]);
    }

    [Fact]
    public void Protocols_without_ports_hash_twelve_bytes_for_ipv4()
    {
        FlowRecord r = Records.Between(47, "10.0.0.2", 0, "10.0.0.1", 0); // GRE
        Span<byte> input = stackalloc byte[40];

        int n = CommunityId.WriteHashInput(in r, 0, input);

        Assert.Equal(12, n);
        Assert.Equal([0, 0, 10, 0, 0, 1, 10, 0, 0, 2, 47, 0], input[..n].ToArray());
    }

    [Fact]
    public void Both_directions_of_a_tcp_flow_get_the_same_id()
    {
        FlowRecord forward = Records.Between(Records.Tcp, "192.168.1.10", 51514, "203.0.113.7", 443);
        FlowRecord reverse = Records.Between(Records.Tcp, "203.0.113.7", 443, "192.168.1.10", 51514);

        Assert.NotEqual(forward.OrigIsA, reverse.OrigIsA);
        Assert.Equal(CommunityId.Compute(in forward), CommunityId.Compute(in reverse));
    }

    [Fact]
    public void One_way_icmp_keeps_the_sender_first_so_the_reverse_message_differs()
    {
        // Destination unreachable (type 3, code 1) has no counterpart: the spec does not sort it.
        FlowRecord fromRouter = Records.Between(Records.Icmp, "10.0.0.2", 3, "10.0.0.1", 1);
        FlowRecord toRouter = Records.Between(Records.Icmp, "10.0.0.1", 3, "10.0.0.2", 1);
        Span<byte> input = stackalloc byte[40];

        CommunityId.WriteHashInput(in fromRouter, 0, input);

        Assert.Equal([10, 0, 0, 2], input[2..6].ToArray());
        // The spec's vectors only hold one-way messages whose sender is already the smaller address,
        // so these two were computed by hand with the spec's algorithm (hashlib.sha1 over the same
        // packed fields as community-id.py) in a python3 one-off.
        Assert.Equal("1:JHjlyD5IJJjl3wHWOMj46lLWZag=", CommunityId.Compute(in fromRouter));
        Assert.Equal("1:gkoOC4ouXvyYq0Ek/WqwbLoqcxM=", CommunityId.Compute(in toRouter));
    }

    [Fact]
    public void Vlan_and_record_fields_other_than_the_five_tuple_do_not_change_the_id()
    {
        FlowRecord plain = Records.Between(Records.Udp, "192.168.1.52", 54585, "8.8.8.8", 53);
        FlowRecord tagged = Records.Between(Records.Udp, "192.168.1.52", 54585, "8.8.8.8", 53, vlan: 20);
        tagged.OrigPkts = 99;
        tagged.Sequence = 3;

        Assert.Equal("1:d/FP5EW3wiY1vCndhwleRRKHowQ=", CommunityId.Compute(in tagged));
        Assert.Equal(CommunityId.Compute(in plain), CommunityId.Compute(in tagged));
    }

    [Fact]
    public void Format_writes_the_same_ascii_as_compute()
    {
        FlowRecord r = Records.Between(Records.Tcp, "128.232.110.120", 34855, "66.35.250.204", 80);
        Span<byte> utf8 = stackalloc byte[CommunityId.Length];

        CommunityId.Format(in r, 0, utf8);

        Assert.Equal("1:LQU9qZlK+B5F3KDmev6m5PMibrg=", System.Text.Encoding.ASCII.GetString(utf8));
        Assert.Equal(CommunityId.Length, CommunityId.Compute(in r).Length);
    }
}
