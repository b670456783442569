using System.Runtime.CompilerServices;
using TapSensor.Core.Discovery;
using TapSensor.Core.Flows;
using TapSensor.Core.Packets;

namespace TapSensor.Core.Pipeline;

/// <summary>
/// One flow worker: the sole writer of its <see cref="FlowShard"/>. It takes packet batches from its ring
/// (or directly from the capture thread when it runs inline), updates flows, and passes the records the
/// shard emits to the aggregator in chunks. Emitted records are copies; nothing outside reads the shard.
/// </summary>
internal sealed class FlowWorker : IFlowRecordWriter, IObservationWriter
{
    private static readonly long PublishEveryNs = TimeSpan.FromSeconds(1).Ticks * 100;
    /// <summary>
    /// With several workers, observations reach the aggregator within this much packet time, well inside the
    /// shortest flow linger, so a DNS answer seen by one worker is known before another worker's record of the flow
    /// it names. A sole worker's observations travel in order with its own records, so they keep the records' pace
    /// (each publish may wake the aggregator, a system call, 6000 times over a 10-minute capture at 100 ms).
    /// </summary>
    private static readonly long PublishObservationsAcrossWorkersEveryNs = TimeSpan.FromMilliseconds(100).Ticks * 100;
    private const int MaxObservationsPerChunk = 1024;

    private readonly FlowShard _shard;
    private readonly NameLearner? _learner;
    private readonly RecordHandoff _handoff;
    private readonly ManualResetEventSlim _wake = new(false);
    private readonly long _publishObservationsEveryNs;
    private FlowRecordChunk _chunk;
    private long _lastPublishNs;
    private int _parked;
    private long _packets;
    private long _batches;
    private long _records;
    private bool _finished;
    private Thread? _thread;

    public FlowWorker(int index, FlowShard shard, RecordHandoff handoff, SpscRing<PacketBatch>? input, SpscRing<PacketBatch>? returns,
        NameLearner? learner = null, bool soleWorker = false)
    {
        Index = index;
        _publishObservationsEveryNs = soleWorker ? PublishEveryNs : PublishObservationsAcrossWorkersEveryNs;
        _shard = shard;
        _learner = learner;
        _handoff = handoff;
        Input = input;
        Returns = returns;
        _chunk = handoff.Rent();
    }

    public int Index { get; }
    public FlowShard Shard => _shard;
    public NameLearner? Learner => _learner;
    public SpscRing<PacketBatch>? Input { get; }
    public SpscRing<PacketBatch>? Returns { get; }

    public long Packets => Volatile.Read(ref _packets);
    public long Batches => Volatile.Read(ref _batches);
    public long Records => Volatile.Read(ref _records);
    public bool Finished => Volatile.Read(ref _finished);

    /// <summary>Processes one batch on the calling thread.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Process(PacketBatch batch)
    {
        var items = batch.Items;
        int count = batch.Count;
        int linkOnly = 0;
        for (int i = 0; i < count; i++)
        {
            ref PacketSummary packet = ref items[i];
            if ((packet.Flags & PacketFlags.LinkOnly) != 0)
            {
                linkOnly++;
                if (_learner is not null && packet.PayloadOffset >= 0)
                    _learner.OnLinkPacket(in packet, batch.Payload.AsSpan(packet.PayloadOffset, packet.PayloadKept), this);
                continue;
            }
            int slot = _shard.OnPacket(in packet, this);
            if (packet.PayloadOffset >= 0 && slot >= 0 && _learner is not null)
                _learner.OnPayload(in packet, batch.Payload.AsSpan(packet.PayloadOffset, packet.PayloadKept), ref _shard.Table.EntryAt(slot), this);
        }

        Volatile.Write(ref _packets, _packets + count - linkOnly);
        Volatile.Write(ref _batches, _batches + 1);

        if (batch.Kind == BatchKind.Flush)
        {
            _shard.FlushAll(batch.TimeNs, batch.FlushReason, this);
            PublishChunk(batch.TimeNs);
            Volatile.Write(ref _finished, true);
            return;
        }

        _shard.Advance(batch.TimeNs, this);
        _learner?.Tick(batch.TimeNs);
        long sincePublish = batch.TimeNs - _lastPublishNs;
        if ((_chunk.Count > 0 && sincePublish >= PublishEveryNs)
            || (_chunk.Observations.Count > 0 && sincePublish >= _publishObservationsEveryNs))
            PublishChunk(batch.TimeNs);
    }

    public void Write(in Observation observation, ReadOnlySpan<(NetAddress Address, uint TtlSeconds)> answers = default)
    {
        if (answers.Length > FlowRecordChunk.AnswerCapacity) answers = answers[..FlowRecordChunk.AnswerCapacity];
        if (_chunk.AnswersUsed + answers.Length > FlowRecordChunk.AnswerCapacity) PublishChunk(_lastPublishNs);
        var chunk = _chunk;
        if (answers.IsEmpty)
        {
            chunk.Observations.Add(observation);
        }
        else
        {
            answers.CopyTo(chunk.Answers.AsSpan(chunk.AnswersUsed));
            chunk.Observations.Add(observation with { Answers = chunk.Answers.AsMemory(chunk.AnswersUsed, answers.Length) });
            chunk.AnswersUsed += answers.Length;
        }
        if (chunk.Observations.Count >= MaxObservationsPerChunk) PublishChunk(_lastPublishNs);
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
        if (_chunk.IsEmpty) return;
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
