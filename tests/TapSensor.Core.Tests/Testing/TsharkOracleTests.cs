using System.Net;
using TapSensor.Core.Flows;
using TapSensor.Testing;
using TapSensor.Testing.Tshark;

namespace TapSensor.Core.Tests.Testing;

/// <summary>
/// Checks the corpus helper and the tshark oracle, so the oracle can be trusted when the pipeline is
/// compared against it. Parser tests run everywhere; the rest need ../shared/corpus and tshark and are
/// skipped with the reason when either is missing. Expected numbers were read off tshark 4.0.17 by hand
/// with the commands quoted beside them.
/// </summary>
public sealed class TsharkOracleTests : IClassFixture<TsharkOracleTests.Captures>
{
    private const string Android = "real/ndpi/android.pcap";
    private const string SixInFour = "real/ndpi/6in4tunnel.pcap";
    private const string DnsFragmented = "real/ndpi/dns_fragmented.pcap";
    private const string Ajp = "real/ndpi/ajp.pcap";

    private readonly Captures _captures;

    public TsharkOracleTests(Captures captures) => _captures = captures;

    /// <summary>Each capture is read by tshark once per test run, and only if a test asks for it.</summary>
    public sealed class Captures
    {
        private readonly Lazy<Corpus> _corpus = new(Corpus.Open);
        private readonly Dictionary<string, Lazy<TsharkCapture>> _reads = new(StringComparer.Ordinal);

        public Corpus Corpus => _corpus.Value;

        public TsharkCapture Read(string path)
        {
            Lazy<TsharkCapture>? read;
            lock (_reads)
            {
                if (!_reads.TryGetValue(path, out read))
                    _reads.Add(path, read = new Lazy<TsharkCapture>(() => new TsharkOracle().Read(Corpus.Get(path).FullPath)));
            }
            return read.Value;
        }
    }

    private static FlowKey Key(byte protocol, string src, ushort srcPort, string dst, ushort dstPort) =>
        TsharkConversation.KeyOf(protocol, IPAddress.Parse(src), srcPort, IPAddress.Parse(dst), dstPort, out _);

    // ---- conversation table parsing (no tshark needed) ----

    private const string ConvOutput = """
        ================================================================================
        UDP Conversations
        Filter:<No Filter>
                                                                   |       <-      | |       ->      | |     Total     |    Relative    |   Duration   |
                                                                   | Frames  Bytes | | Frames  Bytes | | Frames  Bytes |      Start     |              |
        0.0.0.0:68                 <-> 255.255.255.255:67               0 0 bytes        12 4088 bytes      12 4088 bytes    14.541478000        82.2224
        fe80::4e6a:f6ff:fe9f:f627:546 <-> ff02::1:2:547                    0 0 bytes         2 228 bytes       2 228 bytes    96.676445000         2.1580
        fe80:::5353 <-> ff02::fb:5353                    3 11 kB         4 1 MB       7 12 kB    96.676445000         2.1580
        ================================================================================
        """;

    [Fact]
    public void Conv_rows_split_ipv6_endpoints_at_the_last_colon_and_read_the_arrow_columns()
    {
        List<TsharkConvRow> rows = TsharkConvTable.Parse(new StringReader(ConvOutput));

        Assert.Equal(3, rows.Count);
        Assert.All(rows, r => Assert.Equal(17, r.Protocol));
        Assert.Equal(new TsharkConvRow(17, IPAddress.Parse("0.0.0.0"), 68, IPAddress.Broadcast, 67, 12, 0), rows[0]);
        Assert.Equal(IPAddress.Parse("fe80::4e6a:f6ff:fe9f:f627"), rows[1].X);
        Assert.Equal(546, rows[1].PortX);
        Assert.Equal(IPAddress.Parse("ff02::1:2"), rows[1].Y);
        Assert.Equal(547, rows[1].PortY);
        Assert.Equal(IPAddress.Parse("fe80::"), rows[2].X);
        Assert.Equal((4L, 3L), (rows[2].FramesXToY, rows[2].FramesYToX));
    }

    [Fact]
    public void Conv_row_whose_frame_columns_do_not_add_up_is_rejected()
    {
        const string line = "10.0.0.1:1 <-> 10.0.0.2:2   1 60 bytes   1 60 bytes   3 120 bytes   0.000000000   0.0001";
        Assert.Throws<FormatException>(() => TsharkConvTable.ParseRow(6, line));
    }

    [Fact]
    public void Conv_row_with_resolved_names_is_rejected_with_a_hint_about_minus_n()
    {
        const string line = "router.lan:domain <-> 10.0.0.2:2   1 60 bytes   1 60 bytes   2 120 bytes   0.000000000   0.0001";
        FormatException e = Assert.Throws<FormatException>(() => TsharkConvTable.ParseRow(17, line));
        Assert.Contains("-n", e.Message, StringComparison.Ordinal);
    }

    // ---- field pass (no tshark needed) ----

    /// <summary>Builds one -T fields line in <see cref="TsharkFieldFrames.Fields"/> order.</summary>
    private static string FieldLine(string protocols, string ipSrc = "", string ipDst = "", string ipLen = "", string mf = "",
        string fragOffset = "", string ip6Src = "", string ip6Dst = "", string ip6Plen = "", string tcpSrc = "", string tcpDst = "",
        string tcpHdrLen = "", string udpSrc = "", string udpDst = "", string malformed = "") =>
        string.Join('\t', protocols, ipSrc, ipDst, ipLen, mf, fragOffset, ip6Src, ip6Dst, ip6Plen, tcpSrc, tcpDst, tcpHdrLen, udpSrc, udpDst, malformed);

    private static List<TsharkTransportPacket> ReadFields(params string[] lines)
    {
        var frames = new TsharkFieldFrames();
        return frames.Read(new StringReader(string.Join('\n', lines))).ToList();
    }

    [Fact]
    public void Transport_is_paired_with_the_innermost_ip_header_of_a_tunnel()
    {
        string gre = FieldLine("eth:ethertype:ip:gre:ip:tcp",
            ipSrc: "192.0.2.1,10.0.0.1", ipDst: "192.0.2.2,10.0.0.2", ipLen: "84,60", mf: "0,0", fragOffset: "0,0",
            tcpSrc: "40000", tcpDst: "80", tcpHdrLen: "40");
        string sixInFour = FieldLine("eth:ethertype:ip:ipv6:udp:dns",
            ipSrc: "192.0.2.1", ipDst: "192.0.2.2", ipLen: "100", mf: "0", fragOffset: "0",
            ip6Src: "2001:db8::1", ip6Dst: "2001:db8::2", ip6Plen: "40", udpSrc: "5353", udpDst: "53");

        List<TsharkTransportPacket> packets = ReadFields(gre, sixInFour);

        Assert.Equal(2, packets.Count);
        Assert.Equal(new TsharkTransportPacket(6, IPAddress.Parse("10.0.0.1"), 40000, IPAddress.Parse("10.0.0.2"), 80, 60, Tunnelled: true, Fragmented: false), packets[0]);
        Assert.Equal(new TsharkTransportPacket(17, IPAddress.Parse("2001:db8::1"), 5353, IPAddress.Parse("2001:db8::2"), 53, 80, Tunnelled: true, Fragmented: false), packets[1]);
    }

    [Fact]
    public void Transports_quoted_in_icmp_errors_and_tcp_headers_tshark_rejected_are_left_out()
    {
        string icmpError = FieldLine("eth:ethertype:ip:icmp:ip:udp:dns",
            ipSrc: "10.0.0.1,10.0.0.2", ipDst: "10.0.0.2,10.0.0.1", ipLen: "84,56", mf: "0,0", fragOffset: "0,0",
            udpSrc: "53", udpDst: "5000");
        string threw = FieldLine("eth:ethertype:ip:tcp", ipSrc: "10.0.0.1", ipDst: "10.0.0.2", ipLen: "60", mf: "0", fragOffset: "0",
            tcpSrc: "1", tcpDst: "2", tcpHdrLen: "40",
            malformed: "_ws.malformed,[Malformed Packet: TCP: length of contained item exceeds length of containing item],_ws.malformed");
        string bogusHeader = FieldLine("eth:ethertype:ip:tcp", ipSrc: "10.0.0.1", ipDst: "10.0.0.2", ipLen: "28", mf: "0", fragOffset: "0",
            tcpSrc: "1", tcpDst: "2", tcpHdrLen: "16");
        string payloadThrew = FieldLine("eth:ethertype:ip:tcp:ajp13", ipSrc: "10.0.0.1", ipDst: "10.0.0.2", ipLen: "277", mf: "0", fragOffset: "0",
            tcpSrc: "1", tcpDst: "2", tcpHdrLen: "32", malformed: "[Malformed Packet: AJP13],_ws.malformed");

        TsharkTransportPacket only = Assert.Single(ReadFields(icmpError, threw, bogusHeader, payloadThrew));

        Assert.Equal(277, only.IpBytes);
    }

    [Fact]
    public void Ipv4_and_ipv6_fragments_are_marked()
    {
        string lastV4Fragment = FieldLine("eth:ethertype:ip:udp:dns", ipSrc: "10.0.0.1", ipDst: "10.0.0.2", ipLen: "250", mf: "0", fragOffset: "185",
            udpSrc: "53", udpDst: "5000");
        string v6Fragment = FieldLine("eth:ethertype:ipv6:ipv6.fraghdr:udp:dns", ip6Src: "2001:db8::1", ip6Dst: "2001:db8::2", ip6Plen: "100",
            udpSrc: "53", udpDst: "5000");
        string whole = FieldLine("eth:ethertype:ip:udp:dns", ipSrc: "10.0.0.1", ipDst: "10.0.0.2", ipLen: "68", mf: "0", fragOffset: "0",
            udpSrc: "5000", udpDst: "53");

        List<TsharkTransportPacket> packets = ReadFields(lastV4Fragment, v6Fragment, whole);

        Assert.Equal([true, true, false], packets.Select(p => p.Fragmented).ToArray());
        Assert.Equal(140, packets[1].IpBytes);
    }

    [Fact]
    public void Frame_whose_field_values_do_not_match_its_layers_is_counted_as_ambiguous()
    {
        var frames = new TsharkFieldFrames();
        string truncated = FieldLine("eth:ethertype:ip:tcp", ipSrc: "10.0.0.1", ipDst: "", ipLen: "60", tcpSrc: "1", tcpDst: "2", tcpHdrLen: "20");

        Assert.Empty(frames.Read(new StringReader(truncated)));
        Assert.Equal(1, frames.Frames);
        Assert.Equal(1, frames.AmbiguousFrames);
    }

    // ---- corpus helper ----

    [Fact]
    public void Manifest_is_read_by_column_name_and_selected_by_folder_and_feature()
    {
        const string manifest =
            "path\tbytes\tsha256\tformat\tlinktype\tpackets\tsource_repo\tsource_path\tsource_commit\tlicense\tfeatures\n" +
            "real/ndpi/a.pcap\t10\tx\tpcap\tether(1)\t5\tr\tp\tc\tl\teth,ipv4,tls-sni\n" +
            "real/zeek/b.pcapng\t20\tx\tpcapng\tether(1),linux_sll(113)\t\tr\tp\tc\tl\tpcapng,quic\n" +
            "edge/zeek/c.pcap\t30\tx\tpcap\traw(101)\t7\tr\tp\tc\tl\t\n";

        List<CorpusEntry> entries = CorpusEntry.ParseManifest(new StringReader(manifest), "/corpus");

        Assert.Equal(3, entries.Count);
        Assert.Equal(["ether(1)", "linux_sll(113)"], entries[1].LinkTypes);
        Assert.Null(entries[1].Packets);
        Assert.Equal(5, entries[0].Packets);
        Assert.Equal(Path.Combine("/corpus", "real", "ndpi", "a.pcap"), entries[0].FullPath);
        Assert.Equal(["real/ndpi/a.pcap"], entries.Where(e => e.IsUnder("real") && e.Has("tls-sni")).Select(e => e.Path));
        Assert.False(entries[0].IsUnder("real/nd"));
        Assert.Empty(entries[2].Features);
    }

    [Fact]
    public void Corpus_root_is_null_when_the_folder_has_no_manifest()
    {
        string empty = Path.Combine(Path.GetTempPath(), "tapsensor-no-corpus-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(empty);
        try
        {
            Assert.Null(Corpus.FindRoot(empty, AppContext.BaseDirectory));
        }
        finally
        {
            Directory.Delete(empty);
        }
    }

    [Fact]
    public void Repository_root_is_found_above_the_test_binaries()
    {
        string? root = Corpus.FindRepositoryRoot(AppContext.BaseDirectory);

        Assert.NotNull(root);
        Assert.True(File.Exists(Path.Combine(root, "TapSensor.sln")));
    }

    [CorpusFact]
    public void Manifest_lists_the_android_capture_and_every_listed_file_exists()
    {
        Corpus corpus = _captures.Corpus;
        CorpusEntry android = corpus.Get(Android);

        Assert.Equal("pcap", android.Format);
        Assert.Equal(["ether(1)"], android.LinkTypes);
        Assert.Equal(500, android.Packets);
        Assert.True(android.Has("tls-sni"));
        Assert.NotEmpty(corpus.Select("real/ndpi", "quic-sni"));
        Assert.All(corpus.Select("real/ndpi", "quic-sni"), e => Assert.True(e.IsUnder("real/ndpi") && e.Has("quic-sni")));
        Assert.All(corpus.Entries, e => Assert.True(File.Exists(e.FullPath), e.Path));
    }

    // ---- the oracle on real captures ----

    [CorpusFact(RequiresTshark = true)]
    public void Android_capture_has_the_28_tcp_and_31_udp_conversations_of_the_recipes()
    {
        TsharkCapture c = _captures.Read(Android);

        Assert.Equal(0, c.ExitCode);
        Assert.Equal(28, c.TcpRows);
        Assert.Equal(31, c.UdpRows);
        Assert.Equal(28, c.Tcp.Count());
        Assert.Equal(31, c.Udp.Count());
        Assert.Equal(500, c.Frames);
        Assert.Equal(0, c.AmbiguousFrames);
        Assert.Equal(0, c.UnattributedPackets);
        Assert.All(c.Conversations.Values, conv => Assert.True(conv.IsPlain, conv.ToString()));
        // tshark -n -r android.pcap -Y tcp -T fields -e ip.len -e ipv6.plen, summed (ipv6.plen + 40): 398 frames, 114316 bytes;
        // the same with -Y udp: 70 frames, 10508 bytes.
        Assert.Equal((398L, 114_316L), (c.Tcp.Sum(t => t.Packets), c.Tcp.Sum(t => t.IpBytes)));
        Assert.Equal((70L, 10_508L), (c.Udp.Sum(u => u.Packets), c.Udp.Sum(u => u.IpBytes)));
    }

    [CorpusFact(RequiresTshark = true)]
    public void Tcp_conversation_counts_packets_and_ip_bytes_per_direction()
    {
        TsharkCapture c = _captures.Read(Android);
        // conv,tcp: 192.168.2.16:32996 <-> 216.239.38.120:443  15 (<-)  17 (->); ip.len sums 1711 and 11616.
        TsharkConversation? conv = c.Find(Key(6, "216.239.38.120", 443, "192.168.2.16", 32996));

        Assert.NotNull(conv);
        Assert.Equal(1, conv.Rows);
        Assert.Equal((17L, 1_711L), (conv.PacketsAToB, conv.IpBytesAToB));
        Assert.Equal((15L, 11_616L), (conv.PacketsBToA, conv.IpBytesBToA));
    }

    [CorpusFact(RequiresTshark = true)]
    public void Vlan_of_a_flow_key_is_ignored_when_finding_its_conversation()
    {
        TsharkCapture c = _captures.Read(Android);
        FlowKey untagged = Key(6, "192.168.2.16", 32996, "216.239.38.120", 443);
        FlowKey tagged = FlowKey.Create(untagged.AHi, untagged.ALo, untagged.PortA, untagged.BHi, untagged.BLo, untagged.PortB, 6, 4, 100, out _);

        Assert.Same(c.Find(in untagged), c.Find(in tagged));
    }

    [CorpusFact(RequiresTshark = true)]
    public void One_way_ipv4_and_ipv6_dhcp_conversations_are_keyed_with_the_lesser_endpoint_first()
    {
        TsharkCapture c = _captures.Read(Android);
        TsharkConversation? discover = c.Find(Key(17, "0.0.0.0", 68, "255.255.255.255", 67));
        TsharkConversation? solicit = c.Find(Key(17, "fe80::4e6a:f6ff:fe9f:f627", 546, "ff02::1:2", 547));

        // ip.src==0.0.0.0 && udp.dstport==67: 12 frames, ip.len sum 3920.
        Assert.NotNull(discover);
        Assert.Equal((12L, 0L, 3_920L, 0L), (discover.PacketsAToB, discover.PacketsBToA, discover.IpBytesAToB, discover.IpBytesBToA));
        // ipv6.src==fe80::4e6a:f6ff:fe9f:f627 && udp.dstport==547: 2 frames, ipv6.plen + 40 sum 200.
        Assert.NotNull(solicit);
        Assert.Equal(6, solicit.Key.Family);
        Assert.Equal((2L, 200L), (solicit.PacketsAToB, solicit.IpBytesAToB));
    }

    [CorpusFact(RequiresTshark = true)]
    public void Tunnelled_conversations_count_inner_ip_lengths_and_are_marked()
    {
        TsharkCapture c = _captures.Read(SixInFour);
        // IPv6 in IPv4 (protocol 41). conv,tcp: 15 (<-) and 18 (->); inner ipv6.plen + 40 sums 6282 and 6522.
        // Two ICMPv6 errors quoting this connection's TCP header are not counted by conv and not by the oracle.
        TsharkConversation? conv = c.Find(Key(6, "2001:470:1f17:13f:3e97:eff:fe73:4dec", 53234, "2a03:2880:1010:6f03:face:b00c:0:2", 443));

        Assert.NotNull(conv);
        Assert.True(conv.BytesExact, conv.ToString());
        Assert.Equal((18L, 6_282L), (conv.PacketsAToB, conv.IpBytesAToB));
        Assert.Equal((15L, 6_522L), (conv.PacketsBToA, conv.IpBytesBToA));
        Assert.Equal(33, conv.TunnelledPackets);
        Assert.False(conv.IsPlain);
    }

    [CorpusFact(RequiresTshark = true)]
    public void Fragmented_datagram_counts_once_with_the_length_of_its_last_fragment_and_is_marked()
    {
        TsharkCapture c = _captures.Read(DnsFragmented);
        // Frame 1 is the query (ip.len 68); the 1730-byte answer came as frames 2 (ip.len 1500, MF) and 3
        // (offset 185, ip.len 250). tshark shows UDP only in frame 3, after reassembly.
        TsharkConversation? conv = c.Find(Key(17, "172.217.40.76", 56680, "193.24.227.238", 53));

        Assert.NotNull(conv);
        Assert.True(conv.BytesExact, conv.ToString());
        Assert.Equal((1L, 68L), (conv.PacketsAToB, conv.IpBytesAToB));
        Assert.Equal((1L, 250L), (conv.PacketsBToA, conv.IpBytesBToA));
        Assert.Equal(1, conv.FragmentedPackets);
        Assert.False(conv.IsPlain);
    }

    [CorpusFact(RequiresTshark = true)]
    public void Frames_whose_tcp_header_tshark_rejects_are_left_out_of_counts_and_bytes_alike()
    {
        TsharkCapture c = _captures.Read(Ajp);
        // conv,tcp: 172.29.9.146:38856 <-> 172.29.9.147:8009  8 (<-)  9 (->). Eight more frames of the
        // 5-tuple are "[Malformed Packet: TCP...]" and not counted; one malformed only in AJP13 is.
        // ip.len sums over the counted frames: 3184 and 675.
        TsharkConversation? conv = c.Find(Key(6, "172.29.9.146", 38856, "172.29.9.147", 8009));

        Assert.NotNull(conv);
        Assert.True(conv.BytesExact, conv.ToString());
        Assert.Equal((9L, 3_184L), (conv.PacketsAToB, conv.IpBytesAToB));
        Assert.Equal((8L, 675L), (conv.PacketsBToA, conv.IpBytesBToA));
    }

    [Fact]
    public void Reading_a_missing_capture_fails_before_running_tshark()
    {
        var oracle = new TsharkOracle(tsharkPath: "/nonexistent/tshark");
        Assert.Throws<FileNotFoundException>(() => oracle.Read("/nonexistent/capture.pcap"));
    }
}
