using System.Buffers.Binary;
using System.Net;
using TapSensor.Core.Flows;
using TapSensor.Sinks.Influx.Tests.Infrastructure;

namespace TapSensor.Sinks.Influx.Tests.Points;

public sealed class FlowAddressTests
{
    private static FlowAddress Of(string text)
    {
        var (hi, lo, family) = Records.Address(text);
        return new FlowAddress(hi, lo, family);
    }

    [Theory]
    [InlineData("192.168.1.10")]
    [InlineData("0.0.0.0")]
    [InlineData("255.255.255.255")]
    [InlineData("::")]
    [InlineData("::1")]
    [InlineData("2001:db8::1")]
    [InlineData("2001:db8:0:0:1:0:0:1")]
    [InlineData("1:0:0:2:0:0:0:3")]
    [InlineData("fe80::")]
    [InlineData("fe80::1:0:0:0")]
    [InlineData("2001:db8:4d2:1a00:76c2:46ff:fe5f:2e1f")]
    [InlineData("2001:0:0:1::")]
    public void Formats_like_the_runtime(string text) => Assert.Equal(IPAddress.Parse(text).ToString(), Of(text).ToString());

    [Fact]
    public void Formats_random_IPv6_addresses_as_RFC_5952_recommends()
    {
        var random = new Random(5952);
        Span<byte> bytes = stackalloc byte[16];
        for (int i = 0; i < 20_000; i++)
        {
            random.NextBytes(bytes);
            // Zero some groups so that runs of zeros of every length occur.
            for (int g = 0; g < 8; g++)
                if (random.Next(3) == 0) bytes[(2 * g)..(2 * g + 2)].Clear();
            if (bytes[0] == 0 && bytes[1] == 0) bytes[0] = 0x20; // keep clear of the embedded-IPv4 forms
            var address = new FlowAddress(BinaryPrimitives.ReadUInt64BigEndian(bytes), BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]), 6);
            Assert.Equal(new IPAddress(bytes).ToString(), address.ToString());
        }
    }

    [Fact]
    public void An_IPv4_mapped_address_keeps_its_dotted_quad() =>
        Assert.Equal("::ffff:192.0.2.1", new FlowAddress(0, 0x0000_FFFF_C000_0201, 6).ToString());

    [Theory]
    [InlineData("10.1.2.3", true)]
    [InlineData("172.16.0.1", true)]
    [InlineData("172.31.255.255", true)]
    [InlineData("172.32.0.1", false)]
    [InlineData("192.168.1.1", true)]
    [InlineData("100.64.0.1", true)]
    [InlineData("100.128.0.1", false)]
    [InlineData("169.254.9.9", true)]
    [InlineData("127.0.0.1", true)]
    [InlineData("8.8.8.8", false)]
    [InlineData("224.0.0.251", false)]
    [InlineData("255.255.255.255", false)]
    [InlineData("fd00::1", true)]
    [InlineData("fc12::1", true)]
    [InlineData("fe80::1", true)]
    [InlineData("febf::1", true)]
    [InlineData("fec0::1", false)]
    [InlineData("::1", true)]
    [InlineData("2001:db8::1", false)]
    [InlineData("ff02::fb", false)]
    public void Knows_which_addresses_stay_in_a_home(string text, bool local) => Assert.Equal(local, Of(text).IsPrivate());
}
