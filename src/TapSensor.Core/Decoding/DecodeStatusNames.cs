namespace TapSensor.Core.Decoding;

/// <summary>Stable dotted names for <see cref="DecodeStatus"/> values, used as counter names in stats and logs.</summary>
internal static class DecodeStatusNames
{
    /// <summary>Number of <see cref="DecodeStatus"/> values; counters are arrays of this length.</summary>
    public const int Count = (int)DecodeStatus.TooManyLayers + 1;

    /// <summary>Everything but <see cref="DecodeStatus.Ok"/> and <see cref="DecodeStatus.NotIp"/> is an anomaly worth a weird-style report.</summary>
    public static bool IsError(DecodeStatus status) => status > DecodeStatus.NotIp;

    public static string Name(DecodeStatus status) => status switch
    {
        DecodeStatus.Ok => "decode.ok",
        DecodeStatus.NotIp => "decode.l2.not_ip",
        DecodeStatus.UnknownLinkType => "decode.link.unknown_linktype",

        DecodeStatus.EthernetTruncated => "decode.ethernet.truncated",
        DecodeStatus.VlanTruncated => "decode.vlan.truncated",
        DecodeStatus.VlanTooManyTags => "decode.vlan.too_many_tags",
        DecodeStatus.PbbTruncated => "decode.pbb.truncated",
        DecodeStatus.PppoeTruncated => "decode.pppoe.truncated",
        DecodeStatus.PppoeBadVersion => "decode.pppoe.bad_version",
        DecodeStatus.PppoeBadCode => "decode.pppoe.bad_code",
        DecodeStatus.PppTruncated => "decode.ppp.truncated",
        DecodeStatus.CiscoHdlcTruncated => "decode.chdlc.truncated",
        DecodeStatus.LoopbackTruncated => "decode.null.truncated",
        DecodeStatus.SllTruncated => "decode.sll.truncated",
        DecodeStatus.Sll2Truncated => "decode.sll2.truncated",
        DecodeStatus.MplsTruncated => "decode.mpls.truncated",
        DecodeStatus.MplsTooManyLabels => "decode.mpls.too_many_labels",
        DecodeStatus.MplsUnknownPayload => "decode.mpls.unknown_payload",
        DecodeStatus.RawBadVersion => "decode.raw.bad_ip_version",

        DecodeStatus.Ipv4Truncated => "decode.ipv4.truncated",
        DecodeStatus.Ipv4WrongVersion => "decode.ipv4.wrong_version",
        DecodeStatus.Ipv4BadHeaderLength => "decode.ipv4.bad_header_length",
        DecodeStatus.Ipv4BadTotalLength => "decode.ipv4.bad_total_length",
        DecodeStatus.Ipv4AhTruncated => "decode.ipv4.ah_truncated",
        DecodeStatus.Ipv6Truncated => "decode.ipv6.truncated",
        DecodeStatus.Ipv6WrongVersion => "decode.ipv6.wrong_version",
        DecodeStatus.Ipv6ExtensionHeaderTruncated => "decode.ipv6.exthdr_truncated",
        DecodeStatus.Ipv6ExtensionHeaderBadLength => "decode.ipv6.exthdr_bad_length",
        DecodeStatus.Ipv6TooManyExtensionHeaders => "decode.ipv6.exthdr_too_many",

        DecodeStatus.TcpTruncated => "decode.tcp.truncated",
        DecodeStatus.TcpTooSmall => "decode.tcp.too_small",
        DecodeStatus.TcpBadHeaderLength => "decode.tcp.bad_header_length",
        DecodeStatus.UdpTruncated => "decode.udp.truncated",
        DecodeStatus.UdpBadLength => "decode.udp.bad_length",
        DecodeStatus.Icmpv4Truncated => "decode.icmpv4.truncated",
        DecodeStatus.Icmpv6Truncated => "decode.icmpv6.truncated",
        DecodeStatus.SctpTruncated => "decode.sctp.truncated",

        DecodeStatus.GreTruncated => "decode.gre.truncated",
        DecodeStatus.GreBadVersion => "decode.gre.bad_version",
        DecodeStatus.GreUnsupportedFlags => "decode.gre.unsupported_flags",
        DecodeStatus.GreBadPptpHeader => "decode.gre.bad_pptp_header",
        DecodeStatus.ErspanTruncated => "decode.erspan.truncated",
        DecodeStatus.ErspanBadVersion => "decode.erspan.bad_version",
        DecodeStatus.TunnelTooDeep => "decode.tunnel.too_deep",
        DecodeStatus.TooManyLayers => "decode.too_many_layers",
        _ => "decode.unknown_status",
    };
}
