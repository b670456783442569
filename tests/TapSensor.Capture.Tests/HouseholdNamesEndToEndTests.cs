using TapSensor.Capture.Tests.Infrastructure;
using TapSensor.Core.Discovery;
using TapSensor.Core.Flows;
using TapSensor.Sample;
using TapSensor.Sample.Household;
using TapSensor.Testing.Tshark;

namespace TapSensor.Capture.Tests;

/// <summary>
/// The generated household capture through the whole pipeline: every device the generator puts on the wire
/// is found and named as it named itself, and the flows carry the destination names tshark reads from the
/// same bytes.
/// </summary>
public sealed class HouseholdNamesEndToEndTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"tapsensor-names-{Guid.NewGuid():N}.pcap");

    public HouseholdNamesEndToEndTests()
    {
        using var file = File.Create(_path);
        HouseholdCapture.Write(file, new HouseholdOptions { Packets = 60_000, Seed = 3 });
    }

    public void Dispose() => File.Delete(_path);

    [Fact]
    public void Every_device_is_found_with_its_dhcp_name_and_the_router_is_not_mistaken_for_one_behind_it()
    {
        var household = new RecordingHousehold();
        PipelineRun.Read(_path, enricher: household);

        var expected = DeviceCatalog.Create().Where(d => d.HostName is not null).Select(d => d.HostName!).ToHashSet(StringComparer.Ordinal);
        var named = household.Household.Devices
            .Where(d => d.Names.ContainsKey(DeviceNameSource.DhcpHostname))
            .Select(d => d.Names[DeviceNameSource.DhcpHostname]).ToHashSet(StringComparer.Ordinal);
        Assert.Equal(expected.Order(StringComparer.Ordinal), named.Order(StringComparer.Ordinal));
        Assert.Equal(DeviceCatalog.Create().Length + 1, household.Household.Devices.Count); // plus the router
        Assert.All(household.Household.Devices, d => Assert.False(d.KeyedByAddress));
        Assert.Equal(4, household.Household.Devices.Count(d => d.RandomizedMac));
        Assert.Contains(household.Household.Devices, d => d.Names.ContainsKey(DeviceNameSource.Mdns));
    }

    [Fact]
    public void Flow_names_from_tls_quic_and_http_are_the_ones_tshark_reads()
    {
        if (TsharkOracle.SkipReason is { } reason) Assert.Fail(reason);
        var oracle = new TsharkOracle();
        // The generator's messenger speaks TLS on 5222 (as WhatsApp does); tshark needs telling.
        var tls = oracle.Fields(_path, ["tcp.port==5222,tls"], "tls.handshake.type == 1 && tcp", "tls.handshake.extensions_server_name")
            .SelectMany(r => r[0]).ToHashSet(StringComparer.Ordinal);
        var quic = oracle.Fields(_path, "tls.handshake.type == 1 && quic", "tls.handshake.extensions_server_name")
            .SelectMany(r => r[0]).ToHashSet(StringComparer.Ordinal);
        var http = oracle.Fields(_path, "http.request", "http.host")
            .SelectMany(r => r[0]).Select(h => h.Split(':')[0].ToLowerInvariant()).ToHashSet(StringComparer.Ordinal);

        var run = PipelineRun.Read(_path, enricher: new RecordingHousehold());
        HashSet<string> Ours(RemoteNameSource source) =>
            run.Finals.Where(r => r.RemoteNameSource == source).Select(r => r.RemoteName!).ToHashSet(StringComparer.Ordinal);

        Assert.NotEmpty(tls);
        Assert.NotEmpty(quic);
        Assert.NotEmpty(http);
        Assert.Equal(tls.Order(StringComparer.Ordinal), Ours(RemoteNameSource.TlsSni).Order(StringComparer.Ordinal));
        Assert.Equal(quic.Order(StringComparer.Ordinal), Ours(RemoteNameSource.QuicSni).Order(StringComparer.Ordinal));
        Assert.Equal(http.Order(StringComparer.Ordinal), Ours(RemoteNameSource.HttpHost).Order(StringComparer.Ordinal));

        // Web flows in which the client spoke are named: by what it sent, or by the answer it resolved.
        var outbound = run.Finals.Where(r => r.Device is not null && !r.Local && r.Key.Protocol is 6 or 17
            && r.RespPort is 443 or 80 && r.OrigBytes > 0).ToList();
        Assert.True(outbound.Count > 100, $"{outbound.Count} web flows");
        var unnamed = outbound.Where(r => r.RemoteName is null).Select(r =>
            $"{r.Key.AddressA}:{r.Key.PortA} {r.Key.AddressB}:{r.Key.PortB} p{r.Key.Protocol} {r.OrigPkts}/{r.RespPkts} app {r.App} {r.Reason} {r.History}").ToList();
        Assert.True(unnamed.Count == 0, string.Join(Environment.NewLine, unnamed));
    }

    [Fact]
    public void One_and_three_workers_name_the_same_flows_the_same_way()
    {
        static Dictionary<string, string?> Names(PipelineRun run) => run.Finals.ToDictionary(
            r => $"{r.Key.AHi:x}{r.Key.ALo:x}{r.Key.PortA}-{r.Key.BHi:x}{r.Key.BLo:x}{r.Key.PortB}-{r.Key.Protocol}-{r.FirstNs}",
            r => r.RemoteName is null ? null : $"{r.RemoteName}/{r.RemoteNameSource}/{r.Device?.Id}/{r.Service}");
        var one = Names(PipelineRun.Read(_path, workers: 1, enricher: new RecordingHousehold()));
        var three = Names(PipelineRun.Read(_path, workers: 3, enricher: new RecordingHousehold()));
        Assert.Equal(one.Count, three.Count);
        var differing = one.Where(kv => three.GetValueOrDefault(kv.Key) != kv.Value).Take(10).ToList();
        Assert.True(differing.Count == 0, string.Join(Environment.NewLine, differing.Select(kv => $"{kv.Key}: {kv.Value} vs {three.GetValueOrDefault(kv.Key)}")));
    }
}
