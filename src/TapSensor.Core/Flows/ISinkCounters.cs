namespace TapSensor.Core.Flows;

/// <summary>
/// A sink that counts what happened to its output (written, spooled, dropped, ...), for the end-of-run summary.
/// Counter names are stable snake_case words; values are totals since the sink was created.
/// </summary>
public interface ISinkCounters
{
    /// <summary>Short name of the sink in the summary, e.g. <c>influx</c>.</summary>
    string SinkName { get; }

    /// <summary>Cold path: every counter with its name. May be called from any thread.</summary>
    IReadOnlyList<KeyValuePair<string, long>> ReadCounters();
}
