using TapSensor.Sample.Payloads;
using TapSensor.Sample.Wire;

namespace TapSensor.Sample.Household;

/// <summary>A device of the household with the addresses it holds for this capture.</summary>
internal sealed class Device
{
    private int _nextPort;

    public Device(DeviceProfile profile, string? hostName, ulong mac, uint v4, in Ip6 prefix, bool ipv6, SampleRandom random)
    {
        Profile = profile;
        HostName = hostName;
        Mac = mac;
        V4 = v4;
        Ipv6 = ipv6;
        LinkLocal = new Ip6(0xFE80_0000_0000_0000UL, Ip6.Eui64(mac));
        // Devices with a random MAC also use a random interface identifier (RFC 8981); the rest derive it from the
        // MAC as embedded stacks still do (RFC 4862 with RFC 4291 Appendix A).
        Global = new Ip6(prefix.Hi, profile.Oui == 0 ? random.NextUInt64() & 0xFDFF_FFFF_FFFF_FFFFUL : Ip6.Eui64(mac));
        _nextPort = random.Between(profile.EphemeralLow, profile.EphemeralHigh);
        DhcpTransaction = random.NextUInt32();
        if (profile.Mdns is { } m)
        {
            string host = (hostName ?? "device") + ".local";
            byte[] txt = new byte[m.Txt.Length + 1];
            txt[0] = (byte)m.Txt.Length;
            Ascii.Write(txt.AsSpan(1), m.Txt);
            Mdns = new MdnsService(DnsMessage.Encode(m.ServiceType), DnsMessage.Encode(m.Instance), DnsMessage.Encode(host), m.Port, txt);
        }
    }

    public DeviceProfile Profile { get; }
    public string? HostName { get; }
    public ulong Mac { get; }
    public uint V4 { get; }
    public bool Ipv6 { get; }
    public Ip6 LinkLocal { get; }
    public Ip6 Global { get; }
    public uint DhcpTransaction { get; }
    public MdnsService? Mdns { get; }

    /// <summary>Next ephemeral port, walking the OS's range sequentially as Linux, Windows and Apple stacks roughly do.</summary>
    public ushort NextPort()
    {
        int port = _nextPort;
        _nextPort = port >= Profile.EphemeralHigh ? Profile.EphemeralLow : port + 1;
        return (ushort)port;
    }
}
