using TapSensor.Core.Flows;

namespace TapSensor.Sinks.JsonLines;

/// <summary>
/// Supplies the <c>service</c> field of a conn record: the application protocol(s) recognised on the
/// flow, lowercase and comma-separated as Zeek writes them (e.g. <c>dns</c>, <c>ssl</c>, <c>http</c>).
/// This is the extension point for the name parsers and port heuristics; without a source, or when it
/// returns null or an empty string, the field is omitted, as Zeek omits it for unknown services.
/// Called on the sink's thread, once per final record.
/// </summary>
internal interface IConnServiceSource
{
    string? ServiceOf(in FlowRecord record);
}
