using TapSensor.Core.Decoding;
using TapSensor.Core.Flows;
using TapSensor.Core.Packets;
using TapSensor.Testing;
using TapSensor.Testing.Pcap;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace TapSensor.Core.Tests.Decoding;

/// <summary>
/// Every capture of the shared corpus (../shared/corpus, never copied into the repository) through the decoder,
/// frame by frame: nothing may throw and the status counters must add up to the frames fed. Files the test
/// reader cannot read are skipped and counted in the output.
/// </summary>
public sealed class PacketDecoderCorpusTests(ITestOutputHelper output)
{

    [CorpusFact]
    public void Every_edge_capture_decodes_frame_by_frame_without_an_exception()
    {
        CorpusRun run = DecodeFolder("edge");

        Assert.True(run.Files > 0, "no edge captures found");
        Assert.Equal(run.Frames, run.Counters.Sum());
    }

    [CorpusFact]
    public void Every_real_capture_decodes_frame_by_frame_without_an_exception()
    {
        CorpusRun run = DecodeFolder("real");

        Assert.True(run.Files > 0, "no real captures found");
        Assert.Equal(run.Frames, run.Counters.Sum());
        // Real traffic on link types we decode is overwhelmingly IP we can key; anomalies stay rare.
        long errors = run.Counters.Where((count, status) => DecodeStatusNames.IsError((DecodeStatus)status)
            && (DecodeStatus)status != DecodeStatus.UnknownLinkType).Sum();
        Assert.True(errors * 1000 < run.Frames, $"{errors} anomalies in {run.Frames} frames");
    }

    /// <summary>
    /// TCP and UDP conversations per capture as tshark 4.0.17 counts them (<c>tshark -n -r FILE -q -z conv,tcp</c>
    /// and <c>conv,udp</c>), chosen to cover each link type, tag, tunnel and fragment path on real traffic.
    /// </summary>
    public static TheoryData<string, int, int> TsharkConversations => new()
    {
        { "real/ndpi/android.pcap", 28, 31 },
        { "real/ndpi/reddit.pcap", 60, 0 },
        { "real/ndpi/syslog.pcap", 1, 20 },                 // PPPoE in VLANs
        { "real/ndpi/custom_categories.pcapng", 2, 0 },     // PPPoE, IPv6
        { "real/ndpi/gre.pcapng", 0, 1 },
        { "real/ndpi/4in4tunnel.pcap", 0, 1 },
        { "real/ndpi/4in6tunnel.pcap", 1, 0 },
        { "real/ndpi/6in4tunnel.pcap", 5, 2 },
        { "real/ndpi/6in6tunnel.pcap", 0, 1 },
        { "real/ndpi/dns_fragmented.pcap", 2, 19 },
        { "real/ndpi/dnscrypt-v1-and-resolver-pings.pcap", 0, 245 },
        { "real/ndpi/BGP_redist.pcap", 2, 0 },              // Cisco HDLC, MPLS
        { "real/ndpi/BGP_Cisco_hdlc_slarp.pcap", 1, 0 },    // Cisco HDLC under LINKTYPE_PPP
        { "real/ndpi/dlt_ppp.pcap", 0, 1 },
        { "real/ndpi/KakaoTalk_chat.pcap", 19, 18 },        // Linux SLL
        { "real/zeek/tls/openjdk-25.0.2-zeek.org.pcap", 1, 0 }, // Linux SLL2
        { "real/ndpi/quic-v2.pcapng", 0, 1 },               // SLL, nanosecond pcapng
        { "real/ndpi/nats.pcap", 2, 0 },                    // BSD null
        { "real/ndpi/openwire.pcapng", 1, 0 },              // BSD null, IPv6
        { "real/ndpi/tencent_games.pcap", 4, 0 },           // raw IP
        { "real/zeek/dns/ech.pcap", 0, 2 },                 // raw IPv6
        { "real/ndpi/ossfuzz_seed_fake_traces_1.pcapng", 6, 4 }, // LINKTYPE_IPV4
        { "real/zeek/pbb.pcap", 1, 0 },                     // 802.1ah
        { "real/ndpi/teredo.pcap", 0, 5 },                  // UDP tunnel left as UDP
    };

    [CorpusTheory]
    [MemberData(nameof(TsharkConversations))]
    public void Conversation_counts_match_tshark(string file, int tcp, int udp)
    {
        string path = Corpus.Open().Get(file).FullPath;
        Assert.True(File.Exists(path), $"{file} is not in the corpus");

        var decoder = new PacketDecoder(DecoderHarness.Seed);
        var summary = new PacketSummary();
        var conversations = new HashSet<(byte, ulong, ulong, ulong, ulong, ushort, ushort)>();
        PcapReader reader = PcapReader.Open(path);
        while (reader.TryRead(out PcapRecord record))
        {
            if (decoder.Decode(record.LinkType, record.Data.Span, record.WireLength, record.TimestampNs, ref summary, out _, out _) != DecodeStatus.Ok)
                continue;
            FlowKey k = summary.Key;
            // tshark counts conversations per address and port pair, whatever the VLAN.
            conversations.Add((k.Protocol, k.AHi, k.ALo, k.BHi, k.BLo, k.PortA, k.PortB));
        }

        Assert.Null(reader.Error);
        Assert.Equal(tcp, conversations.Count(c => c.Item1 == 6));
        Assert.Equal(udp, conversations.Count(c => c.Item1 == 17));
    }

    private CorpusRun DecodeFolder(string folder)
    {
        var run = new CorpusRun();
        var unreadable = new List<string>();
        var decoder = new PacketDecoder(DecoderHarness.Seed);
        var summary = new PacketSummary();
        var corpus = Corpus.Open();
        foreach (string path in corpus.Select(folder).Select(e => e.FullPath))
        {
            PcapReader reader = PcapReader.Open(path);
            while (reader.TryRead(out PcapRecord record))
            {
                ReadOnlySpan<byte> frame = record.Data.Span;
                try
                {
                    decoder.Decode(record.LinkType, frame, record.WireLength, record.TimestampNs, ref summary, out int start, out int captured);
                    if (start < 0 || captured < 0 || start + captured > frame.Length)
                        throw new XunitException($"payload window {start}+{captured} outside a {frame.Length}-byte frame");
                }
                catch (Exception e)
                {
                    throw new XunitException($"{path} frame {reader.RecordsRead}: {e}");
                }
                run.Frames++;
            }
            run.Files++;
            if (reader.Error is not null)
            {
                if (reader.RecordsRead == 0) unreadable.Add($"{Path.GetRelativePath(corpus.Root, path)}: {reader.Error}");
                else run.CutShort++;
            }
        }
        for (int i = 0; i < DecodeStatusNames.Count; i++) run.Counters[i] = decoder.Counters.Read((DecodeStatus)i);

        output.WriteLine($"{folder}: {run.Files} files, {run.Frames} frames, {unreadable.Count} unreadable, {run.CutShort} cut short");
        foreach (string file in unreadable) output.WriteLine($"  skipped {file}");
        for (int i = 0; i < DecodeStatusNames.Count; i++)
            if (run.Counters[i] > 0) output.WriteLine($"  {DecodeStatusNames.Name((DecodeStatus)i)} {run.Counters[i]}");
        for (int i = 0; i < DecodeNoteNames.Count; i++)
        {
            long n = decoder.Counters.Read((DecodeNote)i);
            if (n > 0) output.WriteLine($"  {DecodeNoteNames.Name((DecodeNote)i)} {n}");
        }
        return run;
    }

    private sealed class CorpusRun
    {
        public int Files;
        public int CutShort;
        public long Frames;
        public readonly long[] Counters = new long[DecodeStatusNames.Count];
    }
}
