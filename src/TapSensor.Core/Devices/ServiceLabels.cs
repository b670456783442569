using TapSensor.Core.Flows;

namespace TapSensor.Core.Devices;

/// <summary>
/// A flow's service: the protocol its payload showed, else what the responder's port is registered for
/// (IANA service names, the ones a household meets). A TLS flow on 443 is https; elsewhere it is tls.
/// </summary>
public static class ServiceLabels
{
    private const byte Tcp = 6;
    private const byte Udp = 17;

    public static string? For(AppProtocol app, byte protocol, ushort responderPort) => app switch
    {
        AppProtocol.Tls => responderPort == 443 ? "https" : responderPort == 853 ? "dot" : "tls",
        AppProtocol.Http => "http",
        AppProtocol.Quic => "quic",
        AppProtocol.Dns => "dns",
        AppProtocol.Mdns => "mdns",
        AppProtocol.Dhcp => "dhcp",
        AppProtocol.Dhcpv6 => "dhcpv6",
        AppProtocol.Netbios => "netbios-ns",
        _ => ByPort(protocol, responderPort),
    };

    public static string? ByPort(byte protocol, ushort port) => (protocol, port) switch
    {
        (Tcp, 443) => "https",
        (Udp, 443) => "quic",
        (Tcp, 80) or (Tcp, 8080) => "http",
        (_, 53) => "dns",
        (Tcp, 853) => "dot",
        (Udp, 853) => "doq",
        (Udp, 123) => "ntp",
        (Udp, 67) or (Udp, 68) => "dhcp",
        (Udp, 546) or (Udp, 547) => "dhcpv6",
        (Udp, 5353) => "mdns",
        (Udp, 5355) => "llmnr",
        (Udp, 137) => "netbios-ns",
        (Udp, 138) => "netbios-dgm",
        (Tcp, 139) => "netbios-ssn",
        (Tcp, 445) => "smb",
        (Udp, 1900) => "ssdp",
        (Udp, 3478) or (Udp, 19302) => "stun",
        (Tcp, 22) => "ssh",
        (Tcp, 21) => "ftp",
        (Tcp, 23) => "telnet",
        (Tcp, 25) or (Tcp, 587) => "smtp",
        (Tcp, 465) => "smtps",
        (Tcp, 110) => "pop3",
        (Tcp, 995) => "pop3s",
        (Tcp, 143) => "imap",
        (Tcp, 993) => "imaps",
        (Tcp, 1883) => "mqtt",
        (Tcp, 8883) => "mqtts",
        (Tcp, 5222) => "xmpp",
        (Tcp, 3389) => "rdp",
        (Tcp, 5900) => "vnc",
        (Tcp, 8009) => "cast",
        (Tcp, 554) => "rtsp",
        (Udp, 500) or (Udp, 4500) => "ipsec",
        (Udp, 51820) => "wireguard",
        (Udp, 1194) => "openvpn",
        (Tcp, 631) => "ipp",
        (Udp, 161) => "snmp",
        (Udp, 514) => "syslog",
        _ => null,
    };
}
