namespace TapSensor.Core.Pipeline;

/// <summary>
/// A snapshot of the sensor's own counters, totals since start: what the capture, the decoder and the flow
/// table counted. Stores that keep the sensor's health (the InfluxDB <c>sensor</c> measurement) read it once
/// per interval.
/// </summary>
public readonly record struct SensorStats
{
    /// <summary>Frames read from the source.</summary>
    public long Packets { get; init; }
    /// <summary>Sum of frame lengths on the wire.</summary>
    public long WireBytes { get; init; }
    /// <summary>Dropped by the kernel's capture buffer (live capture; libpcap's ps_drop).</summary>
    public long KernelDropped { get; init; }
    /// <summary>Dropped by the interface or its driver (libpcap's ps_ifdrop).</summary>
    public long InterfaceDropped { get; init; }
    /// <summary>Dropped because a worker's ring was full.</summary>
    public long RingDropped { get; init; }
    /// <summary>Frames that could not be decoded, all reasons.</summary>
    public long DecodeErrors { get; init; }
    /// <summary>Flows in the tables now (a gauge).</summary>
    public long ActiveFlows { get; init; }
    /// <summary>Flows evicted at the table bound.</summary>
    public long FlowsEvicted { get; init; }
    /// <summary>Records (final and interim) the workers emitted.</summary>
    public long Records { get; init; }
    /// <summary>Records lost because the aggregator's queue was full.</summary>
    public long RecordsDropped { get; init; }
}

/// <summary>Supplies <see cref="SensorStats"/>; safe to call from any thread, at any time after start.</summary>
public interface ISensorStatsSource
{
    SensorStats Read();
}

/// <summary>A sink that reports the sensor's own counters; the host attaches the source once the pipeline exists.</summary>
public interface ISensorStatsConsumer
{
    void Attach(ISensorStatsSource source);
}
