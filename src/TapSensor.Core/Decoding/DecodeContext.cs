using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using TapSensor.Core.Flows;
using TapSensor.Core.Packets;

namespace TapSensor.Core.Decoding;

/// <summary>
/// Decoding state of one frame, passed by reference from stage to stage. It holds the cursor (next layer and its
/// offset), the window of bytes that belong to the packet being read, and the fields of the summary found so far.
/// <para>
/// The window: bytes [<see cref="Offset"/>, <see cref="CapturedEnd"/>) are present in <see cref="Frame"/>;
/// <see cref="WireEnd"/> is where the packet ends on the wire. Length fields (IP, PPPoE) only ever shrink the
/// window, so padding after a packet is never read as payload and no length field can point past the frame.
/// Invariant: 0 &lt;= CapturedEnd &lt;= Frame.Length and CapturedEnd &lt;= WireEnd.
/// </para>
/// </summary>
internal ref struct DecodeContext
{
    public DecodeContext(ReadOnlySpan<byte> frame, int wireLength, long timestampNs, FragmentTable fragments, DecodeCounters counters)
    {
        Frame = frame;
        TimestampNs = timestampNs;
        Fragments = fragments;
        Counters = counters;
        CapturedEnd = frame.Length;
        WireEnd = wireLength > frame.Length ? wireLength : frame.Length;
    }

    public readonly ReadOnlySpan<byte> Frame;
    public readonly long TimestampNs;
    public readonly FragmentTable Fragments;
    public readonly DecodeCounters Counters;

    public Layer Next;
    public int Offset;
    public int CapturedEnd;
    public int WireEnd;
    /// <summary>The EtherType handed to <see cref="Layer.EtherType"/>.</summary>
    public ushort EtherType;
    /// <summary>802.1Q tags read after the current link header.</summary>
    public int VlanTags;
    public int TunnelDepth;

    public ulong SrcMac;
    public ulong DstMac;
    public bool HasMac;
    public ushort Vlan;

    /// <summary>An IP header was decoded; its fields below are a usable key even if what follows is not IP.</summary>
    public bool HasIp;
    public ulong SrcHi;
    public ulong SrcLo;
    public ulong DstHi;
    public ulong DstLo;
    public ushort SrcPort;
    public ushort DstPort;
    public byte Protocol;
    public byte Family;
    public byte TcpFlags;
    public PacketFlags Flags;
    /// <summary>The snap length cut the current IP packet short.</summary>
    public bool Truncated;
    public int IpLength;
    public int PayloadLength;
    public int PayloadStart;
    public int PayloadCaptured;
    /// <summary>Offset of an ARP message met at an EtherType outside any tunnel, 0 when none.</summary>
    public int ArpOffset;

    /// <summary>Bytes present from <paramref name="offset"/> to the end of the window; negative when past it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly int Available(int offset) => CapturedEnd - offset;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly ushort U16(int offset) => BinaryPrimitives.ReadUInt16BigEndian(Frame.Slice(offset, 2));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly uint U32(int offset) => BinaryPrimitives.ReadUInt32BigEndian(Frame.Slice(offset, 4));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly ulong U64(int offset) => BinaryPrimitives.ReadUInt64BigEndian(Frame.Slice(offset, 8));

    /// <summary>A 48-bit MAC address as a number, first octet most significant.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly ulong Mac(int offset) => ((ulong)U32(offset) << 16) | U16(offset + 4);

    /// <summary>Ends the window at <paramref name="end"/> if that is earlier (a length field said so).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Narrow(int end)
    {
        if (end < WireEnd) WireEnd = end;
        if (end < CapturedEnd) CapturedEnd = end;
    }

    /// <summary>Starts a new IP packet: a previous one means this one was tunnelled inside it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void EnterIp(byte family, int length, int end)
    {
        if (HasIp) Flags |= PacketFlags.Tunnelled;
        HasIp = true;
        Family = family;
        IpLength = length;
        Narrow(end);
        Truncated = CapturedEnd < WireEnd;
        SrcPort = 0;
        DstPort = 0;
        TcpFlags = 0;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void SetIpv4Addresses(uint src, uint dst)
    {
        SrcHi = 0;
        SrcLo = FlowKey.V4Lo(src);
        DstHi = 0;
        DstLo = FlowKey.V4Lo(dst);
    }

    /// <summary>Records where the transport payload starts and how long the headers say it is.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void SetPayload(int start, int declaredLength, bool keepBytes)
    {
        PayloadLength = declaredLength > 0 ? declaredLength : 0;
        if (start > CapturedEnd) start = CapturedEnd;
        PayloadStart = start;
        PayloadCaptured = keepBytes ? CapturedEnd - start : 0;
    }
}
