using System.Security.Cryptography;
using TapSensor.Core.Decoding;
using TapSensor.Core.Discovery;
using TapSensor.Core.Flows;
using TapSensor.Core.Devices;

namespace TapSensor.Core.Pipeline;

/// <summary>
/// Wires the capture side, the flow workers and the aggregator: dispatcher → N SPSC rings → N workers →
/// bounded record queue → aggregator thread → sinks. Shutdown follows the data: the source stops, workers
/// flush their flows, the aggregator drains the queue, then the sinks complete.
/// </summary>
internal sealed class SensorPipeline
{
    private readonly FlowWorker[] _workers;
    private readonly RecordHandoff _handoff;
    private readonly IReadOnlyList<IFlowRecordSink> _sinks;
    private readonly IFlowRecordEnricher? _enricher;
    private readonly bool _inline;
    private Task? _aggregator;
    private long _aggregatedRecords;
    private long _sinkErrors;
    private long _enrichErrors;

    public SensorPipeline(PipelineOptions options, FlowTableOptions flowOptions, IReadOnlyList<IFlowRecordSink> sinks,
        IFlowRecordEnricher? enricher = null)
    {
        var errors = options.Validate().Concat(flowOptions.Validate()).ToList();
        if (errors.Count > 0) throw new ArgumentException(string.Join(Environment.NewLine, errors));

        HashSeed = options.HashSeed ?? BitConverter.ToUInt64(RandomNumberGenerator.GetBytes(8));
        _sinks = sinks;
        _enricher = enricher;
        _inline = options.Workers == 1;
        _handoff = new RecordHandoff(options.RecordChunkSize, options.RecordQueueChunks, options.WaitWhenFull, options.Workers);

        _workers = new FlowWorker[options.Workers];
        int ringCapacity = options.RingBatches;
        int poolSize = ringCapacity + 3;
        int returnCapacity = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)poolSize + 1);
        for (int i = 0; i < _workers.Length; i++)
        {
            var shard = new FlowShard(flowOptions, i, options.Workers);
            var learner = options.LearnNames ? new NameLearner() : null;
            if (_inline)
            {
                _workers[i] = new FlowWorker(i, shard, _handoff, null, null, learner, soleWorker: true);
                continue;
            }
            var input = new SpscRing<PacketBatch>(ringCapacity);
            var returns = new SpscRing<PacketBatch>(returnCapacity);
            for (int b = 0; b < poolSize; b++)
                returns.TryEnqueue(new PacketBatch(options.BatchSize, options.SlabBytes));
            _workers[i] = new FlowWorker(i, shard, _handoff, input, returns, learner);
        }

        Decoder = new PacketDecoder(HashSeed);
        Dispatcher = new PacketDispatcher(Decoder, _workers, options);
    }

    public ulong HashSeed { get; }
    public PacketDecoder Decoder { get; }
    public PacketDispatcher Dispatcher { get; }
    public IReadOnlyList<FlowWorker> Workers => _workers;
    public RecordHandoff Handoff => _handoff;
    public long AggregatedRecords => Volatile.Read(ref _aggregatedRecords);
    public long SinkErrors => Volatile.Read(ref _sinkErrors);

    /// <summary>Raised on the aggregator thread when a sink throws; the sink keeps receiving later records.</summary>
    public event Action<IFlowRecordSink, Exception>? SinkFailed;

    public void Start()
    {
        if (!_inline)
        {
            foreach (var w in _workers) w.Start();
        }
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _aggregator = done.Task;
        var thread = new Thread(() =>
        {
            try
            {
                Aggregate();
                done.SetResult();
            }
            catch (Exception ex)
            {
                done.SetException(ex);
            }
        })
        { IsBackground = true, Name = "tapsensor-aggregator" };
        thread.Start();
    }

    /// <summary>
    /// Ends the run: flushes every flow with <paramref name="reason"/>, waits for the workers and the aggregator,
    /// then completes the sinks. Call on the capture thread after the source stopped.
    /// </summary>
    public async Task CompleteAsync(CloseReason reason)
    {
        Dispatcher.Complete(reason);
        await Task.Run(() =>
        {
            foreach (var w in _workers) w.Join();
        }).ConfigureAwait(false);
        _handoff.Complete();
        if (_aggregator is not null) await _aggregator.ConfigureAwait(false);
        foreach (var sink in _sinks)
        {
            try
            {
                sink.Complete();
            }
            catch (Exception ex)
            {
                Interlocked.Increment(ref _sinkErrors);
                SinkFailed?.Invoke(sink, ex);
            }
        }
    }

    /// <summary>The aggregator thread: records to the enricher and the sinks, chunk by chunk, until the queue completes.</summary>
    private void Aggregate()
    {
        while (_handoff.Take(out var chunk))
        {
            var records = chunk.Records;
            if (_enricher is not null) Enrich(chunk);
            // A chunk may carry observations only; sinks see records, never an empty batch.
            foreach (var sink in records.IsEmpty ? [] : _sinks)
            {
                try
                {
                    sink.Write(records);
                }
                catch (Exception ex)
                {
                    // A sink's failure must not stop the others or the capture: count it and report it.
                    Interlocked.Increment(ref _sinkErrors);
                    SinkFailed?.Invoke(sink, ex);
                }
            }
            Interlocked.Add(ref _aggregatedRecords, records.Length);
            _handoff.Return(chunk);
        }
    }

    /// <summary>Observations first (a DNS answer must be known before the flows it names), then the records.</summary>
    private void Enrich(FlowRecordChunk chunk)
    {
        try
        {
            foreach (ref readonly var o in System.Runtime.InteropServices.CollectionsMarshal.AsSpan(chunk.Observations)) _enricher!.Observe(in o);
            _enricher!.Enrich(chunk.Records);
        }
        catch (Exception ex)
        {
            // A bug in enrichment must not stop the records: they go out as they are, and the failure is reported.
            Interlocked.Increment(ref _enrichErrors);
            EnrichFailed?.Invoke(ex);
        }
    }

    public long EnrichErrors => Volatile.Read(ref _enrichErrors);

    /// <summary>Raised on the aggregator thread when enrichment throws.</summary>
    public event Action<Exception>? EnrichFailed;

    /// <summary>Name-parser counters summed over the workers.</summary>
    public IEnumerable<(string Name, long Value)> NameCounters =>
        Discovery.NameCounters.Sum(_workers.Where(w => w.Learner is not null).Select(w => w.Learner!.Counters));

    /// <summary>Sum of a flow-table counter over all shards (read from another thread).</summary>
    public int ActiveFlows
    {
        get
        {
            int n = 0;
            foreach (var w in _workers) n += w.Shard.ActiveFlows;
            return n;
        }
    }
}
