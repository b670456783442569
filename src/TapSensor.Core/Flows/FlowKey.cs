using System.Buffers.Binary;
using System.Net;
using System.Runtime.CompilerServices;

namespace TapSensor.Core.Flows;

/// <summary>
/// Normalised flow key: both directions of a conversation produce the same key. Endpoint A is the
/// lesser of the two (address, port) pairs, so the key alone does not say who originated the flow;
/// <see cref="PacketSummary.SrcIsA"/> and <see cref="FlowRecord.OrigIsA"/> carry the direction.
/// Addresses are 16 bytes held as two big-endian halves (IPv4 as ::ffff:a.b.c.d, RFC 4291 §2.5.5.2),
/// so comparing (Hi, Lo) numerically orders addresses the way their bytes do.
/// </summary>
public readonly struct FlowKey : IEquatable<FlowKey>
{
    public readonly ulong AHi;
    public readonly ulong ALo;
    public readonly ulong BHi;
    public readonly ulong BLo;
    public readonly ushort PortA;
    public readonly ushort PortB;
    public readonly byte Protocol;
    /// <summary>4 or 6.</summary>
    public readonly byte Family;
    /// <summary>Innermost 802.1Q VLAN id, 0 when untagged.</summary>
    public readonly ushort Vlan;

    private FlowKey(ulong aHi, ulong aLo, ushort portA, ulong bHi, ulong bLo, ushort portB, byte protocol, byte family, ushort vlan)
    {
        AHi = aHi; ALo = aLo; PortA = portA;
        BHi = bHi; BLo = bLo; PortB = portB;
        Protocol = protocol; Family = family; Vlan = vlan;
    }

    /// <summary>IPv4-mapped high half is 0; low half is 0x0000_FFFF_xxxx_xxxx.</summary>
    public const ulong V4MappedPrefix = 0x0000_FFFF_0000_0000UL;

    public static ulong V4Lo(uint addressBigEndianValue) => V4MappedPrefix | addressBigEndianValue;

    /// <summary>Builds the normalised key from a packet's source and destination.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static FlowKey Create(ulong srcHi, ulong srcLo, ushort srcPort, ulong dstHi, ulong dstLo, ushort dstPort,
        byte protocol, byte family, ushort vlan, out bool srcIsA)
    {
        srcIsA = Compare(srcHi, srcLo, srcPort, dstHi, dstLo, dstPort) <= 0;
        return srcIsA
            ? new FlowKey(srcHi, srcLo, srcPort, dstHi, dstLo, dstPort, protocol, family, vlan)
            : new FlowKey(dstHi, dstLo, dstPort, srcHi, srcLo, srcPort, protocol, family, vlan);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Compare(ulong aHi, ulong aLo, ushort aPort, ulong bHi, ulong bLo, ushort bPort)
    {
        if (aHi != bHi) return aHi < bHi ? -1 : 1;
        if (aLo != bLo) return aLo < bLo ? -1 : 1;
        return aPort.CompareTo(bPort);
    }

    public bool Equals(FlowKey other) =>
        AHi == other.AHi && ALo == other.ALo && BHi == other.BHi && BLo == other.BLo
        && PortA == other.PortA && PortB == other.PortB && Protocol == other.Protocol && Vlan == other.Vlan
        && Family == other.Family;

    public override bool Equals(object? obj) => obj is FlowKey k && Equals(k);

    public override int GetHashCode() => (int)FlowHash.Compute(in this, 0);

    public static bool operator ==(FlowKey left, FlowKey right) => left.Equals(right);
    public static bool operator !=(FlowKey left, FlowKey right) => !left.Equals(right);

    /// <summary>Cold path: the address of endpoint A or B as an <see cref="IPAddress"/>.</summary>
    public IPAddress AddressA => ToAddress(AHi, ALo, Family);
    public IPAddress AddressB => ToAddress(BHi, BLo, Family);

    public static IPAddress ToAddress(ulong hi, ulong lo, byte family)
    {
        if (family == 4) return new IPAddress(BinaryPrimitives.ReverseEndianness((uint)lo));
        Span<byte> b = stackalloc byte[16];
        BinaryPrimitives.WriteUInt64BigEndian(b, hi);
        BinaryPrimitives.WriteUInt64BigEndian(b[8..], lo);
        return new IPAddress(b);
    }

    /// <summary>Cold path: writes the 4 or 16 address bytes of an endpoint, returns the count.</summary>
    public static int WriteAddressBytes(ulong hi, ulong lo, byte family, Span<byte> destination)
    {
        if (family == 4)
        {
            BinaryPrimitives.WriteUInt32BigEndian(destination, (uint)lo);
            return 4;
        }
        BinaryPrimitives.WriteUInt64BigEndian(destination, hi);
        BinaryPrimitives.WriteUInt64BigEndian(destination[8..], lo);
        return 16;
    }

    public override string ToString() =>
        $"{ProtocolName(Protocol)} {Format(AddressA, PortA)} <-> {Format(AddressB, PortB)}" + (Vlan != 0 ? $" vlan {Vlan}" : "");

    private static string Format(IPAddress a, ushort port) =>
        a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{a}]:{port}" : $"{a}:{port}";

    public static string ProtocolName(byte protocol) => protocol switch
    {
        1 => "icmp",
        6 => "tcp",
        17 => "udp",
        58 => "icmp",
        132 => "sctp",
        _ => "unknown_transport",
    };
}
