using System.Buffers.Binary;
using System.Net;
using TapSensor.Core.Flows;

namespace TapSensor.Sinks.Influx.Tests.Infrastructure;

/// <summary>Builds flow records for tests.</summary>
internal static class Records
{
    /// <summary>2026-01-01T00:00:00Z in Unix nanoseconds.</summary>
    public const long T0 = 1_767_225_600_000_000_000;

    public static (ulong Hi, ulong Lo, byte Family) Address(string text)
    {
        var ip = IPAddress.Parse(text);
        var bytes = ip.GetAddressBytes();
        if (bytes.Length == 4) return (0, FlowKey.V4Lo(BinaryPrimitives.ReadUInt32BigEndian(bytes)), 4);
        return (BinaryPrimitives.ReadUInt64BigEndian(bytes), BinaryPrimitives.ReadUInt64BigEndian(bytes.AsSpan(8)), 6);
    }

    /// <summary>A final record whose deltas equal its totals (no interim report before it).</summary>
    public static FlowRecord Final(string orig = "192.168.1.10", ushort origPort = 51514, string resp = "203.0.113.7", ushort respPort = 443,
        byte protocol = 6, long firstNs = T0, long lastNs = T0 + 1_500_000_000, long origPkts = 10, long respPkts = 12,
        long origIpBytes = 1_000, long respIpBytes = 20_000, long origBytes = 480, long respBytes = 19_376,
        CloseReason reason = CloseReason.Fin, ulong origMac = 0x0200_0000_0001, ulong respMac = 0x0200_0000_00FE)
    {
        var r = Interim(orig, origPort, resp, respPort, protocol, firstNs, lastNs, origPkts, respPkts, origIpBytes, respIpBytes, origBytes, respBytes, origMac, respMac);
        r.Reason = reason;
        return r;
    }

    public static FlowRecord Interim(string orig = "192.168.1.10", ushort origPort = 51514, string resp = "203.0.113.7", ushort respPort = 443,
        byte protocol = 6, long firstNs = T0, long lastNs = T0 + 1_500_000_000, long origPkts = 10, long respPkts = 12,
        long origIpBytes = 1_000, long respIpBytes = 20_000, long origBytes = 480, long respBytes = 19_376,
        ulong origMac = 0x0200_0000_0001, ulong respMac = 0x0200_0000_00FE)
    {
        var o = Address(orig);
        var s = Address(resp);
        var key = FlowKey.Create(o.Hi, o.Lo, origPort, s.Hi, s.Lo, respPort, protocol, o.Family, 0, out bool origIsA);
        return new FlowRecord
        {
            Key = key,
            OrigIsA = origIsA,
            Reason = CloseReason.None,
            FirstNs = firstNs,
            LastNs = lastNs,
            OrigPkts = origPkts,
            RespPkts = respPkts,
            OrigIpBytes = origIpBytes,
            RespIpBytes = respIpBytes,
            OrigBytes = origBytes,
            RespBytes = respBytes,
            DeltaOrigPkts = origPkts,
            DeltaRespPkts = respPkts,
            DeltaOrigIpBytes = origIpBytes,
            DeltaRespIpBytes = respIpBytes,
            OrigMac = origMac,
            RespMac = respMac,
            History = FlowHistory.FirstWasSyn | FlowHistory.OrigSyn | FlowHistory.RespSynAck | FlowHistory.OrigAck
                      | FlowHistory.OrigFin | FlowHistory.RespFin | FlowHistory.OrigData | FlowHistory.RespData,
        };
    }

    /// <summary>Many distinct final records, one per source port, all in one series (same device and protocol).</summary>
    public static FlowRecord[] Many(int n, long spacingNs = 1_000_000)
    {
        var records = new FlowRecord[n];
        for (int i = 0; i < n; i++)
            records[i] = Final(origPort: (ushort)(10_000 + i % 50_000), firstNs: T0 + i * spacingNs, lastNs: T0 + i * spacingNs + 1_000_000,
                origIpBytes: 100 + i, respIpBytes: 1000 + i);
        return records;
    }
}
