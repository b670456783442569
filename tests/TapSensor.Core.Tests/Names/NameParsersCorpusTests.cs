using TapSensor.Testing;

namespace TapSensor.Core.Tests.Names;

/// <summary>
/// Real captures of the shared corpus: the set of names our parsers find per file (<see cref="CaptureNames"/>)
/// against tshark's (<see cref="TsharkNames"/>), separately for TLS over TCP, QUIC and HTTP. Every file whose
/// manifest lists tls-sni, quic-sni or http-host is compared; where we disagree for a reason we accept, the file
/// is listed in <see cref="Exclusions"/> with that reason, and the test checks that it still disagrees, so the list
/// cannot go stale.
/// </summary>
public sealed class NameParsersCorpusTests(ITestOutputHelper output)
{
    private static readonly string[] NameFeatures = ["tls-sni", "quic-sni", "http-host"];

    /// <summary>
    /// Real captures with an SNI, and every third of those with only an HTTP Host (the rest add tshark time, not
    /// coverage: set TAPSENSOR_NAMES_ALL_EDGE=1 to compare all of them too).
    /// </summary>
    public static TheoryData<string> RealCaptures => Captures("real", everyHostOnly: All ? 1 : 3);

    private static bool All => Environment.GetEnvironmentVariable("TAPSENSOR_NAMES_ALL_EDGE") == "1";

    /// <summary>
    /// Edge captures with an SNI. The ~730 edge captures with only an HTTP Host (mostly tcpdump and suricata-verify
    /// HTTP tests) take a quarter of an hour of tshark runs; set TAPSENSOR_NAMES_ALL_EDGE=1 to compare them too.
    /// </summary>
    public static TheoryData<string> EdgeCaptures =>
        Captures("edge", All ? NameFeatures : ["tls-sni", "quic-sni"]);

    private static TheoryData<string> Captures(string folder, string[]? features = null, int everyHostOnly = 1)
    {
        features ??= NameFeatures;
        var data = new TheoryData<string>();
        int hostOnly = 0;
        foreach (CorpusEntry e in Corpus.Open().Select(folder).Where(e => features.Any(e.Has)).OrderBy(e => e.Path, StringComparer.Ordinal))
        {
            bool sni = e.Has("tls-sni") || e.Has("quic-sni");
            if (!sni && hostOnly++ % everyHostOnly != 0) continue;
            data.Add(e.Path);
        }
        return data;
    }

    /// <summary>Files where tshark and we disagree, and why that is acceptable.</summary>
    private static readonly Dictionary<string, string> Exclusions = new(StringComparer.Ordinal)
    {
        // TLS or HTTP that starts after other bytes on the connection: the parsers read a stream from its start.
        ["real/ndpi/smtp-starttls.pcap"] = StartTls,
        ["real/ndpi/pop3_stls.pcap"] = StartTls,
        ["real/zeek/ldap/ldap-starttls.pcap"] = StartTls,
        ["real/zeek/ftp/ftp-auth-tls.pcap"] = StartTls,
        ["real/zeek/postgresql/psql-aws-ssl-require.pcap"] = "TLS after PostgreSQL's SSLRequest message",
        ["real/zeek/postgresql/psql-aws-ssl-require-15432.pcap"] = "TLS after PostgreSQL's SSLRequest message",
        ["real/zeek/postgresql/psql-aws-ssl-preferred.pcap"] = "TLS after PostgreSQL's SSLRequest message",
        ["real/zeek/http/connect-with-header.pcap"] = Connect,
        ["real/zeek/socks.pcap"] = Socks,
        ["real/zeek/socks-with-ssl.pcap"] = Socks,
        ["real/ndpi/socks.pcap"] = Socks,
        ["real/ndpi/shadowsocks.pcap"] = Socks,
        ["real/ndpi/haproxy.pcap"] = "TLS after a PROXY protocol header (\"PROXY TCP4 ...\")",

        // QUIC versions that are not v1, v2 or IETF drafts 23-32.
        ["real/ndpi/quic-mvfst-22.pcap"] = Mvfst,
        ["real/ndpi/quic-mvfst-27.pcapng"] = Mvfst,
        ["real/ndpi/quic-mvfst-exp.pcap"] = Mvfst,
        ["real/ndpi/quic_t50.pcap"] = "Google QUIC T050 (0x54303530): its own salt and key schedule",
        ["real/ndpi/quic_t51.pcap"] = "Google QUIC T051 (0x54303531): its own salt and key schedule",
        ["real/ndpi/quic_interop_V.pcapng"] = "Initials in the reserved version 0x0a0a0a0a (interop version-negotiation test, RFC 9000 §15): " +
                                             "no server can open them, tshark tries v1 keys anyway",

        // Captures tshark reads differently, for reasons outside the parsers.
        ["real/ndpi/ookla.pcap"] = "TLS on TCP port 8080, which tshark does not dissect as TLS: the extra SNI is ours",
        ["real/ndpi/webdav.pcap"] = "WebDAV methods (PROPFIND, MKCOL, MOVE, RFC 4918) are not among the nine methods recognised",
        ["real/zeek/http/no-uri.pcap"] = "a request line without a target (\"GET HTTP/1.1\"), which tshark accepts and RFC 9112 §3 does not",
        ["real/zeek/snap-tcp.pcap"] = "IP in 802.2 LLC/SNAP frames, which the decoder does not key",
        ["real/ndpi/fuzz-2006-09-29-28586.pcap"] = "fuzzed capture: a Host value with control bytes, which tshark prints cut short and we return whole " +
                                                   "(HostNames.IsPlausible rejects it)",
        ["real/zeek/doc/advanced/devel/plugins/connkey-vxlan-fivetuple-plugin-src/Traces/vxlan-overlapping-http-get.pcap"] =
            "the same HTTP connection plain and inside VXLAN: tshark dissects the request only in the VXLAN copy, which " +
            "the comparison leaves out as a UDP tunnel, and takes the plain copy for a retransmission",

        // Edge captures.
        ["edge/zeek/tunnels/socks.pcap"] = Socks,
        ["edge/suricata-verify/bug-2430/backwards.pcap"] = Connect,
        ["edge/suricata-verify/bug-2769/issue_no_icmp.pcap"] = Connect,
        ["edge/suricata-verify/filestore-dont/input.pcap"] = SecondRequest,
        ["edge/suricata-verify/detect-pcre/detect-pcre-03/input.pcap"] = SecondRequest,
        ["edge/suricata-verify/output-eve-ftp-data/input.pcap"] = "a UPnP NOTIFY request (GENA), not among the nine methods recognised",
        ["edge/suricata-verify/http-missing-protocol/input.pcap"] =
            "a request line without an HTTP version (the HTTP/0.9 form, which has no header fields); tshark reads the lines after it as headers",
        ["edge/tcpdump/arcnet-rfc1051-arp-icmp-http.pcap"] = Arcnet,
        ["edge/tcpdump/arcnet-rfc1201-arp-icmp-http.pcap"] = Arcnet,
        ["edge/libpcap/filter/arcnet-rfc1051-arp-icmp-http.pcap"] = Arcnet,
        ["edge/zeek/nflog-http.pcap"] = "link type NFLOG (239), which the decoder does not read",
        ["edge/zeek/vlan-qinqinq.pcap"] = "three 802.1Q tags; the decoder stops at two (VlanTooManyTags)",
        ["edge/zeek/tunnels/gre-aruba.pcap"] = "Aruba GRE carrying 802.11 frames, which the decoder does not decode",
        ["edge/libpcap/filter/AH-IPcomp-IPv4.pcap"] = IpComp,
        ["edge/libpcap/filter/AH-IPcomp-IPv6.pcap"] = IpComp,
    };

    private const string Connect = "TLS inside an HTTP CONNECT tunnel, after the proxy's answer (the CONNECT authority itself is found)";
    private const string SecondRequest = "the second request on a kept-alive connection names another host; only a flow's first request is read";
    private const string Arcnet = "link type ARCNET, which the decoder does not read";
    private const string IpComp = "TCP inside IPComp (RFC 3173) after AH: the decoder keys the IPComp packet, not what it carries";

    private const string StartTls = "TLS after a STARTTLS-style upgrade inside the application protocol";
    private const string Socks = "TLS or HTTP inside a SOCKS tunnel, after the SOCKS handshake";
    private const string Mvfst = "Facebook mvfst version (0xfaceb0xx), not an IETF version";

    [CorpusTheory(RequiresTshark = true)]
    [MemberData(nameof(RealCaptures))]
    public void Names_match_tshark_on_real_captures(string file) => Compare(file);

    [CorpusTheory(RequiresTshark = true)]
    [MemberData(nameof(EdgeCaptures))]
    public void Names_match_tshark_on_edge_captures(string file) => Compare(file);

    private void Compare(string file)
    {
        string path = Corpus.Open().Get(file).FullPath;
        CaptureNames ours = CaptureNames.Read(path);
        TsharkNames tshark = TsharkNames.Read(path);

        var differences = new List<string>();
        Diff("tls", ours.Tls, tshark.Tls, differences);
        Diff("quic", ours.Quic, tshark.Quic, differences);
        // tshark shows the Host field as sent; ours is without the port.
        Diff("http", ours.Http, new SortedSet<string>(tshark.Http.Select(WithoutPort), StringComparer.Ordinal), differences);
        output.WriteLine($"ours: tls {ours.Tls.Count}, quic {ours.Quic.Count}, http {ours.Http.Count}; " +
                         string.Join(", ", ours.Outcomes.OrderBy(o => o.Key).Select(o => $"{o.Key} {o.Value}")));
        foreach (string d in differences) output.WriteLine(d);

        if (Exclusions.TryGetValue(file, out string? reason))
        {
            output.WriteLine($"excluded: {reason}");
            Assert.True(differences.Count > 0, $"{file} now agrees with tshark: remove its exclusion");
            return;
        }
        Assert.True(differences.Count == 0, $"{file}: " + string.Join("; ", differences));
    }

    private static void Diff(string kind, SortedSet<string> ours, SortedSet<string> tshark, List<string> differences)
    {
        var onlyOurs = ours.Except(tshark).ToList();
        var onlyTshark = tshark.Except(ours).ToList();
        if (onlyOurs.Count > 0) differences.Add($"{kind} only ours: {string.Join(" ", onlyOurs)}");
        if (onlyTshark.Count > 0) differences.Add($"{kind} only tshark: {string.Join(" ", onlyTshark)}");
    }

    /// <summary>host [":" port], IP literals without brackets: the same rule as the parser's.</summary>
    private static string WithoutPort(string host)
    {
        if (host.StartsWith('['))
        {
            int close = host.IndexOf(']', StringComparison.Ordinal);
            return close > 1 ? host[1..close] : host;
        }
        int colon = host.IndexOf(':', StringComparison.Ordinal);
        return colon >= 0 && host.IndexOf(':', colon + 1) < 0 ? host[..colon] : host;
    }
}
