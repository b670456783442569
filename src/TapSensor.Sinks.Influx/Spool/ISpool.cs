using TapSensor.Sinks.Influx.LineProtocol;

namespace TapSensor.Sinks.Influx.Spool;

/// <summary>A spooled batch: gzipped line protocol with its point count and timestamp precision.</summary>
internal readonly record struct SpoolEntry(long Sequence, int Points, TimestampPrecision Precision, long Bytes);

/// <summary>
/// Batches that could not be delivered, oldest first, within a byte bound. Appending past the bound drops the
/// oldest entries (and reports their points); an entry larger than the whole bound is dropped itself.
/// Thread-safe: the aggregator spools when the queue is full, the writer when the server is away.
/// </summary>
internal interface ISpool : IDisposable
{
    /// <summary>Points, bytes and entries held now.</summary>
    long Points { get; }
    long Bytes { get; }
    int Count { get; }

    /// <summary>The bound, in bytes (0: nothing can be spooled).</summary>
    long MaxBytes { get; }

    /// <summary>True if entries survive the process (on disk).</summary>
    bool Durable { get; }

    /// <summary>
    /// Adds an entry; returns how many points were dropped to stay within the bound: older entries' or, when it alone
    /// is larger than the bound (<paramref name="stored"/> false), its own.
    /// </summary>
    int Append(ReadOnlySpan<byte> gzipBody, int points, TimestampPrecision precision, out bool stored);

    /// <summary>Why the last failed append failed, when it was not the bound (an I/O error); null otherwise.</summary>
    string? LastError { get; }

    bool TryPeekOldest(out SpoolEntry entry);

    /// <summary>The gzipped body of <paramref name="entry"/>; null if it is gone (dropped meanwhile) or unreadable.</summary>
    byte[]? Read(SpoolEntry entry);

    /// <summary>Removes <paramref name="entry"/> if it is still there.</summary>
    void Remove(SpoolEntry entry);
}
