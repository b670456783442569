using TapSensor.Core.Discovery;

namespace TapSensor.Core.Tests.Discovery;

/// <summary>
/// The workers' allocation-light DNS reader must say exactly what the message parser says: the same status, the
/// same question and the same answers, on well-formed responses and on thousands of damaged ones.
/// </summary>
public class DnsAnswerReaderTests
{
    private static IEnumerable<byte[]> Responses()
    {
        yield return DnsWire.CnameChain();
        yield return DnsWire.Response(answers: 2)
            .Question("a.example")
            .A("a.example", "198.51.100.1")
            .A("unrelated.example", "198.51.100.2")
            .ToArray();
        yield return DnsWire.Response(answers: 3, authority: 1, additional: 1)
            .Question("v6.example", type: 28)
            .Aaaa("v6.example", "2001:db8::1", ttl: 3600)
            .Aaaa("v6.example", "2001:db8::2", ttl: 0xFFFF_FFFF)
            .Cname("loop.example", "v6.example")
            .A("ns.example", "192.0.2.53")
            .A("v6.example", "192.0.2.6", ttl: 5)
            .ToArray();
        // Compressed names: the answer's owner points back at the question.
        var compressed = DnsWire.Response(answers: 2).Question("svc.example.org");
        compressed.Pointer(12).Rr(1, 120, [192, 0, 2, 1]);
        compressed.NameThenPointer("edge", 12).Rr(1, 120, [192, 0, 2, 2]);
        yield return compressed.ToArray();
        // A CNAME loop ends: the chain takes each name once.
        yield return DnsWire.Response(answers: 3)
            .Question("x.example")
            .Cname("x.example", "y.example")
            .Cname("y.example", "x.example")
            .A("y.example", "192.0.2.9")
            .ToArray();
    }

    public static TheoryData<int> ResponseIndexes()
    {
        var data = new TheoryData<int>();
        for (int i = 0; i < Responses().Count(); i++) data.Add(i);
        return data;
    }

    [Theory]
    [MemberData(nameof(ResponseIndexes))]
    public void A_response_reads_as_the_message_parser_reads_it(int index)
    {
        byte[] message = Responses().ElementAt(index);
        var reader = new DnsAnswerReader();
        AssertSame(reader, message, $"response {index}");
        Assert.True(reader.HasQuestion);
        Assert.False(reader.ResolveQuestion().IsEmpty);
    }

    [Fact]
    public void The_question_text_is_one_string_per_distinct_name()
    {
        var reader = new DnsAnswerReader();
        byte[] message = Responses().First();
        reader.Read(message);
        string first = reader.QuestionText();
        reader.Read(Responses().ElementAt(1));
        Assert.Equal("a.example", reader.QuestionText());
        reader.Read(message);
        Assert.Same(first, reader.QuestionText());
    }

    [Fact]
    public void Damaged_responses_read_as_the_message_parser_reads_them()
    {
        var bases = Responses().ToList();
        var rng = new Random(20261123);
        var reader = new DnsAnswerReader(); // one reader for all: nothing may leak from one message into the next
        for (int i = 0; i < 20_000; i++)
        {
            byte[] message = Mutations.Edit(rng, bases[rng.Next(bases.Count)]);
            AssertSame(reader, message, $"mutation {i}: {Convert.ToHexString(message)}");
        }
    }

    private static void AssertSame(DnsAnswerReader reader, byte[] message, string what)
    {
        var expected = DnsMessage.TryParse(message, out var dns);
        Assert.True(expected == reader.Read(message), $"{what}: status {reader.Read(message)}, parser {expected}");
        Assert.True(reader.HasQuestion == (dns?.QuestionName is not null), $"{what}: question");
        if (dns?.QuestionName is null) return;
        Assert.Equal(dns.QuestionName, reader.QuestionText());
        var want = dns.ResolveQuestion();
        var got = reader.ResolveQuestion().ToArray();
        Assert.True(want.Count == got.Length, $"{what}: {got.Length} answers, the parser has {want.Count}");
        Assert.Equal(want, got);
    }
}
