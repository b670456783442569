namespace TapSensor.Core.Pipeline;

/// <summary>How packets travel from the capture thread to the flow workers.</summary>
internal sealed class PipelineOptions
{
    /// <summary>Flow workers (shards). With 1 the worker runs inline on the capture thread, with no ring.</summary>
    public int Workers { get; set; } = 1;

    /// <summary>Summaries per batch: one ring operation carries this many packets.</summary>
    public int BatchSize { get; set; } = 256;

    /// <summary>Batches each shard's ring holds before the capture thread must drop (live) or wait (file).</summary>
    public int RingBatches { get; set; } = 64;

    /// <summary>
    /// Learn names: copy the payload of discovery, DNS, TLS, HTTP and QUIC packets for the workers' parsers.
    /// Off, the pipeline counts flows only (the baseline of the name-learning benchmark).
    /// </summary>
    public bool LearnNames { get; set; } = true;

    /// <summary>Payload bytes each batch can carry for the name parsers; a fuller batch is handed over early.</summary>
    public int PayloadSlabBytes { get; set; } = 32 * 1024;

    /// <summary>The slab each batch is allocated with: none when names are not learned.</summary>
    internal int SlabBytes => LearnNames ? PayloadSlabBytes : 0;

    /// <summary>
    /// What the capture thread does when a worker's ring is full. Live capture must drop (a passive sensor
    /// never pushes back into the kernel buffer); a file has no buffer to overflow, so reading waits and
    /// loses nothing.
    /// </summary>
    public bool WaitWhenFull { get; set; }

    /// <summary>
    /// Partly filled batches are handed over after this much packet time, so a quiet shard's clock (and so
    /// its expiry and interim reports) keeps up with the busy ones.
    /// </summary>
    public TimeSpan MaxBatchAge { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Records per chunk handed from a worker to the aggregator (256 × ~170 B stays off the large-object heap).</summary>
    public int RecordChunkSize { get; set; } = 256;

    /// <summary>
    /// Chunks the aggregator's queue holds; all chunks are allocated at start (about 50 KB each). 16 chunks are
    /// 4096 records: seconds of a household's flow endings, and over a second of a SYN flood's evictions.
    /// </summary>
    public int RecordQueueChunks { get; set; } = 16;

    /// <summary>Seed of the flow hash. Drawn at random unless pinned (tests, 1-vs-N comparisons).</summary>
    public ulong? HashSeed { get; set; }

    public IEnumerable<string> Validate()
    {
        if (Workers is < 1 or > 64)
            yield return $"Pipeline:Workers must be between 1 and 64; got {Workers}";
        if (BatchSize is < 16 or > 65536)
            yield return $"Pipeline:BatchSize must be between 16 and 65536; got {BatchSize}";
        if (RingBatches < 2 || (RingBatches & (RingBatches - 1)) != 0)
            yield return $"Pipeline:RingBatches must be a power of two of at least 2; got {RingBatches}";
        if (PayloadSlabBytes is < 4096 or > 16 * 1024 * 1024)
            yield return $"Pipeline:PayloadSlabBytes must be between 4096 and 16777216; got {PayloadSlabBytes}";
        if (MaxBatchAge <= TimeSpan.Zero || MaxBatchAge > TimeSpan.FromSeconds(10))
            yield return $"Pipeline:MaxBatchAge must be between 0 and 10 s; got {MaxBatchAge}";
        if (RecordChunkSize is < 16 or > 65536)
            yield return $"Pipeline:RecordChunkSize must be between 16 and 65536; got {RecordChunkSize}";
        if (RecordQueueChunks < 2)
            yield return $"Pipeline:RecordQueueChunks must be at least 2; got {RecordQueueChunks}";
    }
}
