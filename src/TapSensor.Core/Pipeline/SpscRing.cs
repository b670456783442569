using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace TapSensor.Core.Pipeline;

/// <summary>
/// Fixed-capacity single-producer/single-consumer ring of references. <see cref="TryEnqueue"/> fails when
/// the ring is full instead of growing or waiting (JCTools' SpscArrayQueue.offer). The producer and consumer
/// indices sit on separate cache lines and each side keeps a stale copy of the other's index, refreshed
/// only when the ring looks full or empty (see the header of the runtime's SingleProducerConsumerQueue).
/// Publication is a release store of the index after the slot write; the other side loads it with acquire.
/// </summary>
public sealed class SpscRing<T> where T : class
{
    private readonly T?[] _slots;
    private readonly long _mask;
    private RingIndices _i;

    public SpscRing(int capacity)
    {
        if (capacity < 2 || (capacity & (capacity - 1)) != 0)
            throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "Ring capacity must be a power of two of at least 2.");
        _slots = new T?[capacity];
        _mask = capacity - 1;
    }

    public int Capacity => _slots.Length;

    /// <summary>Approximate number of items (exact when called from either side while the other is idle).</summary>
    public int Count => (int)(Volatile.Read(ref _i.Tail) - Volatile.Read(ref _i.Head));

    /// <summary>Producer side. Returns false, without waiting, when the ring is full.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryEnqueue(T item)
    {
        long tail = _i.Tail;
        if (tail - _i.HeadCache >= _slots.Length)
        {
            _i.HeadCache = Volatile.Read(ref _i.Head);
            if (tail - _i.HeadCache >= _slots.Length) return false;
        }
        _slots[tail & _mask] = item;
        Volatile.Write(ref _i.Tail, tail + 1);
        return true;
    }

    /// <summary>Consumer side. Returns false when the ring is empty.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryDequeue(out T item)
    {
        long head = _i.Head;
        if (head >= _i.TailCache)
        {
            _i.TailCache = Volatile.Read(ref _i.Tail);
            if (head >= _i.TailCache)
            {
                item = null!;
                return false;
            }
        }
        long slot = head & _mask;
        item = _slots[slot]!;
        _slots[slot] = null;
        Volatile.Write(ref _i.Head, head + 1);
        return true;
    }

}

/// <summary>Producer index, consumer index and their cached copies, each pair on its own cache line.</summary>
[StructLayout(LayoutKind.Explicit, Size = 256)]
internal struct RingIndices
{
    [FieldOffset(64)] public long Tail;       // written by the producer
    [FieldOffset(72)] public long HeadCache;  // producer's stale copy of Head
    [FieldOffset(128)] public long Head;      // written by the consumer
    [FieldOffset(136)] public long TailCache; // consumer's stale copy of Tail
}
