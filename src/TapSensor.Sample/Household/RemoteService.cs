using TapSensor.Sample.Payloads;
using TapSensor.Sample.Wire;

namespace TapSensor.Sample.Household;

/// <summary>How a session with a service is carried.</summary>
internal enum ServiceProtocol : byte
{
    Tls,
    Quic,
    Http,
    Ntp,
    Ping,
}

/// <summary>
/// Shape of a session's volume. Sizes are heavy-tailed within each class; <see cref="Persistent"/> sessions stay
/// open for the whole capture with a small keep-alive exchange every half minute or so.
/// </summary>
internal enum SizeClass : byte
{
    Tiny,
    Web,
    Media,
    Download,
    Upload,
    Persistent,
    Fixed,
}

/// <summary>
/// A remote service: the name a device resolves and presents in SNI or Host, the CNAME chain its resolver
/// returns, and the addresses behind it. Addresses lie in the blocks the operators announce; the generator
/// only writes them into a file and never sends anything.
/// </summary>
internal sealed class RemoteService
{
    public RemoteService(string name, string[] cnames, string[] v4, string[] v6, ServiceProtocol protocol, SizeClass size,
        DeviceRole audience, Ecosystem ecosystem, double weight, byte ttl, ushort port = 0, string? httpPath = null,
        HttpBody httpBody = HttpBody.Binary)
    {
        Name = name;
        NameBytes = System.Text.Encoding.ASCII.GetBytes(name);
        NameWire = DnsMessage.Encode(name);
        CnameWires = Array.ConvertAll(cnames, DnsMessage.Encode);
        V4 = Array.ConvertAll(v4, Ipv4.Parse);
        V6 = Array.ConvertAll(v6, Ip6.Parse);
        Protocol = protocol;
        Size = size;
        Audience = audience;
        Ecosystem = ecosystem;
        Weight = weight;
        Ttl = ttl;
        Port = port != 0 ? port : protocol switch
        {
            ServiceProtocol.Http => (ushort)80,
            ServiceProtocol.Ntp => (ushort)123,
            ServiceProtocol.Ping => (ushort)0,
            _ => (ushort)443,
        };
        HttpPath = httpPath ?? "/";
        HttpBody = httpBody;
    }

    public string Name { get; }
    public byte[] NameBytes { get; }
    public byte[] NameWire { get; }
    public byte[][] CnameWires { get; }
    public uint[] V4 { get; }
    public Ip6[] V6 { get; }
    public ServiceProtocol Protocol { get; }
    public SizeClass Size { get; }
    public DeviceRole Audience { get; }
    public Ecosystem Ecosystem { get; }
    public double Weight { get; }
    /// <summary>IP TTL / hop limit as packets from this service arrive at the LAN.</summary>
    public byte Ttl { get; }
    public ushort Port { get; }
    public string HttpPath { get; }
    public HttpBody HttpBody { get; }

    public bool Serves(DeviceProfile device) =>
        (Audience & device.Role) != 0 && (Ecosystem == Ecosystem.Any || Ecosystem == device.Ecosystem);
}
