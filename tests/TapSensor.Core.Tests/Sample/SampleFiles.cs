using TapSensor.Sample;

namespace TapSensor.Core.Tests.Sample;

/// <summary>Small captures written once per test class into a temporary directory, removed afterwards.</summary>
public sealed class SampleFiles : IDisposable
{
    public const int HouseholdPackets = 20_000;
    public const int FloodPackets = 20_000;
    public const ulong Seed = 7;

    private readonly string _directory = Directory.CreateTempSubdirectory("tapsensor-sample-").FullName;

    public SampleFiles()
    {
        HouseholdPath = Path.Combine(_directory, "household.pcap");
        FloodPath = Path.Combine(_directory, "flood.pcap");
        using (FileStream f = File.Create(HouseholdPath))
            HouseholdStats = HouseholdCapture.Write(f, new HouseholdOptions { Seed = Seed, Packets = HouseholdPackets });
        using (FileStream f = File.Create(FloodPath))
            FloodStats = FloodCapture.Write(f, new FloodOptions { Seed = Seed, Packets = FloodPackets });
        _household = new Lazy<TsharkTable>(() => new TsharkTable(HouseholdPath,
            "frame.protocols", "dhcp.option.dhcp", "dhcp.option.hostname", "dhcp.fqdn.name", "dhcp.option.vendor_class_id",
            "tls.handshake.type", "tls.handshake.extensions_server_name", "tcp.flags.syn", "tcp.flags.ack", "tcp.srcport",
            "tcp.dstport", "udp.srcport", "udp.dstport", "quic.long.packet_type", "http.request.method", "http.host",
            "dns.flags.response", "dns.qry.name", "dns.a", "dns.aaaa", "ip.dst", "ipv6.dst"));
    }

    private readonly Lazy<TsharkTable> _household;

    /// <summary>tshark's dissection of the household capture, made on first use by a tshark test.</summary>
    internal TsharkTable Household => _household.Value;

    public string HouseholdPath { get; }
    public string FloodPath { get; }
    internal SampleStats HouseholdStats { get; }
    internal SampleStats FloodStats { get; }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
