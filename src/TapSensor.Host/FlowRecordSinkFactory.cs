using TapSensor.Core.Flows;
using TapSensor.Sinks.JsonLines;

namespace TapSensor.Host;

internal sealed class FlowRecordSinkFactory : IFlowRecordSinkFactory
{
    public IEnumerable<IFlowRecordSink> Create(SensorOptions options)
    {
        if (!string.IsNullOrWhiteSpace(options.Output.FlowsPath))
        {
            // uids are derived from the flow-hash seed when it is pinned, so a pinned run is reproducible.
            ulong uidSeed = options.Pipeline.HashSeed ?? 0;
            // Reading a file writes that file's records afresh; a live sensor appends across restarts.
            if (options.Mode == SensorMode.Read && File.Exists(options.Output.FlowsPath)) File.Delete(options.Output.FlowsPath);
            yield return ConnLogWriter.Open(options.Output.FlowsPath, uidSeed: uidSeed);
        }
    }
}
