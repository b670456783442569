using TapSensor.Testing.Packets;
using System.Net;
using TapSensor.Core.Discovery;

namespace TapSensor.Core.Tests.Discovery;

public class LinkAndNetbiosTests
{
    internal static byte[] Arp(ushort op, string senderMac, string senderIp, string targetIp)
    {
        byte[] m = new byte[28];
        m[1] = 1; m[2] = 8; m[3] = 0; m[4] = 6; m[5] = 4; m[7] = (byte)op;
        PacketBuilder.ParseMac(senderMac).CopyTo(m, 8);
        IPAddress.Parse(senderIp).GetAddressBytes().CopyTo(m, 14);
        IPAddress.Parse(targetIp).GetAddressBytes().CopyTo(m, 24);
        return m;
    }

    [Fact]
    public void Arp_binds_the_sender()
    {
        Assert.Equal(DiscoveryParse.Ok, LinkMessages.TryParseArp(Arp(2, "24:0a:c4:3f:93:84", "192.168.1.212", "192.168.1.1"), out ulong mac, out var address));
        Assert.Equal(0x240ac43f9384UL, mac);
        Assert.Equal("192.168.1.212", address.ToString());
    }

    [Fact]
    public void An_arp_probe_from_0_0_0_0_binds_nothing_and_a_short_one_is_truncated()
    {
        Assert.Equal(DiscoveryParse.Ignored, LinkMessages.TryParseArp(Arp(1, "24:0a:c4:3f:93:84", "0.0.0.0", "192.168.1.212"), out _, out _));
        Assert.Equal(DiscoveryParse.Truncated, LinkMessages.TryParseArp(new byte[20], out _, out _));
    }

    [Fact]
    public void A_neighbor_advertisement_binds_its_target_to_the_target_link_layer_option()
    {
        byte[] target = IPAddress.Parse("2001:db8::20").GetAddressBytes();
        byte[] body = [.. target, 2, 1, 0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc];
        var status = LinkMessages.TryParseNdp(136, body, default, 0, out ulong mac, out var address, out bool router);
        Assert.Equal(DiscoveryParse.Ok, status);
        Assert.Equal(0x123456789abcUL, mac);
        Assert.Equal("2001:db8::20", address.ToString());
        Assert.False(router);
    }

    [Fact]
    public void A_router_advertisement_marks_its_sender_and_a_zero_length_option_is_malformed()
    {
        var source = NetAddress.From(IPAddress.Parse("fe80::1"));
        byte[] body = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0x3c, 0xa6, 0x2f, 0, 0, 1];
        Assert.Equal(DiscoveryParse.Ok, LinkMessages.TryParseNdp(134, body, source, 0, out ulong mac, out var address, out bool router));
        Assert.True(router);
        Assert.Equal(0x3ca62f000001UL, mac);
        Assert.Equal(source, address);
        byte[] zero = [0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0];
        Assert.Equal(DiscoveryParse.Malformed, LinkMessages.TryParseNdp(134, zero, source, 0, out _, out _, out _));
    }

    /// <summary>A NetBIOS name registration request (RFC 1002 §4.2.2) for a unique workstation name.</summary>
    internal static byte[] NbnsRegistration(string name, string address, byte suffix = 0x00, ushort nbFlags = 0x0000)
    {
        var m = new List<byte> { 0x12, 0x34, 0x29, 0x10, 0, 1, 0, 0, 0, 0, 0, 1, 32 };
        string padded = name.ToUpperInvariant().PadRight(15)[..15];
        foreach (byte b in System.Text.Encoding.ASCII.GetBytes(padded).Append(suffix))
        {
            m.Add((byte)('A' + (b >> 4)));
            m.Add((byte)('A' + (b & 0xF)));
        }
        m.AddRange([0, 0, 0x20, 0, 1, 0xC0, 12, 0, 0x20, 0, 1, 0, 0, 0x0e, 0x10, 0, 6, (byte)(nbFlags >> 8), (byte)nbFlags]);
        m.AddRange(IPAddress.Parse(address).GetAddressBytes());
        return [.. m];
    }

    [Fact]
    public void A_netbios_registration_names_the_registered_address()
    {
        Assert.Equal(DiscoveryParse.Ok, NetbiosNameMessage.TryParse(NbnsRegistration("desktop-kids", "192.168.1.44"), out string? name, out var address));
        Assert.Equal("DESKTOP-KIDS", name);
        Assert.Equal("192.168.1.44", address.ToString());
    }

    [Fact]
    public void Group_names_and_browser_suffixes_are_not_device_names()
    {
        Assert.Equal(DiscoveryParse.Ignored, NetbiosNameMessage.TryParse(NbnsRegistration("WORKGROUP", "192.168.1.44", nbFlags: 0x8000), out _, out _));
        Assert.Equal(DiscoveryParse.Ignored, NetbiosNameMessage.TryParse(NbnsRegistration("WORKGROUP", "192.168.1.44", suffix: 0x1E), out _, out _));
    }

    [Fact]
    public void Bad_netbios_encodings_are_malformed_and_cuts_truncated()
    {
        byte[] m = NbnsRegistration("pc", "192.168.1.2");
        byte[] bad = (byte[])m.Clone();
        bad[14] = (byte)'z';
        Assert.Equal(DiscoveryParse.Malformed, NetbiosNameMessage.TryParse(bad, out _, out _));
        for (int cut = 0; cut < m.Length; cut++)
            Assert.NotEqual(DiscoveryParse.Ok, NetbiosNameMessage.TryParse(m.AsSpan(0, cut), out _, out _));
    }
}
