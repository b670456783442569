using System.Buffers.Binary;
using System.Net;
using TapSensor.Core.Devices;
using TapSensor.Core.Flows;

namespace TapSensor.Sinks.Sqlite.Tests.Infrastructure;

/// <summary>Builds enriched flow records (device, name, place) for the store's tests.</summary>
internal static class Records
{
    /// <summary>2026-01-01T00:00:00Z in Unix nanoseconds.</summary>
    public const long T0 = 1_767_225_600_000_000_000;
    public const long Second = 1_000_000_000;
    public const long Hour = 3600 * Second;
    public const long Day = 24 * Hour;

    public static (ulong Hi, ulong Lo, byte Family) Address(string text)
    {
        var bytes = IPAddress.Parse(text).GetAddressBytes();
        if (bytes.Length == 4) return (0, FlowKey.V4Lo(BinaryPrimitives.ReadUInt32BigEndian(bytes)), 4);
        return (BinaryPrimitives.ReadUInt64BigEndian(bytes), BinaryPrimitives.ReadUInt64BigEndian(bytes.AsSpan(8)), 6);
    }

    public static Device Device(string id, string? name = null, ulong mac = 0x0200_0000_0001)
    {
        var d = new Device(id, mac, keyedByAddress: false, T0);
        if (name is not null) d.SetName(Core.Discovery.DeviceNameSource.DhcpHostname, name);
        return d;
    }

    public static RemoteLocation Place(string country, long asn, string org, double lat = 50.11, double lon = 8.68, string city = "Frankfurt am Main") =>
        new(country, null, city, lat, lon, 20, asn, org);

    /// <summary>
    /// A final TCP record from <paramref name="local"/> (the device's end, the originator unless <paramref name="deviceIsOrig"/>
    /// is false) to <paramref name="remote"/>, <paramref name="up"/> IP bytes sent by the device and <paramref name="down"/> received.
    /// </summary>
    public static FlowRecord Final(Device? device, long firstNs, long up = 1_000, long down = 20_000, string local = "192.168.1.10",
        ushort localPort = 51514, string remote = "203.0.113.7", ushort remotePort = 443, string? name = null, RemoteLocation? place = null,
        bool deviceIsOrig = true, byte protocol = 6, CloseReason reason = CloseReason.Fin, string? service = "https")
    {
        var (oa, op, ra, rp) = deviceIsOrig ? (local, localPort, remote, remotePort) : (remote, remotePort, local, localPort);
        var o = Address(oa);
        var s = Address(ra);
        var key = FlowKey.Create(o.Hi, o.Lo, op, s.Hi, s.Lo, rp, protocol, o.Family, 0, out bool origIsA);
        long origIp = deviceIsOrig ? up : down, respIp = deviceIsOrig ? down : up;
        return new FlowRecord
        {
            Key = key,
            OrigIsA = origIsA,
            Reason = reason,
            FirstNs = firstNs,
            LastNs = firstNs + 2 * Second,
            OrigPkts = 10,
            RespPkts = 12,
            OrigIpBytes = origIp,
            RespIpBytes = respIp,
            OrigBytes = Math.Max(0, origIp - 400),
            RespBytes = Math.Max(0, respIp - 480),
            DeltaOrigPkts = 10,
            DeltaRespPkts = 12,
            DeltaOrigIpBytes = origIp,
            DeltaRespIpBytes = respIp,
            OrigMac = 0x0200_0000_0001,
            RespMac = 0x0200_0000_00FE,
            History = FlowHistory.FirstWasSyn | FlowHistory.OrigSyn | FlowHistory.RespSynAck | FlowHistory.OrigAck
                      | FlowHistory.OrigFin | FlowHistory.RespFin | FlowHistory.OrigData | FlowHistory.RespData,
            Device = device,
            DeviceIsOrig = deviceIsOrig,
            RemoteName = name,
            RemoteNameSource = name is null ? RemoteNameSource.None : RemoteNameSource.TlsSni,
            Location = place,
            Service = service,
        };
    }
}
