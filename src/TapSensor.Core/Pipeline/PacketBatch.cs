using TapSensor.Core.Packets;

namespace TapSensor.Core.Pipeline;

public enum BatchKind : byte
{
    /// <summary>Packet summaries.</summary>
    Packets,
    /// <summary>No packets: advances the worker's clock to <see cref="PacketBatch.TimeNs"/> (traffic went quiet).</summary>
    Tick,
    /// <summary>End of input: the worker flushes every flow with <see cref="PacketBatch.FlushReason"/> and stops.</summary>
    Flush,
}

/// <summary>
/// A pooled batch of packet summaries for one shard, with a slab for the payload bytes the name parsers need.
/// Allocated once at start; it travels capture → worker on the shard ring and back on the return ring.
/// </summary>
public sealed class PacketBatch
{
    public PacketBatch(int capacity, int payloadSlabBytes)
    {
        Items = new PacketSummary[capacity];
        Payload = new byte[payloadSlabBytes];
    }

    public readonly PacketSummary[] Items;
    public readonly byte[] Payload;
    public int Count;
    public int PayloadUsed;
    public BatchKind Kind;
    /// <summary>Latest packet time the batch carries (or the tick/flush time).</summary>
    public long TimeNs;
    public Flows.CloseReason FlushReason;

    public bool IsFull => Count == Items.Length;

    public void Reset()
    {
        Count = 0;
        PayloadUsed = 0;
        Kind = BatchKind.Packets;
        TimeNs = 0;
        FlushReason = Flows.CloseReason.None;
    }
}
