namespace TapSensor.Testing.Packets;

/// <summary>
/// Entry points of the test packet builder. Each returns a <see cref="PacketBuilder"/> with sensible defaults
/// (a household client talking to a public server over Ethernet), to be narrowed with the fluent methods:
/// <code>
/// byte[] frame = TestPackets.Tcp().From("192.168.1.10", 51514).To("203.0.113.7", 443).Syn().Vlan(10).Build();
/// </code>
/// (Not named <c>Packets</c>: inside TapSensor.Core.* that name finds the namespace TapSensor.Core.Packets first.)
/// </summary>
public static class TestPackets
{
    public const string DefaultClient = "192.168.1.10";
    public const string DefaultServer = "203.0.113.7";
    public const string DefaultClientMac = "02:00:00:00:00:0a";
    public const string DefaultServerMac = "02:00:00:00:00:0b";

    /// <summary>TCP 192.168.1.10:51514 → 203.0.113.7:443, no flags set.</summary>
    public static PacketBuilder Tcp() => new PacketBuilder(TransportKind.Tcp).From(DefaultClient, 51514).To(DefaultServer, 443);

    /// <summary>
    /// UDP 192.168.1.10:51514 → 203.0.113.7:9999. The port is deliberately no well-known service, so arbitrary
    /// payloads are not taken for DNS or QUIC by tshark or by our name parsers; pick the port when it matters.
    /// </summary>
    public static PacketBuilder Udp() => new PacketBuilder(TransportKind.Udp).From(DefaultClient, 51514).To(DefaultServer, 9999);

    /// <summary>ICMP echo request 192.168.1.10 → 203.0.113.7; ICMPv6 when the addresses are IPv6.</summary>
    public static PacketBuilder Icmp() => new PacketBuilder(TransportKind.Icmp).From(DefaultClient).To(DefaultServer).Echo();

    /// <summary>SCTP 192.168.1.10:5000 → 203.0.113.7:5001 (common header only, then the payload).</summary>
    public static PacketBuilder Sctp() => new PacketBuilder(TransportKind.Sctp).From(DefaultClient, 5000).To(DefaultServer, 5001);

    /// <summary>Any other protocol number: the payload follows the IP header directly.</summary>
    public static PacketBuilder Ip(byte protocol) => new PacketBuilder(TransportKind.Other, protocol).From(DefaultClient).To(DefaultServer);
}

public enum TransportKind
{
    Tcp,
    Udp,
    Icmp,
    Sctp,
    Other,
}
