using TapSensor.Core.Discovery;
using TapSensor.Core.Flows;

namespace TapSensor.Core.Pipeline;

/// <summary>
/// A pooled block of flow records travelling from a worker to the aggregator, with the observations the
/// worker made meanwhile (the aggregator applies those first, so a DNS answer names the flows after it).
/// </summary>
internal sealed class FlowRecordChunk
{
    public FlowRecordChunk(int capacity) => Items = new FlowRecord[capacity];

    public readonly FlowRecord[] Items;
    public int Count;
    public readonly List<Observation> Observations = [];

    public bool IsFull => Count == Items.Length;

    public Span<FlowRecord> Records => Items.AsSpan(0, Count);

    public bool IsEmpty => Count == 0 && Observations.Count == 0;
}
