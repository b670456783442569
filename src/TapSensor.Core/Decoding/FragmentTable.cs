using TapSensor.Core.Flows;

namespace TapSensor.Core.Decoding;

/// <summary>
/// Remembers the ports of recent first fragments so that later fragments of the same datagram join its flow
/// without reassembly. Keyed as reassembly is (RFC 791 §3.2: source, destination, protocol, identification;
/// RFC 8200 §4.5: source, destination, identification). Direct-mapped and fixed in size: a new first fragment
/// overwrites whatever shares its slot, and entries older than the reassembly time no longer match.
/// The decoder owns one table; only the capture thread touches it.
/// </summary>
internal sealed class FragmentTable
{
    /// <summary>Slots (a power of two). A household rarely has more than a few datagrams in flight in pieces.</summary>
    public const int Capacity = 256;

    /// <summary>Linux's default reassembly time (net.ipv4.ipfrag_time, 30 s); RFC 791 suggests 15 s as the floor.</summary>
    public const long MaxAgeNs = 30L * 1_000_000_000;

    private readonly Slot[] _slots = new Slot[Capacity];
    private readonly ulong _seed;

    private struct Slot
    {
        public ulong SrcHi, SrcLo, DstHi, DstLo;
        public long TimeNs;
        public uint Id;
        public ushort SrcPort, DstPort;
        public byte Protocol;
        public bool Used;
    }

    /// <param name="seed">Mixed into the slot choice so crafted fragments cannot aim at one slot.</param>
    public FragmentTable(ulong seed) => _seed = seed;

    /// <summary>Stores the ports of a first fragment; true when it displaced a live entry of another datagram.</summary>
    public bool Remember(ulong srcHi, ulong srcLo, ulong dstHi, ulong dstLo, uint id, byte protocol, ushort srcPort, ushort dstPort, long timeNs)
    {
        ref Slot slot = ref _slots[Index(srcHi, srcLo, dstHi, dstLo, id, protocol)];
        bool displaced = slot.Used && IsFresh(slot.TimeNs, timeNs) && !Matches(in slot, srcHi, srcLo, dstHi, dstLo, id, protocol);
        slot.SrcHi = srcHi;
        slot.SrcLo = srcLo;
        slot.DstHi = dstHi;
        slot.DstLo = dstLo;
        slot.Id = id;
        slot.Protocol = protocol;
        slot.SrcPort = srcPort;
        slot.DstPort = dstPort;
        slot.TimeNs = timeNs;
        slot.Used = true;
        return displaced;
    }

    /// <summary>Finds the ports of the datagram a later fragment belongs to.</summary>
    public bool TryRecall(ulong srcHi, ulong srcLo, ulong dstHi, ulong dstLo, uint id, byte protocol, long timeNs, out ushort srcPort, out ushort dstPort)
    {
        ref Slot slot = ref _slots[Index(srcHi, srcLo, dstHi, dstLo, id, protocol)];
        if (slot.Used && IsFresh(slot.TimeNs, timeNs) && Matches(in slot, srcHi, srcLo, dstHi, dstLo, id, protocol))
        {
            srcPort = slot.SrcPort;
            dstPort = slot.DstPort;
            return true;
        }
        srcPort = 0;
        dstPort = 0;
        return false;
    }

    // Packet time, not wall clock; a little reordering between capture queues may also run time backwards.
    private static bool IsFresh(long storedNs, long nowNs)
    {
        long age = nowNs - storedNs;
        return age <= MaxAgeNs && age >= -MaxAgeNs;
    }

    private static bool Matches(in Slot slot, ulong srcHi, ulong srcLo, ulong dstHi, ulong dstLo, uint id, byte protocol) =>
        slot.Id == id && slot.Protocol == protocol && slot.SrcLo == srcLo && slot.DstLo == dstLo
        && slot.SrcHi == srcHi && slot.DstHi == dstHi;

    // The flow hash, seeded, over the datagram's identity (identification split across the two port fields).
    private int Index(ulong srcHi, ulong srcLo, ulong dstHi, ulong dstLo, uint id, byte protocol)
    {
        FlowKey key = FlowKey.Create(srcHi, srcLo, (ushort)(id >> 16), dstHi, dstLo, (ushort)id, protocol, 0, 0, out _);
        return (int)(FlowHash.Compute(in key, _seed) & (Capacity - 1));
    }
}
