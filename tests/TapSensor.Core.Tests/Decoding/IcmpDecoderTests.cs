using TapSensor.Core.Decoding;
using TapSensor.Testing.Packets;

namespace TapSensor.Core.Tests.Decoding;

public sealed class IcmpDecoderTests
{
    private readonly DecoderHarness _harness = new();

    [Theory]
    [InlineData(8, 0, 8, 0)]     // echo request -> reply
    [InlineData(0, 0, 0, 8)]     // echo reply -> request
    [InlineData(13, 0, 13, 14)]  // timestamp
    [InlineData(14, 0, 14, 13)]
    [InlineData(15, 0, 15, 16)]  // information
    [InlineData(16, 0, 16, 15)]
    [InlineData(17, 0, 17, 18)]  // address mask
    [InlineData(18, 0, 18, 17)]
    [InlineData(10, 0, 10, 9)]   // router solicitation -> advertisement
    [InlineData(9, 0, 9, 10)]
    [InlineData(3, 3, 3, 3)]     // port unreachable: the code
    [InlineData(11, 1, 11, 1)]   // time exceeded in reassembly: the code
    [InlineData(5, 1, 5, 1)]     // redirect
    public void Icmpv4_is_keyed_by_type_and_counterpart_or_code(byte type, byte code, int srcPort, int dstPort)
    {
        Decoded d = _harness.Decode(TestPackets.Icmp().IcmpType(type, code));

        Assert.Equal(DecodeStatus.Ok, d.Status);
        Assert.Equal(1, d.Key.Protocol);
        Assert.Equal($"192.168.1.10:{srcPort}", d.Src);
        Assert.Equal($"203.0.113.7:{dstPort}", d.Dst);
    }

    [Theory]
    [InlineData(128, 0, 128, 129)]
    [InlineData(129, 0, 129, 128)]
    [InlineData(130, 0, 130, 131)]
    [InlineData(131, 0, 131, 130)]
    [InlineData(133, 0, 133, 134)]
    [InlineData(134, 0, 134, 133)]
    [InlineData(135, 0, 135, 136)]
    [InlineData(136, 0, 136, 135)]
    [InlineData(139, 0, 139, 140)]
    [InlineData(140, 0, 140, 139)]
    [InlineData(144, 0, 144, 145)]
    [InlineData(145, 0, 145, 144)]
    [InlineData(1, 4, 1, 4)]     // destination unreachable, port: the code
    [InlineData(143, 0, 143, 0)] // MLDv2 report has no counterpart
    public void Icmpv6_is_keyed_by_type_and_counterpart_or_code(byte type, byte code, int srcPort, int dstPort)
    {
        Decoded d = _harness.Decode(TestPackets.Icmp().From("fe80::1").To("ff02::1").IcmpType(type, code));

        Assert.Equal(DecodeStatus.Ok, d.Status);
        Assert.Equal(58, d.Key.Protocol);
        Assert.Equal($"[fe80::1]:{srcPort}", d.Src);
        Assert.Equal($"[ff02::1]:{dstPort}", d.Dst);
    }

    [Theory]
    [InlineData("10.0.0.1", "10.0.0.2")]
    [InlineData("2001:db8::1", "2001:db8::2")]
    public void Echo_request_and_reply_share_a_flow(string client, string server)
    {
        Decoded request = _harness.Decode(TestPackets.Icmp().From(client).To(server).Echo().PayloadLength(56));
        Decoded reply = _harness.Decode(TestPackets.Icmp().From(server).To(client).EchoReply().PayloadLength(56));

        Assert.Equal(request.Key, reply.Key);
        Assert.NotEqual(request.Summary.SrcIsA, reply.Summary.SrcIsA);
        Assert.Equal(56, request.Summary.PayloadLength);
    }

    [Fact]
    public void Message_without_a_code_byte_is_truncated()
    {
        byte[] ip4 = TestPackets.Icmp().BuildIp();
        byte[] ip6 = TestPackets.Icmp().From("2001:db8::1").To("2001:db8::2").BuildIp();

        Assert.Equal(DecodeStatus.Icmpv4Truncated, _harness.Decode(ip4[..21], 101, ip4.Length).Status);
        Assert.Equal(DecodeStatus.Icmpv6Truncated, _harness.Decode(ip6[..41], 101, ip6.Length).Status);
    }
}
