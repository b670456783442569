using TapSensor.Core.Discovery;
using TapSensor.Core.Flows;

namespace TapSensor.Core.Pipeline;

/// <summary>
/// A pooled block of flow records travelling from a worker to the aggregator, with the observations the
/// worker made meanwhile (the aggregator applies those first, so a DNS answer names the flows after it).
/// </summary>
internal sealed class FlowRecordChunk
{
    /// <summary>DNS answer addresses a chunk carries for its observations; a fuller chunk is published early.</summary>
    public const int AnswerCapacity = 512;

    public FlowRecordChunk(int capacity) => Items = new FlowRecord[capacity];

    public readonly FlowRecord[] Items;
    public int Count;
    public readonly List<Observation> Observations = [];
    /// <summary>The addresses of the observations' DNS answers (<see cref="Observation.Answers"/> point here).</summary>
    public readonly (NetAddress Address, uint TtlSeconds)[] Answers = new (NetAddress, uint)[AnswerCapacity];
    public int AnswersUsed;

    public bool IsFull => Count == Items.Length;

    public Span<FlowRecord> Records => Items.AsSpan(0, Count);

    public bool IsEmpty => Count == 0 && Observations.Count == 0;

    /// <summary>Empties the chunk for reuse.</summary>
    public void Clear()
    {
        Count = 0;
        Observations.Clear();
        AnswersUsed = 0;
    }
}
