namespace TapSensor.Core.Decoding;

/// <summary>
/// Outcome of decoding one frame: <see cref="Ok"/>, <see cref="NotIp"/>, or the one reason the frame could not be
/// turned into a flow key. Every value has a counter in <see cref="DecodeCounters"/> and a stable dotted name in
/// <see cref="DecodeStatusNames"/>, in the spirit of Suricata's decoder events (src/decode-events.c).
/// Append new members at the end: dashboards key on the names, tests on the numbering being dense.
/// </summary>
internal enum DecodeStatus : byte
{
    /// <summary>The summary is complete (possibly with <c>PacketFlags.Truncated</c> when the snap length cut it).</summary>
    Ok,
    /// <summary>A well-formed frame that carries no IP: ARP, LLDP, STP, 802.3/LLC, PPPoE discovery, PPP control. Counted, not an error.</summary>
    NotIp,
    UnknownLinkType,

    EthernetTruncated,
    VlanTruncated,
    VlanTooManyTags,
    PbbTruncated,
    PppoeTruncated,
    PppoeBadVersion,
    PppoeBadCode,
    PppTruncated,
    CiscoHdlcTruncated,
    LoopbackTruncated,
    SllTruncated,
    Sll2Truncated,
    MplsTruncated,
    MplsTooManyLabels,
    MplsUnknownPayload,
    RawBadVersion,

    Ipv4Truncated,
    Ipv4WrongVersion,
    Ipv4BadHeaderLength,
    Ipv4BadTotalLength,
    Ipv4AhTruncated,
    Ipv6Truncated,
    Ipv6WrongVersion,
    Ipv6ExtensionHeaderTruncated,
    Ipv6ExtensionHeaderBadLength,
    Ipv6TooManyExtensionHeaders,

    TcpTruncated,
    TcpTooSmall,
    TcpBadHeaderLength,
    UdpTruncated,
    UdpBadLength,
    Icmpv4Truncated,
    Icmpv6Truncated,
    SctpTruncated,

    GreTruncated,
    GreBadVersion,
    GreUnsupportedFlags,
    GreBadPptpHeader,
    ErspanTruncated,
    ErspanBadVersion,
    TunnelTooDeep,
    TooManyLayers,
}
