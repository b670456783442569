using TapSensor.Sample.Household;

namespace TapSensor.Sample;

/// <summary>
/// Writes a deterministic capture of a household's traffic as a classic pcap file: twenty devices (phones,
/// laptops, TV, speakers, smart-home gear) joining with DHCP, then DNS lookups followed by TLS, HTTP, QUIC, NTP and
/// ping sessions to real-world services, interleaved in time with heavy-tailed sizes, plus ARP, NDP and mDNS
/// chatter. Benchmarks and tests replay it; nothing is ever sent.
/// </summary>
internal static class HouseholdCapture
{
    public static SampleStats Write(Stream output, HouseholdOptions options)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        using var generator = new HouseholdGenerator(output, options);
        return generator.Run();
    }
}
