namespace TapSensor.Sample;

/// <summary>
/// What a sample generator wrote. <see cref="Bytes"/> sums the frames' wire lengths (pcap orig_len), so it does
/// not shrink with the snap length. <see cref="Flows"/> counts the conversations the generator opened
/// (TCP connections, DNS/NTP/QUIC exchanges, ICMP echo sessions), each on its own 5-tuple; DHCP, ARP, NDP and
/// mDNS chatter is link-local housekeeping and is not counted there.
/// </summary>
internal readonly record struct SampleStats(
    long Packets,
    long Bytes,
    long Flows,
    long Ipv6Packets,
    long TcpFlows,
    long UdpFlows,
    long IcmpFlows,
    TimeSpan Duration);
