namespace TapSensor.Sinks.Influx;

/// <summary>
/// What happened to every point, totals since start. Each point ends in exactly one of written, rejected and
/// dropped, or is still pending (open batch, queue or spool), so
/// <c>produced + spool_points_at_start = written + rejected + dropped + pending</c>; retried, spooled and
/// replayed count events along the way (a point retried twice counts twice). Updated from the aggregator and
/// the writer thread with interlocked adds (batch rate, not point rate); read from any thread.
/// </summary>
internal sealed class InfluxCounters
{
    private long _produced;
    private long _written;
    private long _rejected;
    private long _dropped;
    private long _retried;
    private long _spooled;
    private long _replayed;
    private long _batchesWritten;
    private long _batchesFailed;
    private long _timestampsMoved;
    private long _spoolPointsAtStart;

    /// <summary>Points serialized into batches.</summary>
    public long Produced => Volatile.Read(ref _produced);
    /// <summary>Points InfluxDB accepted (live or replayed from the spool).</summary>
    public long Written => Volatile.Read(ref _written);
    /// <summary>Points InfluxDB refused (malformed, type conflict, outside retention): they will never be accepted.</summary>
    public long Rejected => Volatile.Read(ref _rejected);
    /// <summary>Points lost here: spool over its bound, queue full without a spool, spool unwritable.</summary>
    public long Dropped => Volatile.Read(ref _dropped);
    /// <summary>Points sent again after a failed attempt.</summary>
    public long Retried => Volatile.Read(ref _retried);
    /// <summary>Points put in the spool.</summary>
    public long Spooled => Volatile.Read(ref _spooled);
    /// <summary>Points from the spool that InfluxDB accepted.</summary>
    public long Replayed => Volatile.Read(ref _replayed);
    public long BatchesWritten => Volatile.Read(ref _batchesWritten);
    /// <summary>Write attempts that failed (transient errors, configuration errors, rejections).</summary>
    public long BatchesFailed => Volatile.Read(ref _batchesFailed);
    /// <summary>Points moved one or more units later so as not to overwrite a point of the same series.</summary>
    public long TimestampsMoved => Volatile.Read(ref _timestampsMoved);
    /// <summary>Points found in the spool directory at start (left by an earlier run).</summary>
    public long SpoolPointsAtStart => Volatile.Read(ref _spoolPointsAtStart);

    internal void AddProduced(long n) => Interlocked.Add(ref _produced, n);
    internal void AddWritten(long n) => Interlocked.Add(ref _written, n);
    internal void AddRejected(long n) => Interlocked.Add(ref _rejected, n);
    internal void AddDropped(long n) => Interlocked.Add(ref _dropped, n);
    internal void AddRetried(long n) => Interlocked.Add(ref _retried, n);
    internal void AddSpooled(long n) => Interlocked.Add(ref _spooled, n);
    internal void AddReplayed(long n) => Interlocked.Add(ref _replayed, n);
    internal void AddBatchWritten() => Interlocked.Increment(ref _batchesWritten);
    internal void AddBatchFailed() => Interlocked.Increment(ref _batchesFailed);
    internal void SetTimestampsMoved(long n) => Volatile.Write(ref _timestampsMoved, n);
    internal void SetSpoolPointsAtStart(long n) => Volatile.Write(ref _spoolPointsAtStart, n);
}
