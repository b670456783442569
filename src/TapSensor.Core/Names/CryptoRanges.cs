using System.Runtime.CompilerServices;

namespace TapSensor.Core.Names;

/// <summary>
/// The filled parts of a CRYPTO stream buffer: up to <see cref="Capacity"/> sorted, disjoint, non-adjacent
/// [start, end) ranges, stored inline so that an assembly needs no extra allocation. Frames that would need a
/// range beyond the capacity are not recorded (their bytes count as missing), which bounds the work per frame.
/// </summary>
internal struct CryptoRanges
{
    /// <summary>Chrome cuts its ClientHello into a handful of CRYPTO frames; merging keeps far fewer ranges open.</summary>
    public const int Capacity = 32;

    private RangeArray _ranges;
    private int _count;

    public readonly int Count => _count;

    /// <summary>Length of the filled prefix: the end of a range starting at 0, else 0.</summary>
    public readonly int ContiguousLength => _count > 0 && _ranges[0].Start == 0 ? _ranges[0].End : 0;

    /// <summary>End of the last range: every filled byte lies below it.</summary>
    public readonly int End => _count > 0 ? _ranges[_count - 1].End : 0;

    public void Clear() => _count = 0;

    /// <summary>Marks [start, end) filled, merging with overlapping and adjacent ranges. False when a new range would not fit.</summary>
    public bool Add(int start, int end)
    {
        if (start >= end) return true;
        int first = 0;
        while (first < _count && _ranges[first].End < start) first++;
        int last = first; // one past the last range that touches [start, end)
        while (last < _count && _ranges[last].Start <= end) last++;

        if (first == last)
        {
            if (_count == Capacity) return false;
            for (int i = _count; i > first; i--) _ranges[i] = _ranges[i - 1];
            _ranges[first] = new Range(start, end);
            _count++;
            return true;
        }

        _ranges[first] = new Range(Math.Min(start, _ranges[first].Start), Math.Max(end, _ranges[last - 1].End));
        int removed = last - first - 1;
        if (removed > 0)
        {
            for (int i = first + 1; i + removed < _count; i++) _ranges[i] = _ranges[i + removed];
            _count -= removed;
        }
        return true;
    }

    internal readonly record struct Range(int Start, int End);

    [InlineArray(Capacity)]
    private struct RangeArray
    {
        private Range _element;
    }
}
