namespace TapSensor.Core.Flows;

/// <summary>Where a flow worker puts the records it emits (called at flow rate, not packet rate).</summary>
public interface IFlowRecordWriter
{
    void Write(in FlowRecord record);
}

/// <summary>
/// A consumer of flow records on the aggregator side (JSON lines, InfluxDB, SQLite, the summary).
/// Called from one thread; the span is only valid during the call.
/// </summary>
public interface IFlowRecordSink
{
    void Write(ReadOnlySpan<FlowRecord> records);

    /// <summary>Called once after the last record: flush and close.</summary>
    void Complete();
}
