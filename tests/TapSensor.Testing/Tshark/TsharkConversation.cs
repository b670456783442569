using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using TapSensor.Core.Flows;

namespace TapSensor.Testing.Tshark;

/// <summary>
/// What tshark reports for one normalised 5-tuple (protocol, address/port pairs; VLAN ignored).
/// Endpoint A is the lesser (address, port), exactly as in <see cref="FlowKey"/>, so a flow record's
/// key (with its VLAN dropped, see <see cref="KeyOf"/>) finds its conversation, and
/// <see cref="FlowRecord.OrigIsA"/> says which direction is the originator's.
/// </summary>
public sealed class TsharkConversation
{
    internal TsharkConversation(FlowKey key) => Key = key;

    /// <summary>Normalised key with VLAN 0.</summary>
    public FlowKey Key { get; }

    public string Protocol => FlowKey.ProtocolName(Key.Protocol);

    /// <summary>Frames from A to B and from B to A, summed over the conv rows of this 5-tuple: the contract.</summary>
    public long PacketsAToB { get; internal set; }
    public long PacketsBToA { get; internal set; }
    public long Packets => PacketsAToB + PacketsBToA;

    /// <summary>
    /// Rows of the conv table merged into this conversation. More than one means tshark split the
    /// 5-tuple, typically a TCP port reused for a new connection; the sensor may split it too (a new
    /// record after FIN/RST) or not (a SYN inside a lingering flow), so compare sums, not records.
    /// </summary>
    public int Rows { get; internal set; }

    /// <summary>
    /// Sums of IP lengths (ip.len, or ipv6.plen + 40) per direction over the frames the field pass
    /// attributed: Zeek's orig_ip_bytes/resp_ip_bytes definition. For a tunnelled frame it is the inner
    /// IP header's length; for a fragmented datagram tshark shows the transport only in the frame
    /// that completed reassembly, and the length is that last fragment's, not the datagram's.
    /// </summary>
    public long IpBytesAToB { get; internal set; }
    public long IpBytesBToA { get; internal set; }
    public long IpBytes => IpBytesAToB + IpBytesBToA;

    /// <summary>Frames per direction that the field pass attributed to this 5-tuple.</summary>
    public long FieldPacketsAToB { get; internal set; }
    public long FieldPacketsBToA { get; internal set; }

    /// <summary>
    /// True when the field pass attributed exactly the frames the conv table counted, per direction:
    /// then the byte sums cover the same packets as the packet counts and can be compared as they are.
    /// </summary>
    public bool BytesExact => FieldPacketsAToB == PacketsAToB && FieldPacketsBToA == PacketsBToA;

    /// <summary>Attributed frames whose transport sat under more than one IP header.</summary>
    public long TunnelledPackets { get; internal set; }

    /// <summary>Attributed frames that were IP fragments (IPv4 MF or offset, IPv6 fragment header).</summary>
    public long FragmentedPackets { get; internal set; }

    /// <summary>
    /// Safe to compare packets and IP bytes with a sensor that neither reassembles nor decapsulates
    /// differently from tshark: exact byte sums, no fragments, no tunnels.
    /// </summary>
    public bool IsPlain => BytesExact && FragmentedPackets == 0 && TunnelledPackets == 0;

    public long PacketsFrom(bool fromA) => fromA ? PacketsAToB : PacketsBToA;

    public long IpBytesFrom(bool fromA) => fromA ? IpBytesAToB : IpBytesBToA;

    public override string ToString() =>
        $"{Key} packets {PacketsAToB}/{PacketsBToA} ip_bytes {IpBytesAToB}/{IpBytesBToA}"
        + (BytesExact ? "" : $" (field pass {FieldPacketsAToB}/{FieldPacketsBToA})")
        + (Rows > 1 ? $" rows {Rows}" : "")
        + (TunnelledPackets > 0 ? $" tunnelled {TunnelledPackets}" : "")
        + (FragmentedPackets > 0 ? $" fragmented {FragmentedPackets}" : "");

    /// <summary>The key tshark's tables would use for <paramref name="key"/>: the same, with VLAN 0.</summary>
    public static FlowKey KeyOf(in FlowKey key) =>
        FlowKey.Create(key.AHi, key.ALo, key.PortA, key.BHi, key.BLo, key.PortB, key.Protocol, key.Family, 0, out _);

    /// <summary>Normalised key of a packet from <paramref name="src"/> to <paramref name="dst"/>; srcIsA tells the direction.</summary>
    public static FlowKey KeyOf(byte protocol, IPAddress src, ushort srcPort, IPAddress dst, ushort dstPort, out bool srcIsA)
    {
        (ulong sHi, ulong sLo, byte sFamily) = Split(src);
        (ulong dHi, ulong dLo, byte dFamily) = Split(dst);
        if (sFamily != dFamily) throw new ArgumentException($"mixed address families: {src} and {dst}");
        return FlowKey.Create(sHi, sLo, srcPort, dHi, dLo, dstPort, protocol, sFamily, 0, out srcIsA);
    }

    private static (ulong Hi, ulong Lo, byte Family) Split(IPAddress address)
    {
        Span<byte> b = stackalloc byte[16];
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            address.TryWriteBytes(b, out _);
            return (0, FlowKey.V4Lo(BinaryPrimitives.ReadUInt32BigEndian(b)), 4);
        }
        address.TryWriteBytes(b, out _);
        return (BinaryPrimitives.ReadUInt64BigEndian(b), BinaryPrimitives.ReadUInt64BigEndian(b[8..]), 6);
    }
}
