using System.Collections.Concurrent;

namespace TapSensor.Core.Pipeline;

/// <summary>
/// The bounded queue of record chunks from the workers to the aggregator, with the pool the chunks return to.
/// It runs at flow rate, not packet rate. The aggregator is one dedicated thread that parks on an event when
/// the queue is empty: a reader on the thread pool would be woken for every chunk, and the pool's idle workers
/// spin between wake-ups, which on a two-core machine takes CPU from the capture thread.
/// </summary>
internal sealed class RecordHandoff
{
    private readonly ConcurrentQueue<FlowRecordChunk> _queue = new();
    private readonly ConcurrentQueue<FlowRecordChunk> _free = new();
    private readonly ManualResetEventSlim _wake = new(false);
    private readonly int _chunkSize;
    private readonly int _capacity;
    private readonly bool _wait;
    private int _queued;
    private int _parked;
    private int _completed;
    private long _droppedRecords;
    private long _publishedRecords;
    private long _droppedObservations;

    public RecordHandoff(int chunkSize, int capacity, bool waitWhenFull, int producers = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _chunkSize = chunkSize;
        _capacity = capacity;
        _wait = waitWhenFull;
        // Every chunk that can be in flight exists from the start (queued, plus one being filled and one
        // being drained per producer), so steady state allocates nothing.
        for (int i = 0; i < capacity + 2 * producers + 1; i++) _free.Enqueue(new FlowRecordChunk(chunkSize));
    }

    /// <summary>Records dropped because the aggregator fell behind during live capture.</summary>
    public long DroppedRecords => Volatile.Read(ref _droppedRecords);

    public long PublishedRecords => Volatile.Read(ref _publishedRecords);

    /// <summary>Observations lost with dropped chunks (live capture, aggregator behind).</summary>
    public long DroppedObservations => Volatile.Read(ref _droppedObservations);

    /// <summary>Chunks waiting for the aggregator.</summary>
    public int Queued => Volatile.Read(ref _queued);

    private bool Completed => Volatile.Read(ref _completed) != 0;

    public FlowRecordChunk Rent()
    {
        if (_free.TryDequeue(out var chunk))
        {
            chunk.Clear();
            return chunk;
        }
        return new FlowRecordChunk(_chunkSize);
    }

    public void Return(FlowRecordChunk chunk)
    {
        chunk.Clear();
        _free.Enqueue(chunk);
    }

    /// <summary>Hands a chunk to the aggregator. Reading a file waits for room; live capture drops and counts.</summary>
    public void Publish(FlowRecordChunk chunk)
    {
        int count = chunk.Count;
        if (TryEnqueue(chunk))
        {
            Interlocked.Add(ref _publishedRecords, count);
            return;
        }
        if (_wait)
        {
            // Waiting on a worker thread is acceptable when reading a file: nothing overflows upstream.
            var spinner = new SpinWait();
            while (!TryEnqueue(chunk))
            {
                if (Completed)
                {
                    // Cannot happen in order (the queue completes after the workers stop), but never lose silently.
                    Interlocked.Add(ref _droppedRecords, count);
                    Interlocked.Add(ref _droppedObservations, chunk.Observations.Count);
                    return;
                }
                spinner.SpinOnce();
            }
            Interlocked.Add(ref _publishedRecords, count);
            return;
        }
        Interlocked.Add(ref _droppedRecords, count);
        Interlocked.Add(ref _droppedObservations, chunk.Observations.Count);
        Return(chunk);
    }

    private bool TryEnqueue(FlowRecordChunk chunk)
    {
        if (Completed) return false;
        if (Interlocked.Increment(ref _queued) > _capacity)
        {
            Interlocked.Decrement(ref _queued);
            return false;
        }
        _queue.Enqueue(chunk);
        // A full fence so the read of _parked cannot move before the enqueue: with Take's announce-then-look, one of
        // the two sides always sees the other, and a parked aggregator is never left asleep beside a queued chunk.
        Interlocked.MemoryBarrier();
        if (Volatile.Read(ref _parked) != 0) _wake.Set();
        return true;
    }

    /// <summary>
    /// The aggregator's side: the next chunk, waiting for one while the queue is open. False once the queue is
    /// completed and empty.
    /// </summary>
    public bool Take(out FlowRecordChunk chunk)
    {
        var spinner = new SpinWait();
        while (true)
        {
            if (_queue.TryDequeue(out chunk!))
            {
                Interlocked.Decrement(ref _queued);
                return true;
            }
            if (Completed)
            {
                // A publish that raced the completion is still taken.
                if (_queue.TryDequeue(out chunk!))
                {
                    Interlocked.Decrement(ref _queued);
                    return true;
                }
                chunk = null!;
                return false;
            }
            if (!spinner.NextSpinWillYield)
            {
                spinner.SpinOnce(sleep1Threshold: -1);
                continue;
            }
            // Park: announce it, look once more, then wait for a producer's signal (or a short timeout).
            Interlocked.Exchange(ref _parked, 1);
            if (_queue.IsEmpty && !Completed) _wake.Wait(50);
            Interlocked.Exchange(ref _parked, 0);
            _wake.Reset();
            spinner.Reset();
        }
    }

    /// <summary>No more chunks: the aggregator drains what is queued, then <see cref="Take"/> returns false.</summary>
    public void Complete()
    {
        Interlocked.Exchange(ref _completed, 1);
        _wake.Set();
    }
}
