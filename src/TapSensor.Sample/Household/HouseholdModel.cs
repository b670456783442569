using TapSensor.Sample.Payloads;
using TapSensor.Sample.Wire;

namespace TapSensor.Sample.Household;

/// <summary>
/// The household for one capture: a FRITZ!Box-style router at 192.168.1.1 whose MAC carries all remote traffic,
/// the devices with their addresses, the remote services, and which services each device uses.
/// </summary>
internal sealed class HouseholdModel
{
    /// <summary>
    /// The LAN's delegated IPv6 /64. It sits in the documentation prefix (RFC 3849) so the sample carries no real
    /// subscriber's prefix.
    /// </summary>
    public static readonly Ip6 Prefix = new(0x2001_0DB8_04D2_1A00UL, 0);

    public const uint RouterV4 = 0xC0A8_0101;          // 192.168.1.1
    public const uint SubnetMask = 0xFFFF_FF00;
    public const uint GoogleDnsV4 = 0x0808_0808;        // 8.8.8.8
    public static readonly Ip6 GoogleDnsV6 = new(0x2001_4860_4860_0000UL, 0x8888);

    private readonly double[][] _serviceWeights;
    private readonly int[][] _serviceChoices;
    private readonly double[] _deviceWeights;

    public HouseholdModel(HouseholdOptions options, SampleRandom random)
    {
        RouterMac = 0x3CA6_2F00_0000UL | (random.NextUInt32() & 0xFF_FFFF);
        RouterLinkLocal = new Ip6(0xFE80_0000_0000_0000UL, Ip6.Eui64(RouterMac));
        RouterGlobal = new Ip6(Prefix.Hi, 1);
        Lease = new DhcpLease(SubnetMask, RouterV4, RouterV4, 864_000, "fritz.box");
        Services = ServiceCatalog.Create();

        DeviceProfile[] catalogue = DeviceCatalog.Create();
        bool ipv6 = options.Ipv6Share > 0;
        Devices = new Device[options.Devices];
        Span<bool> usedHost = stackalloc bool[256];
        for (int i = 0; i < Devices.Length; i++)
        {
            DeviceProfile profile = catalogue[i % catalogue.Length];
            int round = i / catalogue.Length;
            string? hostName = profile.HostName is null || round == 0 ? profile.HostName : $"{profile.HostName}-{round + 1}";
            ulong mac = profile.Oui == 0
                ? (random.NextUInt64() & 0xFCFF_FFFF_FFFFUL) | 0x0200_0000_0000UL // unicast, locally administered
                : ((ulong)profile.Oui << 24) | (random.NextUInt32() & 0xFF_FFFF);
            int host;
            do
            {
                host = random.Between(20, 250);
            }
            while (usedHost[host]);
            usedHost[host] = true;
            Devices[i] = new Device(profile, hostName, mac, 0xC0A8_0100u | (uint)host, Prefix, ipv6 && profile.Ipv6, random);
        }

        _deviceWeights = new double[Devices.Length];
        _serviceChoices = new int[Devices.Length][];
        _serviceWeights = new double[Devices.Length][];
        double total = 0;
        for (int d = 0; d < Devices.Length; d++)
        {
            total += Devices[d].Profile.Activity;
            _deviceWeights[d] = total;
            var choices = new List<int>();
            var weights = new List<double>();
            double sum = 0;
            for (int s = 0; s < Services.Length; s++)
            {
                RemoteService service = Services[s];
                if (!service.Serves(Devices[d].Profile) || service.Size == SizeClass.Persistent)
                    continue;
                sum += service.Weight;
                choices.Add(s);
                weights.Add(sum);
            }
            _serviceChoices[d] = [.. choices];
            _serviceWeights[d] = [.. weights];
        }
    }

    public ulong RouterMac { get; }
    public Ip6 RouterLinkLocal { get; }
    public Ip6 RouterGlobal { get; }
    public DhcpLease Lease { get; }
    public Device[] Devices { get; }
    public RemoteService[] Services { get; }

    public int PickDevice(SampleRandom random) => Pick(_deviceWeights, random);

    /// <summary>A service for a session of this device, or -1 if it uses none but persistent ones.</summary>
    public int PickService(int device, SampleRandom random)
    {
        int[] choices = _serviceChoices[device];
        return choices.Length == 0 ? -1 : choices[Pick(_serviceWeights[device], random)];
    }

    private static int Pick(double[] cumulative, SampleRandom random)
    {
        double x = random.NextDouble() * cumulative[^1];
        int i = Array.BinarySearch(cumulative, x);
        i = i < 0 ? ~i : i + 1;
        return Math.Min(i, cumulative.Length - 1);
    }
}
