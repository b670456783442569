using TapSensor.Capture.Tests.Infrastructure;
using TapSensor.Core.Flows;
using TapSensor.Testing;
using TapSensor.Testing.Tshark;

namespace TapSensor.Capture.Tests;

/// <summary>
/// Flow records summed per 5-tuple against tshark's conversation tables on real captures: packet counts
/// equal `tshark -z conv,tcp` / `conv,udp`, and IP bytes equal the sum of ip.len (IPv6: payload length + 40).
/// Differences that are understood are excluded by rule, each explained in the README: UDP tunnels that
/// tshark also decapsulates, IP fragments (tshark shows the transport only on the reassembling frame), and
/// 802.11 / FDDI / other link types we do not decode.
/// </summary>
public sealed class TsharkAgreementTests
{
    private static readonly string[] ExcludedFeatures =
        ["gtp", "vxlan", "capwap", "teredo", "wifi", "radiotap", "frag", "tshark-read-error", "truncated-file", "gquic", "ayiya", "geneve", "gre"];

    private readonly ITestOutputHelper _output;

    public TsharkAgreementTests(ITestOutputHelper output) => _output = output;

    /// <summary>A deterministic spread of real captures: every link type we decode, TCP and UDP, v4 and v6.</summary>
    private static List<CorpusEntry> Selection()
    {
        var candidates = Corpus.Open().Select("real")
            .Where(e => e.Packets is > 0 and <= 4000 && e.Bytes < 2_000_000)
            .Where(DecodedLinkTypes.AllDecoded)
            .Where(e => (e.Has("tcp") || e.Has("udp")) && !ExcludedFeatures.Any(e.Has))
            .OrderBy(e => e.Path, StringComparer.Ordinal)
            .ToList();
        // Every 12th file, plus the first file of each link type so none is left out.
        var chosen = candidates.Where((_, i) => i % 12 == 0).ToList();
        foreach (var group in candidates.GroupBy(e => e.LinkTypes[0]))
            if (!chosen.Any(c => c.LinkTypes[0] == group.Key)) chosen.Add(group.First());
        return chosen;
    }

    [CorpusFact(RequiresTshark = true)]
    public void Flow_records_match_tshark_conversations_in_packets_and_ip_bytes_on_real_captures()
    {
        var oracle = new TsharkOracle();
        var files = Selection();
        int conversations = 0, bytesCompared = 0;
        var failures = new List<string>();
        foreach (var entry in files)
        {
            var truth = oracle.Read(entry.FullPath);
            var run = PipelineRun.Read(entry.FullPath, workers: 2);

            // Sum our records (a flow may be split by timeouts or port reuse) per tshark's key: VLAN ignored.
            var ours = new Dictionary<FlowKey, (long PktsA, long PktsB, long BytesA, long BytesB)>();
            foreach (var r in run.Finals)
            {
                if (r.Key.Protocol is not (6 or 17)) continue;
                var key = TsharkConversation.KeyOf(in r.Key);
                ours.TryGetValue(key, out var t);
                long pktsA = r.OrigIsA ? r.OrigPkts : r.RespPkts, pktsB = r.OrigIsA ? r.RespPkts : r.OrigPkts;
                long bytesA = r.OrigIsA ? r.OrigIpBytes : r.RespIpBytes, bytesB = r.OrigIsA ? r.RespIpBytes : r.OrigIpBytes;
                ours[key] = (t.PktsA + pktsA, t.PktsB + pktsB, t.BytesA + bytesA, t.BytesB + bytesB);
            }

            foreach (var conv in truth.Conversations.Values)
            {
                conversations++;
                if (!ours.TryGetValue(conv.Key, out var mine))
                {
                    failures.Add($"{entry.Path}: no flow for {conv}");
                    continue;
                }
                if (mine.PktsA != conv.PacketsAToB || mine.PktsB != conv.PacketsBToA)
                    failures.Add($"{entry.Path}: {conv.Key}: packets {mine.PktsA}/{mine.PktsB}, tshark {conv.PacketsAToB}/{conv.PacketsBToA}");
                if (conv.IsPlain)
                {
                    bytesCompared++;
                    if (mine.BytesA != conv.IpBytesAToB || mine.BytesB != conv.IpBytesBToA)
                        failures.Add($"{entry.Path}: {conv.Key}: IP bytes {mine.BytesA}/{mine.BytesB}, tshark {conv.IpBytesAToB}/{conv.IpBytesBToA}");
                }
            }
        }
        _output.WriteLine($"{files.Count} captures, {conversations} tshark conversations, IP bytes compared on {bytesCompared}");
        Assert.True(files.Count >= 20, $"expected at least 20 captures to compare, found {files.Count}");
        Assert.True(conversations >= 200, $"expected at least 200 conversations, found {conversations}");
        Assert.True(failures.Count == 0, $"{failures.Count} differences:{Environment.NewLine}{string.Join(Environment.NewLine, failures.Take(40))}");
    }
}
