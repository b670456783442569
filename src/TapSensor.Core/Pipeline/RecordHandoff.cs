using System.Collections.Concurrent;
using System.Threading.Channels;

namespace TapSensor.Core.Pipeline;

/// <summary>
/// The bounded queue of record chunks from the workers to the aggregator, with the pool the chunks return to.
/// It runs at flow rate, so a Channel (which takes a lock per operation) is fine here (STYLE.md section 5).
/// </summary>
internal sealed class RecordHandoff
{
    private readonly Channel<FlowRecordChunk> _queue;
    private readonly ConcurrentQueue<FlowRecordChunk> _free = new();
    private readonly int _chunkSize;
    private readonly bool _wait;
    private long _droppedRecords;
    private long _publishedRecords;
    private long _droppedObservations;

    public RecordHandoff(int chunkSize, int capacity, bool waitWhenFull, int producers = 1)
    {
        _chunkSize = chunkSize;
        _wait = waitWhenFull;
        // Every chunk that can be in flight exists from the start (queued, plus one being filled and one
        // being drained per producer), so steady state allocates nothing.
        for (int i = 0; i < capacity + 2 * producers + 1; i++) _free.Enqueue(new FlowRecordChunk(chunkSize));
        _queue = Channel.CreateBounded<FlowRecordChunk>(new BoundedChannelOptions(capacity)
        {
            SingleReader = true,
            SingleWriter = false,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    public ChannelReader<FlowRecordChunk> Reader => _queue.Reader;

    /// <summary>Records dropped because the aggregator fell behind during live capture.</summary>
    public long DroppedRecords => Volatile.Read(ref _droppedRecords);

    public long PublishedRecords => Volatile.Read(ref _publishedRecords);

    /// <summary>Observations lost with dropped chunks (live capture, aggregator behind).</summary>
    public long DroppedObservations => Volatile.Read(ref _droppedObservations);

    public FlowRecordChunk Rent()
    {
        if (_free.TryDequeue(out var chunk))
        {
            chunk.Count = 0;
            chunk.Observations.Clear();
            return chunk;
        }
        return new FlowRecordChunk(_chunkSize);
    }

    public void Return(FlowRecordChunk chunk)
    {
        chunk.Count = 0;
        chunk.Observations.Clear();
        _free.Enqueue(chunk);
    }

    /// <summary>Hands a chunk to the aggregator. Reading a file waits for room; live capture drops and counts.</summary>
    public void Publish(FlowRecordChunk chunk)
    {
        int count = chunk.Count;
        if (_queue.Writer.TryWrite(chunk))
        {
            Interlocked.Add(ref _publishedRecords, count);
            return;
        }
        if (_wait)
        {
            // Waiting on a worker thread is acceptable when reading a file: nothing overflows upstream.
            // Spin, then yield and sleep, rather than WriteAsync, which allocates a waiter per blocked write.
            var spinner = new SpinWait();
            while (!_queue.Writer.TryWrite(chunk))
            {
                if (_queue.Reader.Completion.IsCompleted)
                {
                    // Cannot happen in order (the queue completes after the workers stop), but never lose silently.
                    Interlocked.Add(ref _droppedRecords, count);
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

    public void Complete() => _queue.Writer.TryComplete();
}
