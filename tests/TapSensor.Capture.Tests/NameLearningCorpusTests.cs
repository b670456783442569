using TapSensor.Capture.Tests.Infrastructure;
using TapSensor.Core.Discovery;
using TapSensor.Testing;
using TapSensor.Testing.Tshark;

namespace TapSensor.Capture.Tests;

/// <summary>
/// Names learned through the whole pipeline (capture, payload selection, worker parsers, aggregator) against
/// what tshark reads from the same real captures.
/// </summary>
public sealed class NameLearningCorpusTests
{
    private readonly ITestOutputHelper _output;

    public NameLearningCorpusTests(ITestOutputHelper output) => _output = output;

    /// <summary>Captures with the feature, of link types we decode, without the tunnels we do not open.</summary>
    private static List<CorpusEntry> Files(string feature, int maxPackets, params string[] without) =>
        Corpus.Open().Select(null, feature)
            .Where(e => e.Packets is > 0 && e.Packets <= maxPackets && !e.Has("tshark-read-error") && !without.Any(e.Has))
            .Where(DecodedLinkTypes.AllDecoded)
            .OrderBy(e => e.Path, StringComparer.Ordinal)
            .ToList();

    [CorpusFact(RequiresTshark = true)]
    public void Dhcp_host_names_are_the_ones_tshark_reads_from_client_messages()
    {
        var oracle = new TsharkOracle();
        // CAPWAP carries its clients' 802.11 frames in UDP, which we do not decode (as with the other tunnels left out).
        var files = Files("dhcp-hostname", 20_000, "vxlan", "gre", "gtp", "wifi", "radiotap", "capwap")
            .Where(e => !e.Path.Contains("capwap", StringComparison.Ordinal)).ToList();
        var failures = new List<string>();
        int names = 0;
        foreach (var entry in files)
        {
            var truth = oracle.Fields(entry.FullPath, "dhcp.option.hostname && dhcp.type == 1 && !(ip.flags.mf == 1) && !(ip.frag_offset > 0)", "dhcp.option.hostname")
                .SelectMany(row => row[0]).Select(n => n.TrimEnd('\0', '.', ' ')).Where(n => n.Length > 0).ToHashSet(StringComparer.Ordinal);
            var household = new RecordingHousehold();
            PipelineRun.Read(entry.FullPath, enricher: household);
            var ours = household.Observations.Where(o => o.NameSource == DeviceNameSource.DhcpHostname && o.Kind == ObservationKind.DeviceName)
                .Select(o => o.Name!).ToHashSet(StringComparer.Ordinal);
            names += truth.Count;
            if (!truth.SetEquals(ours))
                failures.Add($"{entry.Path}: tshark [{string.Join(", ", truth)}], ours [{string.Join(", ", ours)}]");
            // Every name reached a device.
            foreach (var name in ours)
            {
                if (!household.Household.Devices.Any(d => d.Names.Values.Contains(name)))
                    failures.Add($"{entry.Path}: '{name}' is on no device");
            }
        }
        _output.WriteLine($"{files.Count} captures, {names} DHCP host names");
        Assert.True(files.Count >= 10, $"expected at least 10 captures with DHCP host names, found {files.Count}");
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    [CorpusFact(RequiresTshark = true)]
    public void Dns_answers_name_only_addresses_tshark_shows_for_the_question_and_cover_nearly_all()
    {
        var oracle = new TsharkOracle();
        var files = Files("dns", 2_000, "vxlan", "gre", "gtp", "teredo", "malformed").Where((_, i) => i % 4 == 0).ToList();
        var invented = new List<string>();
        var missed = new List<string>();
        long tsharkPairs = 0, ourPairs = 0, covered = 0;
        foreach (var entry in files)
        {
            // One tshark pass: every DNS response, with what decides whether ours must match it.
            var truth = new HashSet<(string, string)>();
            var all = new HashSet<(string, string)>();
            foreach (var row in oracle.Fields(entry.FullPath, "dns.flags.response == 1 && !icmp && !icmpv6",
                "dns.qry.name", "dns.a", "dns.aaaa", "dns.flags.rcode", "dns.flags.opcode", "dns.count.add_rr", "udp.srcport"))
            {
                // tshark escapes bytes outside printable ASCII ("\001"); we show them as '?': such names are not compared.
                if (row[0].Length == 0 || row[0][0].Contains('\\', StringComparison.Ordinal)) continue;
                string q = row[0][0].ToLowerInvariant();
                var pairs = row[1].Concat(row[2]).Select(a => (q, System.Net.IPAddress.Parse(a).ToString())).ToList();
                all.UnionWith(pairs);
                // Ours must cover plain UDP answers: no error, standard query, no additional records (glue is not the question's).
                bool plain = row[3] is ["0"] && row[4] is ["0"] && row[5] is ["0"] && row[6] is ["53"];
                if (plain) truth.UnionWith(pairs);
            }
            var household = new RecordingHousehold();
            PipelineRun.Read(entry.FullPath, enricher: household);
            var ours = household.Observations.Where(o => o.Kind == ObservationKind.DnsAnswer)
                .SelectMany(o => o.Answers.ToArray().Select(a => (o.Name!, a.Address.ToString()))).ToHashSet();
            tsharkPairs += truth.Count;
            ourPairs += ours.Count;
            covered += truth.Count(ours.Contains);
            missed.AddRange(truth.Where(p => !ours.Contains(p)).Select(p => $"{entry.Path}: {p.Item1} -> {p.Item2}"));
            // Bytes outside printable ASCII are shown as '?' in our names, as tshark shows them its own way.
            invented.AddRange(ours.Where(p => !all.Contains(p) && !p.Item1.Contains('?', StringComparison.Ordinal))
                .Select(p => $"{entry.Path}: {p.Item1} -> {p.Item2}"));
        }
        _output.WriteLine($"{files.Count} captures; tshark {tsharkPairs} name/address pairs, ours {ourPairs}, covered {covered}");
        Assert.True(files.Count >= 10, $"expected at least 10 captures with DNS, found {files.Count}");
        Assert.True(tsharkPairs >= 60, $"expected at least 60 answers to compare, found {tsharkPairs}");
        Assert.True(invented.Count == 0, string.Join(Environment.NewLine, invented.Take(30)));
        foreach (var m in missed) _output.WriteLine("missed " + m);
        Assert.True(covered >= tsharkPairs * 0.98, $"covered {covered} of {tsharkPairs} tshark answers; missed:{Environment.NewLine}{string.Join(Environment.NewLine, missed)}");
    }
}
