using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using TapSensor.Core.Flows;

namespace TapSensor.Core.Tests.Sinks;

/// <summary>Builds final flow records from readable endpoints for the record-formatting and sink tests.</summary>
internal static class Records
{
    public const byte Icmp = 1;
    public const byte Tcp = 6;
    public const byte Udp = 17;
    public const byte IcmpV6 = 58;

    /// <summary>A final (FIN) record from <paramref name="orig"/> to <paramref name="resp"/>, one packet each way unless changed.</summary>
    public static FlowRecord Between(byte protocol, string orig, ushort origPort, string resp, ushort respPort, ushort vlan = 0)
    {
        (ulong oHi, ulong oLo, byte oFamily) = Split(IPAddress.Parse(orig));
        (ulong rHi, ulong rLo, byte rFamily) = Split(IPAddress.Parse(resp));
        if (oFamily != rFamily) throw new ArgumentException("both endpoints must be of one address family");

        FlowKey key = FlowKey.Create(oHi, oLo, origPort, rHi, rLo, respPort, protocol, oFamily, vlan, out bool origIsA);
        return new FlowRecord
        {
            Key = key,
            OrigIsA = origIsA,
            Reason = CloseReason.Fin,
            FirstNs = 1_700_000_000_123_456_789,
            LastNs = 1_700_000_001_623_456_789,
            OrigPkts = 1,
            RespPkts = 1,
        };
    }

    private static (ulong Hi, ulong Lo, byte Family) Split(IPAddress address)
    {
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            Span<byte> v4 = stackalloc byte[4];
            address.TryWriteBytes(v4, out _);
            return (0, FlowKey.V4Lo(BinaryPrimitives.ReadUInt32BigEndian(v4)), 4);
        }
        Span<byte> v6 = stackalloc byte[16];
        address.TryWriteBytes(v6, out _);
        return (BinaryPrimitives.ReadUInt64BigEndian(v6), BinaryPrimitives.ReadUInt64BigEndian(v6[8..]), 6);
    }
}
