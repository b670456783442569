using System.Runtime.CompilerServices;

namespace TapSensor.Core.Flows;

/// <summary>
/// Open-addressed array of <see cref="FlowEntry"/> structs for one shard: linear probing from a home slot
/// picked by multiply-shift on the low 32 hash bits (so the capacity need not be a power of two), and
/// backward-shift deletion, so there are no tombstones and a lookup stops at the first empty slot.
/// Zeek's dictionary (zeek/zeek src/Dict.h, RemoveAndRelocate) refills a hole from the cluster after it
/// the same way; we do not keep its Robin Hood order, so the shift scans to the next empty slot.
/// The load factor stays at or below 0.75 (<see cref="SlotsFor"/>), which guarantees an empty slot, so
/// every probe loop below ends within <see cref="Capacity"/> steps.
/// Single writer, no locks: only the shard's worker thread touches it.
/// </summary>
internal sealed class FlowTable
{
    private FlowEntry[] _entries;

    public FlowTable(int initialCapacity, int maxCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCapacity, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(initialCapacity, 2);
        MaxCapacity = maxCapacity;
        _entries = new FlowEntry[Math.Min(initialCapacity, maxCapacity)];
    }

    /// <summary>Slots needed to hold <paramref name="flows"/> entries at load factor 0.75: ceil(flows · 4 / 3).</summary>
    public static int SlotsFor(int flows) => (int)Math.Min(Array.MaxLength, ((long)Math.Max(flows, 2) * 4 + 2) / 3);

    public int Count { get; private set; }
    public int Capacity => _entries.Length;
    public int MaxCapacity { get; }
    /// <summary>Longest distance from home slot at which any entry was ever placed (a high-water mark).</summary>
    public int LongestProbe { get; private set; }
    public long MemoryBytes => (long)_entries.Length * Unsafe.SizeOf<FlowEntry>();

    /// <summary>The table is at its load bound for the current capacity and may still grow.</summary>
    public bool NeedsGrowth => (long)(Count + 1) * 4 > (long)_entries.Length * 3 && _entries.Length < MaxCapacity;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Home(uint hash) => (int)(((ulong)hash * (ulong)(uint)_entries.Length) >> 32);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ref FlowEntry EntryAt(int slot) => ref _entries[slot];

    /// <summary>
    /// The slot holding <paramref name="key"/>, or -1 with <paramref name="emptySlot"/> set to where it
    /// would be inserted (the first empty slot of its probe sequence).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Find(in FlowKey key, uint hash, out int emptySlot)
    {
        FlowEntry[] entries = _entries;
        int capacity = entries.Length;
        int slot = Home(hash);
        for (int probe = 0; probe < capacity; probe++)
        {
            ref FlowEntry e = ref entries[slot];
            if (!e.IsUsed)
            {
                emptySlot = slot;
                return -1;
            }
            if (e.Hash == hash && e.Key.Equals(key))
            {
                emptySlot = -1;
                return slot;
            }
            if (++slot == capacity) slot = 0;
        }
        emptySlot = -1;
        return -1;
    }

    /// <summary>First empty slot of the probe sequence of <paramref name="hash"/>.</summary>
    public int FindEmpty(uint hash) => FindEmpty(_entries, Home(hash));

    private static int FindEmpty(FlowEntry[] entries, int home)
    {
        int capacity = entries.Length;
        int slot = home;
        for (int probe = 0; probe < capacity; probe++)
        {
            if (!entries[slot].IsUsed) return slot;
            if (++slot == capacity) slot = 0;
        }
        return -1;
    }

    /// <summary>Claims an empty slot found by <see cref="Find"/> or <see cref="FindEmpty(uint)"/>.</summary>
    public ref FlowEntry Insert(int emptySlot, in FlowKey key, uint hash)
    {
        ref FlowEntry e = ref _entries[emptySlot];
        e.Key = key;
        e.Hash = hash;
        e.Flags = FlowEntryFlags.Used;
        Count++;
        int distance = Distance(Home(hash), emptySlot, _entries.Length);
        if (distance > LongestProbe) LongestProbe = distance;
        return ref e;
    }

    /// <summary>
    /// Empties <paramref name="slot"/> and closes the gap: walking the cluster after it, every entry whose
    /// home is not cyclically between the hole and its own slot moves back into the hole, and the hole moves
    /// on to where it was. Entries only ever move closer to home.
    /// </summary>
    public void RemoveAt(int slot)
    {
        FlowEntry[] entries = _entries;
        int capacity = entries.Length;
        int hole = slot;
        int next = slot;
        for (int step = 1; step < capacity; step++)
        {
            if (++next == capacity) next = 0;
            ref FlowEntry e = ref entries[next];
            if (!e.IsUsed) break;
            if (Distance(Home(e.Hash), next, capacity) >= Distance(hole, next, capacity))
            {
                entries[hole] = e;
                hole = next;
            }
        }
        entries[hole] = default;
        Count--;
    }

    /// <summary>
    /// The entry to evict so a key with <paramref name="hash"/> can come in when the table is full: the least
    /// recently seen of the entries on the key's own probe path (from its home slot up to the first empty
    /// slot) within <paramref name="window"/> slots. Then <paramref name="onPath"/> is true and the new key
    /// may simply take the victim's slot, which leaves the clusters as they were. Evicting from elsewhere and
    /// inserting at the end of the path would, flood after flood, merge clusters into ever longer runs.
    /// When the home slot itself is empty, the least recently seen entry anywhere in the window (or, if the
    /// window is empty too, the next entry after it) goes instead. Returns -1 only for an empty table.
    /// </summary>
    public int EvictionCandidate(uint hash, int window, out bool onPath)
    {
        FlowEntry[] entries = _entries;
        int capacity = entries.Length;
        int home = Home(hash);
        int slot = home;
        int best = -1;
        long bestNs = long.MaxValue;
        int span = Math.Min(window, capacity);
        onPath = entries[home].IsUsed;
        for (int i = 0; i < span; i++)
        {
            ref FlowEntry e = ref entries[slot];
            if (!e.IsUsed)
            {
                if (onPath) return best; // end of the probe path
            }
            else if (e.LastNs < bestNs || best < 0)
            {
                best = slot;
                bestNs = e.LastNs;
            }
            if (++slot == capacity) slot = 0;
        }
        if (best >= 0) return best;
        for (int i = span; i < capacity; i++)
        {
            if (entries[slot].IsUsed) return slot;
            if (++slot == capacity) slot = 0;
        }
        return -1;
    }

    /// <summary>
    /// Gives the slot of an evicted entry to a new key whose probe path passes through it
    /// (see <see cref="EvictionCandidate"/>): no entry moves and the count stays the same.
    /// </summary>
    public void Replace(int slot, in FlowKey key, uint hash)
    {
        ref FlowEntry e = ref _entries[slot];
        e = default;
        e.Key = key;
        e.Hash = hash;
        e.Flags = FlowEntryFlags.Used;
        int distance = Distance(Home(hash), slot, _entries.Length);
        if (distance > LongestProbe) LongestProbe = distance;
    }

    /// <summary>
    /// Doubles the capacity (up to <see cref="MaxCapacity"/>) and re-inserts every entry. Allocates: growth is
    /// rare, a handful of times while a table warms up, never in steady state.
    /// </summary>
    public void Grow()
    {
        int capacity = (int)Math.Min(MaxCapacity, (long)_entries.Length * 2);
        if (capacity <= _entries.Length) return;
        FlowEntry[] old = _entries;
        var entries = new FlowEntry[capacity];
        _entries = entries;
        for (int i = 0; i < old.Length; i++)
        {
            ref FlowEntry e = ref old[i];
            if (!e.IsUsed) continue;
            int home = Home(e.Hash);
            int slot = FindEmpty(entries, home);
            entries[slot] = e;
            int distance = Distance(home, slot, capacity);
            if (distance > LongestProbe) LongestProbe = distance;
        }
    }

    public void Clear()
    {
        Array.Clear(_entries);
        Count = 0;
    }

    /// <summary>Cyclic distance from slot <paramref name="from"/> forward to slot <paramref name="to"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Distance(int from, int to, int capacity) => to >= from ? to - from : to + capacity - from;
}
