using System.Runtime.CompilerServices;
using TapSensor.Core.Decoding;
using TapSensor.Core.Discovery;
using TapSensor.Core.Flows;
using TapSensor.Core.Packets;

namespace TapSensor.Core.Pipeline;

/// <summary>
/// The capture thread's half of the pipeline: decode each frame in place (the capture buffer is only valid
/// until the next read), hash it to a shard, append the summary to that shard's pooled batch, and hand full
/// batches to the worker. Suricata's autofp runmode does the same with packets; we move batches of small
/// summaries so one ring operation carries hundreds of packets.
/// </summary>
internal sealed class PacketDispatcher
{
    private readonly PacketDecoder _decoder;
    private readonly FlowWorker[] _workers;
    private readonly PacketBatch[] _current;
    private readonly int _shards;
    private readonly bool _inline;
    private readonly bool _waitWhenFull;
    private readonly NameCandidates? _candidates;
    private readonly long _maxBatchAgeNs;

    private long _latestNs;
    private long _lastHandoverNs;
    private long _packets;
    private long _wireBytes;
    private long _flowPackets;
    private long _linkPackets;
    private long _payloadBytesKept;
    private long _ringFullPackets;
    private long _ringFullBatches;
    private bool _completed;

    /// <summary>Bytes of an ARP message kept (Ethernet/IPv4 ARP is 28).</summary>
    private const int LinkPayloadBytes = 64;

    public PacketDispatcher(PacketDecoder decoder, FlowWorker[] workers, PipelineOptions options)
    {
        _decoder = decoder;
        _workers = workers;
        _shards = workers.Length;
        _inline = workers.Length == 1 && workers[0].Input is null;
        _waitWhenFull = options.WaitWhenFull;
        _candidates = options.LearnNames && options.PayloadSlabBytes > 0 ? new NameCandidates() : null;
        _maxBatchAgeNs = options.MaxBatchAge.Ticks * 100;
        _current = new PacketBatch[_shards];
        for (int i = 0; i < _shards; i++)
        {
            if (_inline || !workers[i].Returns!.TryDequeue(out var batch))
                batch = new PacketBatch(options.BatchSize, options.SlabBytes);
            _current[i] = batch;
        }
    }

    /// <summary>pcap LINKTYPE of the frames that follow (set by the source when it opens).</summary>
    public int LinkType { get; set; } = (int)Decoding.LinkType.Ethernet;

    public PacketDecoder Decoder => _decoder;

    /// <summary>Frames seen.</summary>
    public long Packets => Volatile.Read(ref _packets);
    /// <summary>Sum of frame lengths on the wire.</summary>
    public long WireBytes => Volatile.Read(ref _wireBytes);
    /// <summary>Frames decoded into a flow and handed to a worker.</summary>
    public long FlowPackets => Volatile.Read(ref _flowPackets);
    /// <summary>Link-layer discovery frames (ARP) handed to a worker with no flow.</summary>
    public long LinkPackets => Volatile.Read(ref _linkPackets);
    /// <summary>Payload bytes copied for the name parsers.</summary>
    public long PayloadBytesKept => Volatile.Read(ref _payloadBytesKept);
    /// <summary>Packets dropped because a worker's ring was full (live capture only).</summary>
    public long RingFullPackets => Volatile.Read(ref _ringFullPackets);
    public long RingFullBatches => Volatile.Read(ref _ringFullBatches);
    /// <summary>Latest packet time seen, ns since the epoch.</summary>
    public long LatestNs => Volatile.Read(ref _latestNs);

    /// <summary>Per-packet entry point. Allocates nothing, takes no lock, throws nothing.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void OnFrame(ReadOnlySpan<byte> frame, int wireLength, long timestampNs)
    {
        Volatile.Write(ref _packets, _packets + 1);
        Volatile.Write(ref _wireBytes, _wireBytes + wireLength);
        if (timestampNs > _latestNs) Volatile.Write(ref _latestNs, timestampNs);

        PacketSummary summary = default;
        var status = _decoder.Decode(LinkType, frame, wireLength, timestampNs, ref summary, out int payloadStart, out int payloadCaptured);
        if (status == DecodeStatus.Ok)
        {
            int shard = _shards == 1 ? 0 : FlowHash.Shard(summary.Hash, _shards);
            summary.PayloadOffset = -1;
            if (_candidates is not null && payloadCaptured > 0 && (uint)payloadStart < (uint)frame.Length)
            {
                var payload = frame.Slice(payloadStart, Math.Min(payloadCaptured, frame.Length - payloadStart));
                int keep = _candidates.KeepLength(in summary, payload);
                if (keep > 0) KeepPayload(shard, ref summary, payload[..keep]);
            }
            var batch = _current[shard];
            batch.Items[batch.Count++] = summary;
            Volatile.Write(ref _flowPackets, _flowPackets + 1);
            if (batch.IsFull) Handover(shard, BatchKind.Packets, CloseReason.None);
        }
        else if ((summary.Flags & PacketFlags.LinkOnly) != 0 && _candidates is not null && payloadCaptured > 0)
        {
            // ARP: no flow; a worker (any: take the first) learns the address binding from it.
            summary.PayloadOffset = -1;
            KeepPayload(0, ref summary, frame.Slice(payloadStart, Math.Min(payloadCaptured, LinkPayloadBytes)));
            var batch = _current[0];
            batch.Items[batch.Count++] = summary;
            Volatile.Write(ref _linkPackets, _linkPackets + 1);
            if (batch.IsFull) Handover(0, BatchKind.Packets, CloseReason.None);
        }

        if (_latestNs - _lastHandoverNs >= _maxBatchAgeNs) HandoverAll();
    }

    /// <summary>
    /// Copies payload bytes for the name parsers into the shard's batch slab; a slab without room hands its
    /// batch over first, so a burst of name packets only makes batches smaller.
    /// </summary>
    private void KeepPayload(int shard, ref PacketSummary summary, ReadOnlySpan<byte> bytes)
    {
        var batch = _current[shard];
        if (bytes.Length > batch.Payload.Length) bytes = bytes[..batch.Payload.Length];
        if (batch.PayloadUsed + bytes.Length > batch.Payload.Length)
        {
            Handover(shard, batch.Count > 0 ? BatchKind.Packets : BatchKind.Tick, CloseReason.None);
            batch = _current[shard];
        }
        bytes.CopyTo(batch.Payload.AsSpan(batch.PayloadUsed));
        summary.PayloadOffset = batch.PayloadUsed;
        summary.PayloadKept = (ushort)bytes.Length;
        batch.PayloadUsed += bytes.Length;
        Volatile.Write(ref _payloadBytesKept, _payloadBytesKept + bytes.Length);
    }

    /// <summary>Advances every worker's clock when traffic is quiet (live capture read timeouts).</summary>
    public void Tick(long nowNs)
    {
        if (nowNs > _latestNs) Volatile.Write(ref _latestNs, nowNs);
        HandoverAll();
    }

    /// <summary>End of input: every worker flushes its flows with <paramref name="reason"/> and stops.</summary>
    public void Complete(CloseReason reason)
    {
        if (_completed) return;
        _completed = true;
        for (int i = 0; i < _shards; i++)
            Handover(i, BatchKind.Flush, reason);
    }

    /// <summary>Hands over every shard's batch: partial ones as packets, empty ones as ticks so the worker's clock still moves.</summary>
    private void HandoverAll()
    {
        _lastHandoverNs = _latestNs;
        for (int i = 0; i < _shards; i++)
            Handover(i, _current[i].Count > 0 ? BatchKind.Packets : BatchKind.Tick, CloseReason.None);
    }

    private void Handover(int shard, BatchKind kind, CloseReason reason)
    {
        var batch = _current[shard];
        batch.Kind = kind;
        batch.TimeNs = _latestNs;
        batch.FlushReason = reason;
        var worker = _workers[shard];

        if (_inline)
        {
            worker.Process(batch);
            batch.Reset();
            return;
        }

        var ring = worker.Input!;
        if (!ring.TryEnqueue(batch))
        {
            if (_waitWhenFull || kind == BatchKind.Flush)
            {
                var spinner = new SpinWait();
                while (!ring.TryEnqueue(batch))
                {
                    worker.Notify();
                    spinner.SpinOnce();
                }
            }
            else
            {
                // Never wait on live capture: count the loss where it happened and reuse the batch.
                Volatile.Write(ref _ringFullPackets, _ringFullPackets + batch.Count);
                Volatile.Write(ref _ringFullBatches, _ringFullBatches + 1);
                batch.Reset();
                return;
            }
        }
        worker.Notify();

        // The pool holds ring capacity + 3 batches and the return ring holds them all, so with our batch
        // just enqueued at least two are free; waiting here covers only a worker that has not yet put one back.
        var returns = worker.Returns!;
        PacketBatch? fresh;
        var wait = new SpinWait();
        while (!returns.TryDequeue(out fresh)) wait.SpinOnce();
        _current[shard] = fresh;
    }
}
