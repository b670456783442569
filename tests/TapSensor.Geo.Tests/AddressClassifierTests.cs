using System.Buffers.Binary;
using System.Net;

namespace TapSensor.Geo.Tests;

public sealed class AddressClassifierTests
{
    [Theory]
    // RFC 1918
    [InlineData("10.0.0.0", AddressClass.Private)]
    [InlineData("10.255.255.255", AddressClass.Private)]
    [InlineData("172.16.0.1", AddressClass.Private)]
    [InlineData("172.31.255.255", AddressClass.Private)]
    [InlineData("172.15.255.255", AddressClass.Public)]
    [InlineData("172.32.0.0", AddressClass.Public)]
    [InlineData("192.168.1.10", AddressClass.Private)]
    [InlineData("192.169.0.1", AddressClass.Public)]
    // RFC 6598 shared address space
    [InlineData("100.64.0.0", AddressClass.Cgnat)]
    [InlineData("100.127.255.255", AddressClass.Cgnat)]
    [InlineData("100.63.255.255", AddressClass.Public)]
    [InlineData("100.128.0.0", AddressClass.Public)]
    // loopback, link-local
    [InlineData("127.0.0.1", AddressClass.Loopback)]
    [InlineData("127.255.255.254", AddressClass.Loopback)]
    [InlineData("169.254.1.1", AddressClass.LinkLocal)]
    [InlineData("169.253.255.255", AddressClass.Public)]
    // multicast, broadcast, 240/4
    [InlineData("224.0.0.251", AddressClass.Multicast)]
    [InlineData("239.255.255.250", AddressClass.Multicast)]
    [InlineData("255.255.255.255", AddressClass.Broadcast)]
    [InlineData("240.0.0.1", AddressClass.Reserved)]
    [InlineData("255.255.255.254", AddressClass.Reserved)]
    // RFC 5737 documentation, RFC 2544 benchmarking
    [InlineData("192.0.2.1", AddressClass.Documentation)]
    [InlineData("198.51.100.7", AddressClass.Documentation)]
    [InlineData("203.0.113.255", AddressClass.Documentation)]
    [InlineData("203.0.114.0", AddressClass.Public)]
    [InlineData("198.18.0.1", AddressClass.Benchmarking)]
    [InlineData("198.19.255.255", AddressClass.Benchmarking)]
    [InlineData("198.20.0.0", AddressClass.Public)]
    // 0/8 and 192.0.0/24
    [InlineData("0.0.0.0", AddressClass.Unspecified)]
    [InlineData("0.1.2.3", AddressClass.Reserved)]
    [InlineData("192.0.0.8", AddressClass.Reserved)]
    // public
    [InlineData("8.8.8.8", AddressClass.Public)]
    [InlineData("1.1.1.1", AddressClass.Public)]
    [InlineData("223.255.255.255", AddressClass.Public)]
    public void Ipv4_special_ranges_are_classified(string address, AddressClass expected)
    {
        var ip = IPAddress.Parse(address);
        Assert.Equal(expected, AddressClassifier.Classify(ip));
        // The flow-key form (IPv4-mapped, family 4) and the mapped IPv6 form give the same answer.
        uint v4 = BinaryPrimitives.ReadUInt32BigEndian(ip.GetAddressBytes());
        Assert.Equal(expected, AddressClassifier.Classify(0, 0xFFFF_0000_0000UL | v4, 4));
        Assert.Equal(expected, AddressClassifier.Classify(ip.MapToIPv6()));
        Assert.Equal(expected, AddressClassifier.Classify(0, 0xFFFF_0000_0000UL | v4, 6));
    }

    [Theory]
    [InlineData("::", AddressClass.Unspecified)]
    [InlineData("::1", AddressClass.Loopback)]
    [InlineData("fe80::1", AddressClass.LinkLocal)]
    [InlineData("febf:ffff::1", AddressClass.LinkLocal)]
    [InlineData("fec0::1", AddressClass.Reserved)]
    [InlineData("fc00::1", AddressClass.UniqueLocal)]
    [InlineData("fd12:3456:789a::1", AddressClass.UniqueLocal)]
    [InlineData("ff02::fb", AddressClass.Multicast)]
    [InlineData("ff05::1:3", AddressClass.Multicast)]
    [InlineData("2001:db8::1", AddressClass.Documentation)]
    [InlineData("2001:db8:ffff:ffff::1", AddressClass.Documentation)]
    [InlineData("2001:db9::1", AddressClass.Public)]
    [InlineData("3fff::1", AddressClass.Documentation)]
    [InlineData("3fff:fff::1", AddressClass.Documentation)]
    [InlineData("3fff:1000::1", AddressClass.Public)]
    [InlineData("2001:2::1", AddressClass.Benchmarking)]
    [InlineData("2001:2:1::1", AddressClass.Public)]
    [InlineData("2001:10::1", AddressClass.Reserved)]
    [InlineData("100::1", AddressClass.Reserved)]
    [InlineData("::2", AddressClass.Reserved)]
    [InlineData("::8.8.8.8", AddressClass.Reserved)]
    [InlineData("4000::1", AddressClass.Reserved)]
    [InlineData("64:ff9b:1::a", AddressClass.Private)]
    [InlineData("2001:4860:4860::8888", AddressClass.Public)]
    [InlineData("2606:4700:4700::1111", AddressClass.Public)]
    [InlineData("2a00:1450:4001:80b::200e", AddressClass.Public)]
    public void Ipv6_special_ranges_are_classified(string address, AddressClass expected)
    {
        Assert.Equal(expected, AddressClassifier.Classify(IPAddress.Parse(address)));
    }

    [Theory]
    [InlineData("::ffff:192.168.1.1", AddressClass.Private)]
    [InlineData("::ffff:127.0.0.1", AddressClass.Loopback)]
    [InlineData("::ffff:100.64.1.1", AddressClass.Cgnat)]
    [InlineData("::ffff:8.8.8.8", AddressClass.Public)]
    [InlineData("64:ff9b::10.0.0.1", AddressClass.Private)]
    [InlineData("64:ff9b::8.8.8.8", AddressClass.Public)]
    public void Ipv4_mapped_and_nat64_addresses_follow_the_ipv4_rules(string address, AddressClass expected)
    {
        Assert.Equal(expected, AddressClassifier.Classify(IPAddress.Parse(address)));
    }
}
