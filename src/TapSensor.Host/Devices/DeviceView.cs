using TapSensor.Core.Devices;
using TapSensor.Core.Discovery;
using TapSensor.Core.Packets;

namespace TapSensor.Host.Devices;

/// <summary>One device as `--devices` writes it (snake_case JSON).</summary>
internal sealed record DeviceView
{
    public required string Id { get; init; }
    public string? Mac { get; init; }
    public required IReadOnlyList<string> Macs { get; init; }
    public string? Vendor { get; init; }
    public required bool RandomizedMac { get; init; }
    /// <summary>"mac", or "ip" for a device behind a router (or on a link without MACs).</summary>
    public required string KeyedBy { get; init; }
    public string? Name { get; init; }
    public string? Group { get; init; }
    public required IReadOnlyList<string> Ips { get; init; }
    public required IReadOnlyList<DeviceNameView> Names { get; init; }
    public required bool IsRouter { get; init; }
    public string? VendorClass { get; init; }
    public required DateTimeOffset FirstSeen { get; init; }
    public required DateTimeOffset LastSeen { get; init; }
    public required long BytesUp { get; init; }
    public required long BytesDown { get; init; }
    public required long PacketsUp { get; init; }
    public required long PacketsDown { get; init; }
    public required long Flows { get; init; }
    public required int Destinations { get; init; }
    public required IReadOnlyDictionary<string, long> Countries { get; init; }

    public static DeviceView From(Device d) => new()
    {
        Id = d.Id,
        Mac = d.Mac == 0 ? null : MacAddress.ToText(d.Mac),
        Macs = [.. d.Macs.Select(MacAddress.ToText)],
        Vendor = d.Vendor,
        RandomizedMac = d.RandomizedMac,
        KeyedBy = d.KeyedByAddress ? "ip" : "mac",
        Name = d.Name,
        Group = d.Group,
        Ips = [.. d.Addresses.Select(a => a.ToString())],
        Names = [.. d.Names.OrderBy(kv => kv.Key).Select(kv => new DeviceNameView(kv.Value, DeviceNameSources.Name(kv.Key)))],
        IsRouter = d.IsRouter,
        VendorClass = d.VendorClass,
        FirstSeen = Time(d.FirstSeenNs),
        LastSeen = Time(d.LastSeenNs),
        BytesUp = d.BytesUp,
        BytesDown = d.BytesDown,
        PacketsUp = d.PacketsUp,
        PacketsDown = d.PacketsDown,
        Flows = d.Flows,
        Destinations = d.Destinations,
        Countries = new SortedDictionary<string, long>(d.Countries.ToDictionary(), StringComparer.Ordinal),
    };

    private static DateTimeOffset Time(long ns) => DateTimeOffset.UnixEpoch.AddTicks(ns / 100);

    /// <summary>Writes every device, most traffic first, as a JSON array.</summary>
    public static void WriteAll(string path, IEnumerable<Device> devices)
    {
        var views = devices.OrderByDescending(d => d.BytesUp + d.BytesDown).ThenBy(d => d.Id, StringComparer.Ordinal).Select(From).ToList();
        JsonOutput.Write(path, views);
    }
}

internal sealed record DeviceNameView(string Name, string Source);
