using TapSensor.Core.Discovery;

namespace TapSensor.Core.Tests.Discovery;

public class DnsMessageTests
{
    private static DnsMessage Parse(byte[] message, DiscoveryParse expected = DiscoveryParse.Ok)
    {
        Assert.Equal(expected, DnsMessage.TryParse(message, out var dns));
        return Assert.IsType<DnsMessage>(dns);
    }

    [Fact]
    public void A_cname_chain_names_the_final_addresses_after_the_question_with_the_shortest_ttl()
    {
        byte[] m = DnsWire.CnameChain();

        var dns = Parse(m);
        Assert.True(dns.IsResponse);
        Assert.Equal("www.example.com", dns.QuestionName);
        var answers = dns.ResolveQuestion();
        Assert.Equal(2, answers.Count);
        Assert.Equal("203.0.113.7", answers[0].Address.ToString());
        Assert.Equal(20u, answers[0].TtlSeconds);
        Assert.Equal(60u, answers[1].TtlSeconds); // capped by the CNAME's TTL
    }

    [Fact]
    public void Records_for_names_off_the_chain_are_not_attributed_to_the_question()
    {
        byte[] m = DnsWire.Response(answers: 2)
            .Question("a.example")
            .A("a.example", "198.51.100.1")
            .A("unrelated.example", "198.51.100.2")
            .ToArray();

        var answers = Parse(m).ResolveQuestion();
        Assert.Equal("198.51.100.1", Assert.Single(answers).Address.ToString());
    }

    [Fact]
    public void Compressed_owner_names_and_aaaa_records_are_read()
    {
        var w = DnsWire.Response(answers: 1);
        int question = w.Position;
        w.Question("video.example.net", type: 28);
        w.Pointer(question).Rr(28, 120, System.Net.IPAddress.Parse("2001:db8::7").GetAddressBytes());

        var answers = Parse(w.ToArray()).ResolveQuestion();
        var (address, ttl) = Assert.Single(answers);
        Assert.Equal("2001:db8::7", address.ToString());
        Assert.Equal(6, address.Family);
        Assert.Equal(120u, ttl);
    }

    [Fact]
    public void A_cname_loop_ends_and_names_nothing()
    {
        byte[] m = DnsWire.Response(answers: 2)
            .Question("a.example")
            .Cname("a.example", "b.example")
            .Cname("b.example", "a.example")
            .ToArray();

        Assert.Empty(Parse(m).ResolveQuestion());
    }

    [Fact]
    public void A_pointer_to_itself_is_malformed_not_a_hang()
    {
        var w = DnsWire.Response(answers: 1).Question("a.example");
        int self = w.Position;
        w.Pointer(self).Rr(1, 1, [1, 2, 3, 4]);

        Assert.Equal(DiscoveryParse.Malformed, DnsMessage.TryParse(w.ToArray(), out var dns));
        Assert.Empty(dns!.Records);
    }

    [Fact]
    public void Pointers_that_jump_forwards_are_malformed()
    {
        var w = DnsWire.Response(questions: 1, answers: 0);
        w.Pointer(w.Position + 2).Name("x.example").U16(1).U16(1);
        Assert.Equal(DiscoveryParse.Malformed, DnsMessage.TryParse(w.ToArray(), out _));
    }

    [Fact]
    public void Two_pointers_bouncing_between_each_other_are_malformed()
    {
        // Name at 12 points to 14, which points back to 12.
        var w = DnsWire.Response(questions: 1);
        w.Pointer(14).Pointer(12).U16(1).U16(1);
        Assert.Equal(DiscoveryParse.Malformed, DnsMessage.TryParse(w.ToArray(), out _));
    }

    [Fact]
    public void A_label_running_past_the_end_is_truncated()
    {
        byte[] m = DnsWire.Response().Bytes(40, (byte)'a', (byte)'b').ToArray();
        Assert.Equal(DiscoveryParse.Truncated, DnsMessage.TryParse(m, out _));
    }

    [Fact]
    public void A_response_cut_inside_its_answers_keeps_the_records_before_the_cut()
    {
        byte[] whole = DnsWire.Response(answers: 2)
            .Question("cut.example")
            .A("cut.example", "192.0.2.1")
            .A("cut.example", "192.0.2.2")
            .ToArray();

        var dns = Parse(whole[..^3], DiscoveryParse.Truncated);
        Assert.Equal("192.0.2.1", Assert.Single(dns.ResolveQuestion()).Address.ToString());
    }

    [Fact]
    public void Names_are_lowercased_for_dns_and_keep_their_case_for_mdns()
    {
        byte[] m = DnsWire.Response(questions: 0, answers: 1, flags: 0x8400).A("Annas-iPhone.local", "192.168.1.20").ToArray();

        Assert.Equal("annas-iphone.local", Parse(m).Records[0].Owner);
        Assert.Equal(DiscoveryParse.Ok, DnsMessage.TryParse(m, out var mdns, lowercase: false));
        Assert.Equal("Annas-iPhone.local", mdns!.Records[0].Owner);
    }

    [Fact]
    public void Control_bytes_in_labels_never_reach_a_name()
    {
        byte[] m = DnsWire.Response(questions: 1).Bytes(3, (byte)'a', 0x07, (byte)'\n', 0).U16(1).U16(1).ToArray();
        Assert.Equal("a??", Parse(m).QuestionName);
    }

    [Fact]
    public void Random_corruption_never_throws()
    {
        byte[] seed = DnsWire.Response(answers: 3)
            .Question("www.example.com")
            .Cname("www.example.com", "edge.example.net")
            .A("edge.example.net", "203.0.113.7")
            .Aaaa("edge.example.net", "2001:db8::1")
            .ToArray();
        var random = new Random(5);
        for (int i = 0; i < 20_000; i++)
        {
            byte[] m = (byte[])seed.Clone();
            int flips = random.Next(1, 6);
            for (int f = 0; f < flips; f++) m[random.Next(m.Length)] = (byte)random.Next(256);
            int length = random.Next(m.Length + 1);
            var status = DnsMessage.TryParse(m.AsSpan(0, length), out var dns);
            Assert.True(Enum.IsDefined(status));
            dns?.ResolveQuestion();
        }
    }
}
