using System.Globalization;
using System.Net;

namespace TapSensor.Testing.Tshark;

/// <summary>A TCP or UDP header of one frame, as the field pass attributes it.</summary>
/// <param name="IpBytes">The IP length of the IP header directly carrying this transport: ip.len, or ipv6.plen + 40.</param>
/// <param name="Tunnelled">More than one IP header precedes the transport (GRE, 6in4, Teredo, VXLAN ...).</param>
/// <param name="Fragmented">The frame is an IPv4 fragment (MF set or non-zero offset) or has an IPv6 fragment header.</param>
public readonly record struct TsharkTransportPacket(
    byte Protocol, IPAddress Source, ushort SourcePort, IPAddress Destination, ushort DestinationPort,
    long IpBytes, bool Tunnelled, bool Fragmented);

/// <summary>
/// Reads <c>tshark -T fields</c> output (the <see cref="Fields"/> in order, tab-separated, repeated
/// fields comma-separated) and yields each TCP/UDP header the conversation tables would count.
/// <para>
/// frame.protocols gives the layer order ("eth:ethertype:ip:gre:ip:tcp"); the n-th "ip" layer owns the
/// n-th value of every ip.* field, and likewise for ipv6, tcp and udp. Each transport is paired with
/// the IP layer just before it, which is the innermost one for tunnels, as tshark's conversation taps
/// do (they key on the addresses current when TCP/UDP is dissected).
/// </para>
/// <para>
/// Left out, because tshark's conversation tables leave them out too:
/// transports quoted inside ICMP/ICMPv6 error messages (dissected "in error packet", not tapped);
/// TCP/UDP headers on which tshark itself threw ("[Malformed Packet: TCP...]" in _ws.malformed) or TCP
/// headers with a bogus header length (tcp.hdr_len &lt; 20): the dissector stops before its tap.
/// Frames whose per-layer field counts do not match their layer list (truncated headers) cannot be
/// attributed safely and are counted in <see cref="AmbiguousFrames"/> instead.
/// </para>
/// </summary>
public sealed class TsharkFieldFrames
{
    /// <summary>The fields the pass extracts, in column order.</summary>
    public static readonly string[] Fields =
    [
        "frame.protocols",
        "ip.src", "ip.dst", "ip.len", "ip.flags.mf", "ip.frag_offset",
        "ipv6.src", "ipv6.dst", "ipv6.plen",
        "tcp.srcport", "tcp.dstport", "tcp.hdr_len",
        "udp.srcport", "udp.dstport",
        "_ws.malformed",
    ];

    private const int Protocols = 0, IpSrc = 1, IpDst = 2, IpLen = 3, IpMf = 4, IpFragOffset = 5,
        Ip6Src = 6, Ip6Dst = 7, Ip6Plen = 8, TcpSrc = 9, TcpDst = 10, TcpHdrLen = 11, UdpSrc = 12, UdpDst = 13,
        Malformed = 14;

    /// <summary>IPv6 fixed header length (RFC 8200 §3), added to the payload length for the IP length.</summary>
    private const int Ipv6HeaderLength = 40;

    /// <summary>Frames read.</summary>
    public long Frames { get; private set; }

    /// <summary>Frames skipped because their field values could not be matched to their layers.</summary>
    public long AmbiguousFrames { get; private set; }

    /// <summary>The tshark arguments of the field pass for <paramref name="capturePath"/>.</summary>
    public static List<string> Arguments(string capturePath)
    {
        var args = new List<string> { "-n", "-r", capturePath, "-T", "fields", "-E", "separator=/t", "-E", "occurrence=a", "-E", "aggregator=," };
        foreach (string f in Fields)
        {
            args.Add("-e");
            args.Add(f);
        }
        return args;
    }

    public IEnumerable<TsharkTransportPacket> Read(TextReader reader)
    {
        var found = new List<TsharkTransportPacket>(2);
        for (string? line = reader.ReadLine(); line is not null; line = reader.ReadLine())
        {
            if (line.Length == 0) continue;
            Frames++;
            found.Clear();
            if (!TryReadFrame(line, found))
            {
                AmbiguousFrames++;
                continue;
            }
            foreach (TsharkTransportPacket p in found) yield return p;
        }
    }

    private static bool TryReadFrame(string line, List<TsharkTransportPacket> found)
    {
        string[] columns = line.Split('\t');
        if (columns.Length != Fields.Length) return false;
        string[][] v = new string[columns.Length][];
        for (int i = 0; i < columns.Length; i++)
            v[i] = i == Malformed ? [columns[i]] : columns[i].Split(',', StringSplitOptions.RemoveEmptyEntries);

        string[] layers = columns[Protocols].Split(':');
        int ipLayers = layers.Count(l => l == "ip"), ip6Layers = layers.Count(l => l == "ipv6");
        int tcpLayers = layers.Count(l => l == "tcp"), udpLayers = layers.Count(l => l == "udp");
        if (v[IpSrc].Length != ipLayers || v[IpDst].Length != ipLayers || v[IpLen].Length != ipLayers
            || v[Ip6Src].Length != ip6Layers || v[Ip6Dst].Length != ip6Layers || v[Ip6Plen].Length != ip6Layers
            || v[TcpSrc].Length != tcpLayers || v[TcpDst].Length != tcpLayers || v[TcpHdrLen].Length != tcpLayers
            || v[UdpSrc].Length != udpLayers || v[UdpDst].Length != udpLayers)
            return false;

        bool fragmented = v[IpMf].Any(IsTrue) || v[IpFragOffset].Any(o => o != "0") || layers.Contains("ipv6.fraghdr");
        string malformed = columns[Malformed];
        bool tcpMalformed = ThrewIn(malformed, "TCP");
        bool udpMalformed = ThrewIn(malformed, "UDP");

        int ip = 0, ip6 = 0, tcp = 0, udp = 0, depth = 0;
        bool inError = false;
        IPAddress? src = null, dst = null;
        long ipBytes = 0;
        foreach (string layer in layers)
        {
            switch (layer)
            {
                case "ip":
                    if (!inError)
                    {
                        src = IPAddress.Parse(v[IpSrc][ip]);
                        dst = IPAddress.Parse(v[IpDst][ip]);
                        ipBytes = long.Parse(v[IpLen][ip], CultureInfo.InvariantCulture);
                        depth++;
                    }
                    ip++;
                    break;
                case "ipv6":
                    if (!inError)
                    {
                        src = IPAddress.Parse(v[Ip6Src][ip6]);
                        dst = IPAddress.Parse(v[Ip6Dst][ip6]);
                        ipBytes = long.Parse(v[Ip6Plen][ip6], CultureInfo.InvariantCulture) + Ipv6HeaderLength;
                        depth++;
                    }
                    ip6++;
                    break;
                case "icmp":
                case "icmpv6":
                    inError = true;
                    break;
                case "tcp":
                    bool tcpCounted = !inError && !tcpMalformed && src is not null
                                      && int.Parse(v[TcpHdrLen][tcp], CultureInfo.InvariantCulture) >= 20;
                    if (tcpCounted)
                        found.Add(Packet(6, src!, v[TcpSrc][tcp], dst!, v[TcpDst][tcp], ipBytes, depth > 1, fragmented));
                    tcp++;
                    break;
                case "udp":
                    if (!inError && !udpMalformed && src is not null)
                        found.Add(Packet(17, src, v[UdpSrc][udp], dst!, v[UdpDst][udp], ipBytes, depth > 1, fragmented));
                    udp++;
                    break;
            }
        }
        return true;
    }

    private static TsharkTransportPacket Packet(byte protocol, IPAddress src, string srcPort, IPAddress dst, string dstPort,
        long ipBytes, bool tunnelled, bool fragmented) =>
        new(protocol, src, ushort.Parse(srcPort, CultureInfo.InvariantCulture), dst, ushort.Parse(dstPort, CultureInfo.InvariantCulture),
            ipBytes, tunnelled, fragmented);

    /// <summary>"[Malformed Packet: TCP]" or "[Malformed Packet: TCP: length of contained item ...]".</summary>
    private static bool ThrewIn(string malformed, string protocol) =>
        malformed.Contains($"[Malformed Packet: {protocol}]", StringComparison.Ordinal)
        || malformed.Contains($"[Malformed Packet: {protocol}:", StringComparison.Ordinal);

    /// <summary>tshark 4.0 prints booleans as 1/0; later versions as True/False.</summary>
    private static bool IsTrue(string value) => value is "1" or "True" or "true";
}
