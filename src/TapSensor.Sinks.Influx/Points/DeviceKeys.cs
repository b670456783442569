using TapSensor.Core.Flows;
using TapSensor.Core.Packets;

namespace TapSensor.Sinks.Influx.Points;

/// <summary>
/// The <c>device</c> tag of a point: the enrichment's device id when there is one, otherwise the local end's
/// Ethernet address (<c>aa:bb:cc:dd:ee:ff</c>), otherwise its IP address (links without MACs, such as raw IP or
/// PPP captures). The texts are cached so a record costs no string; the cache is bounded (a household has tens
/// of devices; past the bound keys are formatted afresh and <see cref="Uncached"/> counts them).
/// </summary>
internal sealed class DeviceKeys
{
    private readonly Dictionary<ulong, string> _macs = new();
    private readonly Dictionary<FlowAddress, string> _addresses = new();
    private readonly int _capacity;

    public DeviceKeys(int capacity = 16_384) => _capacity = capacity;

    public long Uncached { get; private set; }

    public string KeyOf(FlowPoint p)
    {
        if (!string.IsNullOrEmpty(p.Device)) return p.Device;
        if (p.LocalMac != 0) return Mac(p.LocalMac);
        return Address(p.LocalAddress);
    }

    private string Mac(ulong mac)
    {
        if (_macs.TryGetValue(mac, out var text)) return text;
        text = MacAddress.ToText(mac);
        if (_macs.Count + _addresses.Count < _capacity) _macs[mac] = text;
        else Uncached++;
        return text;
    }

    private string Address(FlowAddress address)
    {
        if (_addresses.TryGetValue(address, out var text)) return text;
        text = address.IsNone ? "unknown" : address.ToString();
        if (_macs.Count + _addresses.Count < _capacity) _addresses[address] = text;
        else Uncached++;
        return text;
    }
}
