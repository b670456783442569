using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace TapSensor.Geo;

/// <summary>
/// Bounded per-address result cache: set-associative (8 ways) with a CLOCK hand per set. A hit reads at most 8
/// slots without a lock and allocates nothing; it only sets the slot's reference bit. Inserts (on a miss, which
/// has just read a database and is far slower anyway) take a lock, look for a free way, and otherwise sweep the
/// set's hand, clearing reference bits, to the first way not used since the hand last passed (second chance).
/// Entries are immutable objects published by a single reference write, so a reader sees either the old entry or
/// the new one, never a torn key.
/// </summary>
internal sealed class GeoCache
{
    public const int Ways = 8;

    private sealed class Entry(ulong hi, ulong lo, GeoResult result)
    {
        public readonly ulong Hi = hi;
        public readonly ulong Lo = lo;
        public readonly GeoResult Result = result;
    }

    private readonly Entry?[] _slots;
    private readonly byte[] _referenced;
    private readonly byte[] _hands;
    private readonly uint _sets;
    private readonly Lock _insertGate = new();

    public GeoCache(int capacity)
    {
        _sets = (uint)Math.Max(1, capacity / Ways);
        _slots = new Entry?[_sets * Ways];
        _referenced = new byte[_slots.Length];
        _hands = new byte[_sets];
    }

    public int Capacity => _slots.Length;

    /// <summary>Entries held now (a scan: for tests and reports, not the lookup path).</summary>
    public int Count
    {
        get
        {
            int n = 0;
            foreach (var e in _slots) if (e is not null) n++;
            return n;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int FirstSlot(ulong hi, ulong lo)
    {
        // HashCode is seeded per process, so remote addresses chosen by someone else cannot aim at one set.
        uint h = (uint)HashCode.Combine(hi, lo);
        return (int)(((ulong)h * _sets) >> 32) * Ways; // Lemire's multiply-shift range reduction
    }

    public bool TryGet(ulong hi, ulong lo, [NotNullWhen(true)] out GeoResult? result)
    {
        int first = FirstSlot(hi, lo);
        var slots = _slots;
        for (int i = first; i < first + Ways; i++)
        {
            var e = Volatile.Read(ref slots[i]);
            if (e is not null && e.Hi == hi && e.Lo == lo)
            {
                if (_referenced[i] == 0) _referenced[i] = 1; // benign race: a lost bit only costs one second chance
                result = e.Result;
                return true;
            }
        }
        result = null;
        return false;
    }

    /// <summary>Adds a result unless the address is already there; returns the cached instance either way.</summary>
    public GeoResult GetOrAdd(ulong hi, ulong lo, GeoResult result, out bool evicted)
    {
        evicted = false;
        int first = FirstSlot(hi, lo);
        lock (_insertGate)
        {
            int free = -1;
            for (int i = first; i < first + Ways; i++)
            {
                var e = _slots[i];
                if (e is null)
                {
                    if (free < 0) free = i;
                }
                else if (e.Hi == hi && e.Lo == lo)
                {
                    return e.Result; // another thread resolved the same address first
                }
            }
            if (free < 0)
            {
                int set = first / Ways;
                int hand = _hands[set];
                // At most one lap clears every bit; readers may set bits again meanwhile, so cap the sweep at two laps.
                for (int step = 0; step < 2 * Ways && _referenced[first + hand] != 0; step++)
                {
                    _referenced[first + hand] = 0;
                    hand = (hand + 1) % Ways;
                }
                free = first + hand;
                _hands[set] = (byte)((hand + 1) % Ways);
                evicted = true;
            }
            _referenced[free] = 0;
            Volatile.Write(ref _slots[free], new Entry(hi, lo, result));
            return result;
        }
    }
}
