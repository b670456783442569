using TapSensor.Testing.Packets;
using System.Net;
using TapSensor.Core.Discovery;

namespace TapSensor.Core.Tests.Discovery;

public class DhcpMessageTests
{
    internal static byte[] Dhcp(byte op, byte type, string mac, params byte[][] options)
    {
        var m = new byte[240];
        m[0] = op;
        m[1] = 1;
        m[2] = 6;
        PacketBuilder.ParseMac(mac).CopyTo(m, 28);
        m[236] = 0x63; m[237] = 0x82; m[238] = 0x53; m[239] = 0x63;
        var body = new List<byte>(m) { 53, 1, type };
        foreach (var o in options) body.AddRange(o);
        body.Add(255);
        return [.. body];
    }

    internal static byte[] Option(byte code, params byte[] value) => [code, (byte)value.Length, .. value];

    internal static byte[] Option(byte code, string text) => Option(code, System.Text.Encoding.ASCII.GetBytes(text));

    [Fact]
    public void A_request_gives_host_name_fqdn_client_id_vendor_class_and_requested_address()
    {
        byte[] m = Dhcp(1, DhcpMessage.MessageRequest, "8c:8d:28:53:84:49",
            Option(12, "LAPTOP-7K2J9QH"),
            Option(81, [0x05, 0, 0, 6, (byte)'l', (byte)'a', (byte)'p', (byte)'t', (byte)'o', (byte)'p', 4, (byte)'h', (byte)'o', (byte)'m', (byte)'e', 0]),
            Option(61, 0x01, 0x8c, 0x8d, 0x28, 0x53, 0x84, 0x49),
            Option(60, "MSFT 5.0"),
            Option(50, 192, 168, 1, 127));

        Assert.Equal(DiscoveryParse.Ok, DhcpMessage.TryParse(m, out var dhcp));
        Assert.True(dhcp!.IsFromClient);
        Assert.Equal(DhcpMessage.MessageRequest, dhcp.MessageType);
        Assert.Equal(0x8c8d28538449UL, dhcp.ClientMac);
        Assert.Equal("LAPTOP-7K2J9QH", dhcp.HostName);
        Assert.Equal("laptop.home", dhcp.ClientFqdn);
        Assert.Equal("018c8d28538449", dhcp.ClientId);
        Assert.Equal("MSFT 5.0", dhcp.VendorClass);
        Assert.Equal(IPAddress.Parse("192.168.1.127"), dhcp.BoundAddress.ToIPAddress());
    }

    [Fact]
    public void An_ascii_fqdn_and_a_host_name_padded_with_nuls_are_trimmed()
    {
        byte[] m = Dhcp(1, DhcpMessage.MessageDiscover, "02:00:00:00:00:01",
            Option(12, [(byte)'p', (byte)'i', 0, 0]),
            Option(81, [0x00, 0, 0, (byte)'p', (byte)'i', (byte)'.', (byte)'l', (byte)'a', (byte)'n', (byte)'.']));
        Assert.Equal(DiscoveryParse.Ok, DhcpMessage.TryParse(m, out var dhcp));
        Assert.Equal("pi", dhcp!.HostName);
        Assert.Equal("pi.lan", dhcp.ClientFqdn);
    }

    [Fact]
    public void An_ack_binds_the_assigned_address()
    {
        byte[] m = Dhcp(2, DhcpMessage.MessageAck, "8c:8d:28:53:84:49");
        m[16] = 192; m[17] = 168; m[18] = 1; m[19] = 50;
        Assert.Equal(DiscoveryParse.Ok, DhcpMessage.TryParse(m, out var dhcp));
        Assert.False(dhcp!.IsFromClient);
        Assert.Equal("192.168.1.50", dhcp.YourAddress.ToString());
        Assert.Equal("192.168.1.50", dhcp.BoundAddress.ToString());
    }

    [Fact]
    public void An_option_longer_than_the_message_is_truncated_and_keeps_earlier_options()
    {
        byte[] m = Dhcp(1, DhcpMessage.MessageRequest, "02:00:00:00:00:01", Option(12, "kept"));
        byte[] broken = [.. m[..^1], 60, 200, (byte)'x'];
        Assert.Equal(DiscoveryParse.Truncated, DhcpMessage.TryParse(broken, out var dhcp));
        Assert.Equal("kept", dhcp!.HostName);
    }

    [Theory]
    [InlineData(100)]   // shorter than the fixed header
    [InlineData(239)]   // no room for the cookie
    public void Short_messages_are_truncated(int length)
    {
        Assert.Equal(DiscoveryParse.Truncated, DhcpMessage.TryParse(new byte[length], out _));
    }

    [Fact]
    public void A_wrong_magic_cookie_is_malformed()
    {
        byte[] m = Dhcp(1, 1, "02:00:00:00:00:01");
        m[236] = 0;
        Assert.Equal(DiscoveryParse.Malformed, DhcpMessage.TryParse(m, out _));
    }

    [Fact]
    public void Junk_options_never_throw()
    {
        var random = new Random(7);
        byte[] seed = Dhcp(1, 3, "02:00:00:00:00:01", Option(12, "host"), Option(81, [4, 0, 0, 3, (byte)'a', (byte)'b', (byte)'c', 0]), Option(61, 1, 2, 3));
        for (int i = 0; i < 20_000; i++)
        {
            byte[] m = (byte[])seed.Clone();
            for (int f = 0; f < 4; f++) m[240 + random.Next(m.Length - 240)] = (byte)random.Next(256);
            Assert.True(Enum.IsDefined(DhcpMessage.TryParse(m.AsSpan(0, random.Next(236, m.Length + 1)), out _)));
        }
    }

    [Fact]
    public void Dhcpv6_solicit_gives_fqdn_duid_and_the_mac_inside_a_duid_ll()
    {
        // Solicit, transaction id, client id (DUID-LL, Ethernet), client FQDN ("tv.home"), IA_NA with no address.
        byte[] m =
        [
            1, 0xAB, 0xCD, 0xEF,
            0, 1, 0, 10, 0, 3, 0, 1, 0x3c, 0xa6, 0x2f, 0x01, 0x02, 0x03,
            0, 39, 0, 10, 0x01, 2, (byte)'t', (byte)'v', 4, (byte)'h', (byte)'o', (byte)'m', (byte)'e', 0,
            0, 3, 0, 12, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0,
        ];
        Assert.Equal(DiscoveryParse.Ok, Dhcpv6Message.TryParse(m, out var dhcp));
        Assert.True(dhcp!.IsFromClient);
        Assert.Equal("tv.home", dhcp.ClientFqdn);
        Assert.Equal("000300013ca62f010203", dhcp.ClientDuid);
        Assert.Equal(0x3ca62f010203UL, dhcp.DuidMac);
    }

    [Fact]
    public void Dhcpv6_reply_lists_its_ia_addresses_and_survives_a_cut()
    {
        byte[] address = IPAddress.Parse("2001:db8:1::42").GetAddressBytes();
        byte[] iaaddr = [0, 5, 0, 24, .. address, 0, 0, 0, 100, 0, 0, 0, 200];
        byte[] ia = [0, 3, 0, (byte)(12 + iaaddr.Length), 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, .. iaaddr];
        byte[] m = [7, 1, 2, 3, .. ia];
        Assert.Equal(DiscoveryParse.Ok, Dhcpv6Message.TryParse(m, out var dhcp));
        Assert.False(dhcp!.IsFromClient);
        Assert.Equal("2001:db8:1::42", Assert.Single(dhcp.Addresses).ToString());
        Assert.Equal(DiscoveryParse.Truncated, Dhcpv6Message.TryParse(m[..^5], out _));
    }
}
