namespace TapSensor.Core.Decoding;

/// <summary>
/// Things worth counting that are not the outcome of a frame: a frame decoded <see cref="DecodeStatus.Ok"/> may
/// also bump one or more notes. Unlike statuses, notes do not sum to the number of frames.
/// </summary>
internal enum DecodeNote : byte
{
    /// <summary>Ok, but the snap length cut the innermost IP packet short.</summary>
    TruncatedOk,
    /// <summary>Ok, and the key is the packet inside an IP-in-IP or GRE tunnel.</summary>
    Tunnelled,
    /// <summary>A tunnel carried something other than IP (ARP over GRE bridging, PPTP control, WCCP...); keyed by the outer packet.</summary>
    TunnelPayloadNotIp,
    Ipv4FragmentMatched,
    Ipv4FragmentUnmatched,
    Ipv6FragmentMatched,
    Ipv6FragmentUnmatched,
    /// <summary>A first fragment took the fragment-table slot of another datagram still within its reassembly time.</summary>
    FragmentSlotOverwritten,
    /// <summary>IPv4 total length 0, as segmentation offload leaves it; the frame length was used instead.</summary>
    Ipv4ZeroTotalLength,
    /// <summary>IPv6 payload length 0 before a hop-by-hop or TCP header (jumbogram, RFC 2675 §3, or BIG TCP offload); the frame length was used instead.</summary>
    Ipv6ZeroPayloadLength,
    /// <summary>An IP length field claimed more bytes than the frame had on the wire; clamped to the frame.</summary>
    IpLengthExceedsFrame,
}

internal static class DecodeNoteNames
{
    public const int Count = (int)DecodeNote.IpLengthExceedsFrame + 1;

    public static string Name(DecodeNote note) => note switch
    {
        DecodeNote.TruncatedOk => "decode.truncated_ok",
        DecodeNote.Tunnelled => "decode.tunnelled",
        DecodeNote.TunnelPayloadNotIp => "decode.tunnel.payload_not_ip",
        DecodeNote.Ipv4FragmentMatched => "decode.ipv4.fragment_matched",
        DecodeNote.Ipv4FragmentUnmatched => "decode.ipv4.fragment_unmatched",
        DecodeNote.Ipv6FragmentMatched => "decode.ipv6.fragment_matched",
        DecodeNote.Ipv6FragmentUnmatched => "decode.ipv6.fragment_unmatched",
        DecodeNote.FragmentSlotOverwritten => "decode.fragment.slot_overwritten",
        DecodeNote.Ipv4ZeroTotalLength => "decode.ipv4.zero_total_length",
        DecodeNote.Ipv6ZeroPayloadLength => "decode.ipv6.zero_payload_length",
        DecodeNote.IpLengthExceedsFrame => "decode.ip.length_exceeds_frame",
        _ => "decode.unknown_note",
    };
}
