using TapSensor.Sample.Household;

namespace TapSensor.Core.Tests.Sample;

/// <summary>What Wireshark's dissectors make of the household capture: the ground truth a sensor is compared with.</summary>
public sealed class HouseholdCaptureTsharkTests : IClassFixture<SampleFiles>
{
    private readonly SampleFiles _files;

    public HouseholdCaptureTsharkTests(SampleFiles files) => _files = files;

    private static HashSet<string> ServiceNames(Func<RemoteService, bool> where) =>
        ServiceCatalog.Create().Where(where).Select(s => s.Name).ToHashSet(StringComparer.Ordinal);

    [TsharkFact]
    public void Tshark_finds_no_malformed_frame_bad_checksum_or_error()
    {
        string[] bad = Tshark.Lines("-r", _files.HouseholdPath,
            "-o", "ip.check_checksum:TRUE", "-o", "tcp.check_checksum:TRUE", "-o", "udp.check_checksum:TRUE",
            "-Y", "_ws.malformed || _ws.expert.severity == error || ip.checksum.status == 2 || tcp.checksum.status == 2 "
                + "|| udp.checksum.status == 2 || icmp.checksum.status == 2 || icmpv6.checksum.status == 2",
            "-T", "fields", "-e", "frame.number");
        Assert.Empty(bad);
    }

    [TsharkFact]
    public void Every_frame_is_dissected_and_the_household_protocols_are_all_there()
    {
        TsharkTable t = _files.Household;
        HashSet<string> seen = t.All.SelectMany(r => r["frame.protocols"].Split(':')).ToHashSet(StringComparer.Ordinal);
        Assert.Equal(SampleFiles.HouseholdPackets, t.Count);
        foreach (string protocol in new[] { "eth", "ip", "ipv6", "arp", "icmpv6", "tcp", "udp", "dns", "mdns", "dhcp", "ntp", "tls", "quic", "http" })
            Assert.Contains(protocol, seen);
    }

    [TsharkFact]
    public void Every_device_host_name_is_found_in_dhcp()
    {
        string[] expected = DeviceCatalog.Create()
            .Where(d => d.HostName is not null)
            .Select(d => d.HostName!)
            .Order(StringComparer.Ordinal)
            .ToArray();
        string[] found = _files.Household.With("dhcp.option.hostname")
            .Select(r => r["dhcp.option.hostname"])
            .Distinct()
            .Order(StringComparer.Ordinal)
            .ToArray();
        Assert.Equal(expected, found);
    }

    [TsharkFact]
    public void Windows_devices_send_fqdn_and_vendor_class_in_their_request()
    {
        string[] requests = _files.Household.With("dhcp.fqdn.name")
            .Where(r => r["dhcp.option.dhcp"] == "3")
            .Select(r => r["dhcp.fqdn.name"] + "|" + r["dhcp.option.vendor_class_id"])
            .ToArray();
        Assert.Contains("LAPTOP-7K2J9QH|MSFT 5.0", requests);
        Assert.Contains("DESKTOP-9F3KQ2M|MSFT 5.0", requests);
    }

    [TsharkFact]
    public void Every_tls_connection_opens_with_a_client_hello_naming_its_service()
    {
        HashSet<string> names = ServiceNames(s => s.Protocol == ServiceProtocol.Tls);
        TsharkTable t = _files.Household;
        string[] hellos = t.With("tls.handshake.type")
            .Where(r => r["tls.handshake.type"] == "1" && r["tcp.dstport"].Length > 0)
            .Select(r => r["tls.handshake.extensions_server_name"])
            .ToArray();
        int established = t.With("tcp.srcport")
            .Count(r => r["tcp.flags.syn"] == "1" && r["tcp.flags.ack"] == "1" && r["tcp.srcport"] != "80");

        Assert.All(hellos, sni => Assert.Contains(sni, names));
        // One ClientHello per established connection, bar the few the end of the capture cut off.
        Assert.InRange(hellos.Length, established - 5, established);
        Assert.True(hellos.Distinct().Count() >= 10, "expected a variety of server names");
    }

    [TsharkFact]
    public void Http_requests_on_port_80_carry_the_service_host()
    {
        HashSet<string> names = ServiceNames(s => s.Protocol == ServiceProtocol.Http);
        string[] hosts = _files.Household.With("http.request.method")
            .Where(r => r["tcp.dstport"] == "80")
            .Select(r => r["http.host"])
            .ToArray();
        Assert.NotEmpty(hosts);
        Assert.All(hosts, h => Assert.Contains(h, names));
    }

    [TsharkFact]
    public void Tshark_decrypts_every_quic_client_initial_and_reads_its_sni()
    {
        HashSet<string> names = ServiceNames(s => s.Protocol == ServiceProtocol.Quic);
        TsharkTable.Row[] initials = _files.Household.With("quic.long.packet_type")
            .Where(r => r["udp.dstport"] == "443" && r["quic.long.packet_type"] == "0")
            .ToArray();

        Assert.NotEmpty(initials);
        Assert.All(initials, r => Assert.Contains(r["tls.handshake.extensions_server_name"], names));
    }

    [TsharkFact]
    public void Dns_answers_point_at_the_addresses_the_sessions_then_contact()
    {
        TsharkTable t = _files.Household;
        HashSet<string> contacted = t.All
            .Where(r => (r["tcp.flags.syn"] == "1" && r["tcp.flags.ack"] == "0") || (r["quic.long.packet_type"] == "0" && r["udp.dstport"] == "443"))
            .Select(r => r["ip.dst"] + r["ipv6.dst"])
            .ToHashSet(StringComparer.Ordinal);
        string[] firstAnswers = t.With("dns.flags.response")
            .Where(r => r["dns.flags.response"] == "1" && r["udp.srcport"] == "53")
            .Select(r => (r["dns.a"] + r["dns.aaaa"]).Split(',')[0])
            .ToArray();

        Assert.NotEmpty(firstAnswers);
        int used = firstAnswers.Count(contacted.Contains);
        // NTP and ping sessions resolve names too, so not every answer leads to a TCP or QUIC connection.
        Assert.True(used >= firstAnswers.Length / 2, $"{used} of {firstAnswers.Length} answers were contacted");
    }
}
