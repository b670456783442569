using TapSensor.Sinks.Influx.LineProtocol;

namespace TapSensor.Sinks.Influx.Spool;

/// <summary>The spool without a directory: the same bound and order, in memory; lost at exit (the sink counts what is left as dropped).</summary>
internal sealed class MemorySpool : ISpool
{
    private readonly LinkedList<(SpoolEntry Entry, byte[] Body)> _entries = new();
    private readonly long _maxBytes;
    private readonly object _gate = new();
    private long _sequence;
    private long _points;
    private long _bytes;

    public MemorySpool(long maxBytes) => _maxBytes = maxBytes;

    public long Points { get { lock (_gate) return _points; } }
    public long Bytes { get { lock (_gate) return _bytes; } }
    public int Count { get { lock (_gate) return _entries.Count; } }
    public bool Durable => false;
    public long MaxBytes => _maxBytes;
    public string? LastError => null;

    public int Append(ReadOnlySpan<byte> gzipBody, int points, TimestampPrecision precision, out bool stored)
    {
        lock (_gate)
        {
            stored = false;
            if (gzipBody.Length > _maxBytes) return points;
            int dropped = 0;
            while (_entries.Count > 0 && _bytes + gzipBody.Length > _maxBytes)
            {
                var oldest = _entries.First!.Value.Entry;
                _entries.RemoveFirst();
                _points -= oldest.Points;
                _bytes -= oldest.Bytes;
                dropped += oldest.Points;
            }
            var entry = new SpoolEntry(++_sequence, points, precision, gzipBody.Length);
            _entries.AddLast((entry, gzipBody.ToArray()));
            _points += points;
            _bytes += gzipBody.Length;
            stored = true;
            return dropped;
        }
    }

    public bool TryPeekOldest(out SpoolEntry entry)
    {
        lock (_gate)
        {
            entry = _entries.First?.Value.Entry ?? default;
            return _entries.Count > 0;
        }
    }

    public byte[]? Read(SpoolEntry entry)
    {
        lock (_gate)
        {
            foreach (var (e, body) in _entries)
                if (e.Sequence == entry.Sequence) return body;
            return null;
        }
    }

    public void Remove(SpoolEntry entry)
    {
        lock (_gate)
        {
            for (var node = _entries.First; node is not null; node = node.Next)
            {
                if (node.Value.Entry.Sequence != entry.Sequence) continue;
                _entries.Remove(node);
                _points -= entry.Points;
                _bytes -= entry.Bytes;
                return;
            }
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _entries.Clear();
            _points = _bytes = 0;
        }
    }
}
