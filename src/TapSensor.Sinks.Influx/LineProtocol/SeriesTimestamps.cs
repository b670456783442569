using System.Buffers.Binary;
using System.Numerics;

namespace TapSensor.Sinks.Influx.LineProtocol;

/// <summary>
/// Keeps points of one series from sharing a timestamp by accident. InfluxDB identifies a point by its series
/// (measurement and tag set) and its timestamp; a second point with both equal silently replaces the first
/// one's fields. Two flows of one device, protocol and country starting in the same microsecond, or two
/// records truncated to the same second, would otherwise overwrite each other and the sums would come out
/// short.
/// <para>
/// How: every (series, timestamp) written recently is remembered; a point that would reuse one moves one
/// unit of the precision later, until it is free. Why not the alternatives: "last timestamp per series, bump
/// if not newer" assumes points arrive in time order, but flow records do not (a long flow ends long after
/// short ones that started later, and its point carries its start time); a unique id as a tag would make
/// every point its own series, the unbounded cardinality InfluxDB warns against; as a field it does not help,
/// because fields of colliding points are merged, not kept apart.
/// </para>
/// <para>
/// Bounded: entries older than <c>window</c> units behind the newest timestamp seen are forgotten (records of a
/// flow arrive at most the active timeout plus an idle timeout after their start), and at most
/// <c>capacity</c> entries are kept, the oldest going first. A collision with an entry already forgotten is
/// not caught; <see cref="Forgotten"/> counts forgotten entries so a too-small bound shows. Keys are a 64-bit
/// hash of series and timestamp; a false match merely moves a point by one unit.
/// </para>
/// Not thread-safe: one instance per writing thread.
/// </summary>
internal sealed class SeriesTimestamps
{
    private readonly HashSet<ulong> _used;
    private readonly Queue<(long Timestamp, ulong Key)> _order;
    private readonly int _capacity;
    private readonly long _window;
    private long _newest = long.MinValue;

    /// <param name="window">How far behind the newest timestamp entries are kept, in units of the precision.</param>
    /// <param name="capacity">Most entries kept.</param>
    public SeriesTimestamps(long window, int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(window);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        _window = window;
        _capacity = capacity;
        _used = new HashSet<ulong>(Math.Min(capacity, 4096));
        _order = new Queue<(long, ulong)>(Math.Min(capacity, 4096));
    }

    /// <summary>Points moved to a later timestamp.</summary>
    public long Moved { get; private set; }

    /// <summary>Entries dropped because the capacity was reached (not merely aged out of the window).</summary>
    public long Forgotten { get; private set; }

    public int Count => _used.Count;

    /// <summary>Returns the timestamp to write for a point of series <paramref name="seriesHash"/> wanting <paramref name="timestamp"/>.</summary>
    public long Claim(ulong seriesHash, long timestamp)
    {
        long t = timestamp;
        while (!_used.Add(Mix(seriesHash, t)))
        {
            t++;
            Moved++;
        }
        _order.Enqueue((t, Mix(seriesHash, t)));
        if (t > _newest) _newest = t;
        Trim();
        return t;
    }

    private void Trim()
    {
        long horizon = _newest - _window;
        while (_order.Count > 0)
        {
            var (ts, key) = _order.Peek();
            bool full = _order.Count > _capacity;
            if (!full && ts >= horizon) break;
            _order.Dequeue();
            _used.Remove(key);
            if (full && ts >= horizon) Forgotten++;
        }
    }

    /// <summary>splitmix64 finaliser over the series hash and the timestamp.</summary>
    private static ulong Mix(ulong series, long timestamp)
    {
        ulong z = series ^ ((ulong)timestamp * 0x9E3779B97F4A7C15UL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>A 64-bit hash of a series key (the line's bytes up to the space before the fields).</summary>
    public static ulong Hash(ReadOnlySpan<byte> series)
    {
        const ulong Prime = 0x9E3779B185EBCA87UL;
        ulong h = 0xCBF29CE484222325UL ^ (ulong)series.Length;
        while (series.Length >= 8)
        {
            h = BitOperations.RotateLeft((h ^ BinaryPrimitives.ReadUInt64LittleEndian(series)) * Prime, 31);
            series = series[8..];
        }
        ulong tail = 0;
        for (int i = 0; i < series.Length; i++) tail |= (ulong)series[i] << (8 * i);
        h = (h ^ tail) * Prime;
        h ^= h >> 29;
        h *= 0xBF58476D1CE4E5B9UL;
        return h ^ (h >> 32);
    }
}
