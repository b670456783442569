namespace TapSensor.Core.Decoding;

/// <summary>pcap LINKTYPE_ values (https://www.tcpdump.org/linktypes.html) the decoder understands.</summary>
public enum LinkType
{
    Null = 0,            // BSD loopback: 4-byte host-order address family
    Ethernet = 1,
    Ppp = 9,
    Raw = 101,           // raw IPv4/IPv6
    RawDlt12 = 12,       // DLT_RAW on some BSDs
    RawDlt14 = 14,       // DLT_RAW on OpenBSD
    PppSerial = 50,      // PPP in HDLC-like framing
    PppEther = 51,       // PPPoE session payload without Ethernet header
    CiscoHdlc = 104,
    Loop = 108,          // OpenBSD loopback: 4-byte network-order address family
    LinuxSll = 113,
    Ipv4 = 228,
    Ipv6 = 229,
    LinuxSll2 = 276,
}
