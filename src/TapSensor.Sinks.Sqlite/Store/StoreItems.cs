using TapSensor.Core.Devices;
using TapSensor.Core.Discovery;
using TapSensor.Core.Flows;
using TapSensor.Core.Packets;

namespace TapSensor.Sinks.Sqlite.Store;

/// <summary>
/// What travels from the aggregator thread to the store's writer: a copy of a final record with the household's
/// words already taken out of the (aggregator-owned) <see cref="Device"/>, a device snapshot, or a meta value.
/// </summary>
internal readonly struct StoreItem
{
    public readonly FlowRecord Record;
    public readonly string? DeviceId;
    public readonly string? DeviceName;
    public readonly bool LocalIsOrig;
    public readonly bool HasRecord;
    public readonly DeviceSnapshot? Device;
    public readonly KeyValuePair<string, string>? Meta;

    private StoreItem(in FlowRecord record, string? deviceId, string? deviceName, bool localIsOrig, bool hasRecord, DeviceSnapshot? device,
        KeyValuePair<string, string>? meta)
    {
        Record = record;
        DeviceId = deviceId;
        DeviceName = deviceName;
        LocalIsOrig = localIsOrig;
        HasRecord = hasRecord;
        Device = device;
        Meta = meta;
    }

    /// <summary>Copies a record on the aggregator thread; the copy keeps no reference to the mutable device.</summary>
    public static StoreItem Of(in FlowRecord r, DeviceSnapshot? device)
    {
        var copy = r;
        copy.Device = null;
        return new StoreItem(in copy, r.Device?.Id, r.Device?.Name, FlowAddress.LocalIsOriginator(in r), true, device, null);
    }

    public static StoreItem OfDevice(DeviceSnapshot device) => new(default, null, null, false, false, device, null);

    public static StoreItem OfMeta(string key, string value) => new(default, null, null, false, false, null, new(key, value));
}

/// <summary>A device as the <c>devices</c> table holds it, copied on the aggregator thread.</summary>
internal sealed record DeviceSnapshot(
    string Id,
    string? Mac,
    string? Name,
    string? NameSource,
    string? Vendor,
    string? Group,
    bool Randomized,
    string KeyedBy,
    bool IsRouter,
    long FirstNs,
    long LastNs,
    string Addresses,
    long BytesUp,
    long BytesDown,
    long PacketsUp,
    long PacketsDown,
    long Flows)
{
    public static DeviceSnapshot Of(Device d) => new(
        d.Id,
        d.Mac == 0 ? null : MacAddress.ToText(d.Mac),
        d.Name,
        d.NameSource is { } s ? DeviceNameSources.Name(s) : null,
        d.Vendor,
        d.Group,
        d.RandomizedMac,
        d.KeyedByAddress ? "ip" : "mac",
        d.IsRouter,
        d.FirstSeenNs,
        d.LastSeenNs,
        string.Join(' ', d.Addresses.Select(a => a.ToString())),
        d.BytesUp,
        d.BytesDown,
        d.PacketsUp,
        d.PacketsDown,
        d.Flows);
}
