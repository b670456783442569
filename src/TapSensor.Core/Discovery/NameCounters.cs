namespace TapSensor.Core.Discovery;

/// <summary>What the name parsers met. Every malformed or unusable message is counted here, never thrown.</summary>
public enum NameEvent
{
    DnsResponse,
    DnsAnswered,
    DnsMalformed,
    DnsTruncated,
    DnsTcpPartial,
    MdnsName,
    MdnsMalformed,
    DhcpMessage,
    DhcpName,
    DhcpMalformed,
    Dhcpv6Message,
    Dhcpv6Name,
    Dhcpv6Malformed,
    NetbiosName,
    NetbiosMalformed,
    ArpBinding,
    ArpMalformed,
    NdpBinding,
    NdpMalformed,
    TlsSni,
    TlsNoSni,
    TlsMalformed,
    TlsPartial,
    HttpHost,
    HttpNoHost,
    QuicSni,
    QuicNoSni,
    QuicUndecryptable,
    QuicPartial,
    ReassemblyDropped,
}

/// <summary>Per-worker name counters: written by the worker only, read elsewhere through <see cref="Enumerate"/>.</summary>
public sealed class NameCounters
{
    private static readonly NameEvent[] Events = Enum.GetValues<NameEvent>();
    private readonly long[] _values = new long[Events.Length];

    public void Add(NameEvent e) => _values[(int)e]++;

    public long this[NameEvent e] => Volatile.Read(ref _values[(int)e]);

    public static string Name(NameEvent e) => e switch
    {
        NameEvent.DnsResponse => "names.dns.responses",
        NameEvent.DnsAnswered => "names.dns.answered",
        NameEvent.DnsMalformed => "names.dns.malformed",
        NameEvent.DnsTruncated => "names.dns.truncated",
        NameEvent.DnsTcpPartial => "names.dns.tcp_partial",
        NameEvent.MdnsName => "names.mdns.names",
        NameEvent.MdnsMalformed => "names.mdns.malformed",
        NameEvent.DhcpMessage => "names.dhcp.messages",
        NameEvent.DhcpName => "names.dhcp.names",
        NameEvent.DhcpMalformed => "names.dhcp.malformed",
        NameEvent.Dhcpv6Message => "names.dhcpv6.messages",
        NameEvent.Dhcpv6Name => "names.dhcpv6.names",
        NameEvent.Dhcpv6Malformed => "names.dhcpv6.malformed",
        NameEvent.NetbiosName => "names.netbios.names",
        NameEvent.NetbiosMalformed => "names.netbios.malformed",
        NameEvent.ArpBinding => "names.arp.bindings",
        NameEvent.ArpMalformed => "names.arp.malformed",
        NameEvent.NdpBinding => "names.ndp.bindings",
        NameEvent.NdpMalformed => "names.ndp.malformed",
        NameEvent.TlsSni => "names.tls.sni",
        NameEvent.TlsNoSni => "names.tls.no_sni",
        NameEvent.TlsMalformed => "names.tls.malformed",
        NameEvent.TlsPartial => "names.tls.incomplete",
        NameEvent.HttpHost => "names.http.host",
        NameEvent.HttpNoHost => "names.http.no_host",
        NameEvent.QuicSni => "names.quic.sni",
        NameEvent.QuicNoSni => "names.quic.no_sni",
        NameEvent.QuicUndecryptable => "names.quic.undecryptable",
        NameEvent.QuicPartial => "names.quic.incomplete",
        NameEvent.ReassemblyDropped => "names.reassembly.dropped",
        _ => "names.unknown",
    };

    /// <summary>Cold path: every counter with its stable name.</summary>
    public IEnumerable<(string Name, long Value)> Enumerate()
    {
        foreach (var e in Events) yield return (Name(e), this[e]);
    }

    /// <summary>Sums counters of several workers.</summary>
    public static IEnumerable<(string Name, long Value)> Sum(IEnumerable<NameCounters> counters)
    {
        var list = counters.ToList();
        foreach (var e in Events) yield return (Name(e), list.Sum(c => c[e]));
    }
}
