using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using TapSensor.Core.Flows;
using TapSensor.Core.Packets;

namespace TapSensor.Core.Tests.Flows;

/// <summary>Builds <see cref="PacketSummary"/> values the way the decoder would, with a pinned hash seed.</summary>
internal static class FlowTestPackets
{
    public const ulong Seed = 0x7A95_E45E_0F10_77ABUL;
    public const long Ms = 1_000_000;
    public const long Second = 1_000_000_000;
    /// <summary>2023-11-14T22:13:20Z: an arbitrary start for packet times.</summary>
    public const long T0 = 1_700_000_000 * Second;

    public const byte Fin = 0x01, Syn = 0x02, Rst = 0x04, Psh = 0x08, Ack = 0x10;
    public const byte Tcp = 6, Udp = 17, Icmp = 1, Gre = 47;

    public static PacketSummary Packet(string src, ushort srcPort, string dst, ushort dstPort, byte protocol,
        long ts, byte tcpFlags = 0, int payload = 0, ushort vlan = 0)
    {
        var (srcHi, srcLo, family) = Address(src);
        var (dstHi, dstLo, _) = Address(dst);
        var key = FlowKey.Create(srcHi, srcLo, srcPort, dstHi, dstLo, dstPort, protocol, family, vlan, out bool srcIsA);
        int transportHeader = protocol switch { Tcp => 20, Udp => 8, Icmp => 8, _ => 0 };
        return new PacketSummary
        {
            TimestampNs = ts,
            Key = key,
            Hash = FlowHash.Compute(in key, Seed),
            SrcMac = Mac(srcLo),
            DstMac = Mac(dstLo),
            IpLength = (family == 4 ? 20 : 40) + transportHeader + payload,
            WireLength = 14 + (family == 4 ? 20 : 40) + transportHeader + payload,
            PayloadLength = payload,
            PayloadOffset = -1,
            TcpFlags = tcpFlags,
            Flags = srcIsA ? PacketFlags.SrcIsA : PacketFlags.None,
        };
    }

    /// <summary>A locally administered MAC derived from the address, so each host has its own.</summary>
    public static ulong Mac(ulong addressLo) => 0x0200_0000_0000UL | (addressLo & 0xFFFF_FFFFUL);

    public static (ulong Hi, ulong Lo, byte Family) Address(string text)
    {
        var ip = IPAddress.Parse(text);
        Span<byte> b = stackalloc byte[16];
        if (ip.AddressFamily == AddressFamily.InterNetwork)
        {
            ip.TryWriteBytes(b, out _);
            return (0, FlowKey.V4Lo(BinaryPrimitives.ReadUInt32BigEndian(b)), 4);
        }
        ip.TryWriteBytes(b, out _);
        return (BinaryPrimitives.ReadUInt64BigEndian(b), BinaryPrimitives.ReadUInt64BigEndian(b[8..]), 6);
    }

    public static FlowTableOptions Options(int maxFlows = 1024) => new() { MaxFlows = maxFlows };
}

/// <summary>Both directions of one conversation: the client is the side that should come out as originator.</summary>
internal sealed class Conversation(string client, ushort clientPort, string server, ushort serverPort,
    byte protocol = FlowTestPackets.Tcp, ushort vlan = 0)
{
    public PacketSummary FromClient(long ts, byte flags = 0, int payload = 0) =>
        FlowTestPackets.Packet(client, clientPort, server, serverPort, protocol, ts, flags, payload, vlan);

    public PacketSummary FromServer(long ts, byte flags = 0, int payload = 0) =>
        FlowTestPackets.Packet(server, serverPort, client, clientPort, protocol, ts, flags, payload, vlan);

    public FlowKey Key => FromClient(0).Key;
}

/// <summary>Keeps every record a shard writes, with the packet time the test says it is (<see cref="Now"/>).</summary>
internal sealed class RecordingWriter : IFlowRecordWriter
{
    public List<FlowRecord> Records { get; } = [];
    public List<long> EmittedAt { get; } = [];
    public long Now { get; set; }

    public void Write(in FlowRecord record)
    {
        Records.Add(record);
        EmittedAt.Add(Now);
    }

    public List<FlowRecord> Finals => Records.Where(r => r.IsFinal).ToList();

    public List<FlowRecord> Interims => Records.Where(r => !r.IsFinal).ToList();

    public FlowRecord SingleFinal() => Assert.Single(Finals);
}
