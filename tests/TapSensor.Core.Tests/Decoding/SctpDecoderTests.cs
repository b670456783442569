using TapSensor.Core.Decoding;
using TapSensor.Testing.Packets;

namespace TapSensor.Core.Tests.Decoding;

public sealed class SctpDecoderTests
{
    private readonly DecoderHarness _harness = new();

    [Fact]
    public void Sctp_is_keyed_by_its_ports()
    {
        Decoded d = _harness.Decode(TestPackets.Sctp().From("10.0.0.1", 2905).To("10.0.0.2", 2905).PayloadLength(16));

        Assert.Equal(DecodeStatus.Ok, d.Status);
        Assert.Equal(132, d.Key.Protocol);
        Assert.Equal("10.0.0.2:2905", d.Dst);
        Assert.Equal(16, d.Summary.PayloadLength);
    }

    [Fact]
    public void Packet_shorter_than_the_common_header_is_truncated()
    {
        byte[] ip = TestPackets.Sctp().BuildIp();

        Assert.Equal(DecodeStatus.SctpTruncated, _harness.Decode(ip[..23], 101, ip.Length).Status);
        Assert.Equal(DecodeStatus.SctpTruncated, _harness.Decode(Ipv4DecoderTests.InsertAfterHeader(ip[..28], [], 132), 101).Status);
    }
}
