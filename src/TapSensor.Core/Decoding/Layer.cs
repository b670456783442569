namespace TapSensor.Core.Decoding;

/// <summary>The next header the decoder has to read. Each stage reads one header and names the next one.</summary>
internal enum Layer : byte
{
    /// <summary>Nothing left to read: the summary is complete.</summary>
    Done,
    Ethernet,
    /// <summary>An EtherType (with any 802.1Q tags after it) read by the previous stage: Ethernet, SLL, Cisco HDLC, GRE.</summary>
    EtherType,
    LinuxSll,
    LinuxSll2,
    /// <summary>BSD loopback, 4-byte family in the capturing host's byte order.</summary>
    Null,
    /// <summary>OpenBSD loopback, 4-byte family in network byte order.</summary>
    Loop,
    /// <summary>PPP with optional HDLC address and control bytes.</summary>
    Ppp,
    /// <summary>LINKTYPE_PPP and LINKTYPE_PPP_HDLC: PPP, possibly in HDLC-like framing, or Cisco HDLC.</summary>
    PppLink,
    CiscoHdlc,
    PppoeSession,
    Mpls,
    /// <summary>Raw IP: version nibble picks IPv4 or IPv6.</summary>
    RawIp,
    Ipv4,
    Ipv6,
    Gre,
    ErspanType2,
    ErspanType3,
}
