using TapSensor.Core.Flows;

namespace TapSensor.Core.Pipeline;

/// <summary>
/// One flow worker: the sole writer of its <see cref="FlowShard"/>. It takes packet batches from its ring
/// (or directly from the capture thread when it runs inline), updates flows, and passes the records the
/// shard emits to the aggregator in chunks. Emitted records are copies; nothing outside reads the shard.
/// </summary>
internal sealed class FlowWorker : IFlowRecordWriter
{
    private static readonly long PublishEveryNs = TimeSpan.FromSeconds(1).Ticks * 100;

    private readonly FlowShard _shard;
    private readonly RecordHandoff _handoff;
    private readonly ManualResetEventSlim _wake = new(false);
    private FlowRecordChunk _chunk;
    private long _lastPublishNs;
    private int _parked;
    private long _packets;
    private long _batches;
    private long _records;
    private bool _finished;
    private Thread? _thread;

    public FlowWorker(int index, FlowShard shard, RecordHandoff handoff, SpscRing<PacketBatch>? input, SpscRing<PacketBatch>? returns)
    {
        Index = index;
        _shard = shard;
        _handoff = handoff;
        Input = input;
        Returns = returns;
        _chunk = handoff.Rent();
    }

    public int Index { get; }
    public FlowShard Shard => _shard;
    public SpscRing<PacketBatch>? Input { get; }
    public SpscRing<PacketBatch>? Returns { get; }

    public long Packets => Volatile.Read(ref _packets);
    public long Batches => Volatile.Read(ref _batches);
    public long Records => Volatile.Read(ref _records);
    public bool Finished => Volatile.Read(ref _finished);

    /// <summary>Processes one batch on the calling thread.</summary>
    public void Process(PacketBatch batch)
    {
        var items = batch.Items;
        int count = batch.Count;
        for (int i = 0; i < count; i++)
            _shard.OnPacket(in items[i], this);

        Volatile.Write(ref _packets, _packets + count);
        Volatile.Write(ref _batches, _batches + 1);

        if (batch.Kind == BatchKind.Flush)
        {
            _shard.FlushAll(batch.TimeNs, batch.FlushReason, this);
            PublishChunk(batch.TimeNs);
            Volatile.Write(ref _finished, true);
            return;
        }

        _shard.Advance(batch.TimeNs, this);
        if (_chunk.Count > 0 && batch.TimeNs - _lastPublishNs >= PublishEveryNs)
            PublishChunk(batch.TimeNs);
    }

    public void Write(in FlowRecord record)
    {
        _chunk.Items[_chunk.Count++] = record;
        Volatile.Write(ref _records, _records + 1);
        if (_chunk.IsFull) PublishChunk(_lastPublishNs);
    }

    private void PublishChunk(long nowNs)
    {
        _lastPublishNs = nowNs;
        if (_chunk.Count == 0) return;
        _handoff.Publish(_chunk);
        _chunk = _handoff.Rent();
    }

    /// <summary>Starts the worker's dedicated thread (ring mode only).</summary>
    public void Start()
    {
        if (Input is null) throw new InvalidOperationException("An inline worker has no thread.");
        _thread = new Thread(Run) { IsBackground = true, Name = $"tapsensor-flow-{Index}" };
        _thread.Start();
    }

    public void Join() => _thread?.Join();

    /// <summary>Producer side: wake the worker if it parked on an empty ring.</summary>
    public void Notify()
    {
        // A full fence so the ring's tail store cannot pass the read of _parked (a store-load reorder
        // would leave the worker asleep until its timeout). Once per batch, not per packet.
        Interlocked.MemoryBarrier();
        if (Volatile.Read(ref _parked) != 0) _wake.Set();
    }

    private void Run()
    {
        var input = Input!;
        var returns = Returns!;
        var spinner = new SpinWait();
        while (true)
        {
            if (input.TryDequeue(out var batch))
            {
                spinner.Reset();
                Process(batch);
                bool last = batch.Kind == BatchKind.Flush;
                batch.Reset();
                returns.TryEnqueue(batch); // the return ring holds the whole pool: never full
                if (last) return;
                continue;
            }

            if (!spinner.NextSpinWillYield)
            {
                spinner.SpinOnce(sleep1Threshold: -1);
                continue;
            }

            // Park: announce it, look once more, then wait for the producer's signal (or a short timeout).
            Interlocked.Exchange(ref _parked, 1);
            if (input.Count == 0) _wake.Wait(10);
            Interlocked.Exchange(ref _parked, 0);
            _wake.Reset();
            spinner.Reset();
        }
    }
}
