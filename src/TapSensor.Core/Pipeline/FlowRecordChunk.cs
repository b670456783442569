using TapSensor.Core.Flows;

namespace TapSensor.Core.Pipeline;

/// <summary>A pooled block of flow records travelling from a worker to the aggregator.</summary>
internal sealed class FlowRecordChunk
{
    public FlowRecordChunk(int capacity) => Items = new FlowRecord[capacity];

    public readonly FlowRecord[] Items;
    public int Count;

    public bool IsFull => Count == Items.Length;

    public ReadOnlySpan<FlowRecord> Records => Items.AsSpan(0, Count);
}
