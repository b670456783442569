using System.Buffers;

namespace TapSensor.Sinks.Influx.LineProtocol;

/// <summary>
/// A growable byte buffer rented from <see cref="ArrayPool{T}.Shared"/>: line protocol is written into it as
/// UTF-8, and a gzip body or a spool segment can be built in another. Growing rents a larger array and returns
/// the old one; <see cref="Dispose"/> returns the array. Not thread-safe.
/// </summary>
internal sealed class PointBuffer : IBufferWriter<byte>, IDisposable
{
    private byte[] _array;
    private int _length;

    public PointBuffer(int initialCapacity = 64 * 1024) => _array = ArrayPool<byte>.Shared.Rent(Math.Max(256, initialCapacity));

    public int Length => _length;
    public int Capacity => _array.Length;
    public ReadOnlySpan<byte> WrittenSpan => _array.AsSpan(0, _length);
    public ReadOnlyMemory<byte> WrittenMemory => _array.AsMemory(0, _length);

    /// <summary>The backing array (valid up to <see cref="Length"/>) for APIs that take an array segment.</summary>
    internal byte[] Array => _array;

    public void Advance(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (_length + count > _array.Length) throw new InvalidOperationException("advanced past the end of the buffer");
        _length += count;
    }

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _array.AsMemory(_length);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _array.AsSpan(_length);
    }

    public void Write(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(GetSpan(bytes.Length));
        _length += bytes.Length;
    }

    public void WriteByte(byte b)
    {
        if (_length == _array.Length) Ensure(1);
        _array[_length++] = b;
    }

    /// <summary>Forgets everything written; keeps the array.</summary>
    public void Clear() => _length = 0;

    /// <summary>Cuts the content back to <paramref name="length"/> bytes (to undo a line that was not finished).</summary>
    public void Truncate(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, _length);
        _length = length;
    }

    private void Ensure(int sizeHint)
    {
        int need = Math.Max(1, sizeHint);
        if (_array.Length - _length >= need) return;
        long wanted = Math.Max((long)_array.Length * 2, (long)_length + need);
        if (wanted > System.Array.MaxLength) wanted = Math.Max(System.Array.MaxLength, _length + need);
        var bigger = ArrayPool<byte>.Shared.Rent((int)wanted);
        _array.AsSpan(0, _length).CopyTo(bigger);
        ArrayPool<byte>.Shared.Return(_array);
        _array = bigger;
    }

    public void Dispose()
    {
        var array = _array;
        _array = [];
        _length = 0;
        if (array.Length > 0) ArrayPool<byte>.Shared.Return(array);
    }
}
