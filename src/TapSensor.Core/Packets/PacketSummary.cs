using System.Runtime.InteropServices;
using TapSensor.Core.Flows;

namespace TapSensor.Core.Packets;

/// <summary>
/// What the capture thread hands a flow worker for one packet: a small copy, never a reference into
/// the capture buffer (that buffer is reused by the next read).
/// </summary>
[StructLayout(LayoutKind.Sequential)]
public struct PacketSummary
{
    /// <summary>Packet time, nanoseconds since the Unix epoch (from the capture header, never the wall clock).</summary>
    public long TimestampNs;
    public FlowKey Key;
    /// <summary><see cref="FlowHash.Compute"/> of <see cref="Key"/>.</summary>
    public ulong Hash;
    /// <summary>Ethernet source and destination as 48-bit numbers (first octet most significant); 0 when the link has none.</summary>
    public ulong SrcMac;
    public ulong DstMac;
    /// <summary>Frame length on the wire (pcap orig_len).</summary>
    public int WireLength;
    /// <summary>IP length of the (innermost) packet from its header: IPv4 total length, or IPv6 payload length + 40.</summary>
    public int IpLength;
    /// <summary>Transport payload length from the headers (IP length minus IP and transport headers), never negative.</summary>
    public int PayloadLength;
    /// <summary>Offset of the captured payload bytes in the batch's payload slab, or -1 when none were kept.</summary>
    public int PayloadOffset;
    /// <summary>Number of payload bytes kept in the slab.</summary>
    public ushort PayloadKept;
    /// <summary>TCP flags (FIN 0x01, SYN 0x02, RST 0x04, PSH 0x08, ACK 0x10, URG 0x20, ECE 0x40, CWR 0x80); 0 otherwise.</summary>
    public byte TcpFlags;
    public PacketFlags Flags;

    public readonly bool SrcIsA => (Flags & PacketFlags.SrcIsA) != 0;
}

[Flags]
public enum PacketFlags : byte
{
    None = 0,
    /// <summary>The packet's source is endpoint A of the normalised key.</summary>
    SrcIsA = 1,
    /// <summary>An IPv4/IPv6 fragment (first or later).</summary>
    Fragment = 2,
    /// <summary>The packet was carried in a tunnel (GRE, IP-in-IP, ...); the key is the inner packet's.</summary>
    Tunnelled = 4,
    /// <summary>The frame was cut short by the snap length.</summary>
    Truncated = 8,
    /// <summary>Not a flow packet: a link-layer message (ARP) carried to a worker for device discovery only.</summary>
    LinkOnly = 16,
}
