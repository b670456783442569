using Microsoft.Extensions.Logging;
using TapSensor.Core.Flows;
using TapSensor.Sinks.Influx;
using TapSensor.Geo;
using TapSensor.Sinks.JsonLines;
using TapSensor.Sinks.Sqlite;

namespace TapSensor.Host;

internal sealed class FlowRecordSinkFactory(ILoggerFactory loggers, TimeProvider time) : IFlowRecordSinkFactory
{
    public IEnumerable<IFlowRecordSink> Create(SensorOptions options)
    {
        // uids are derived from the flow-hash seed when it is pinned, so a pinned run is reproducible.
        ulong uidSeed = options.Pipeline.HashSeed ?? 0;
        if (!string.IsNullOrWhiteSpace(options.Output.FlowsPath))
        {
            // Reading a file writes that file's records afresh; a live sensor appends across restarts.
            if (options.Mode == SensorMode.Read && File.Exists(options.Output.FlowsPath)) File.Delete(options.Output.FlowsPath);
            yield return ConnLogWriter.Open(options.Output.FlowsPath, uidSeed: uidSeed);
        }
        if (options.Influx.Enabled)
            yield return new InfluxSink(options.Influx, loggers.CreateLogger<InfluxSink>(), time, uidSeed);
        // The embedded store: on when no InfluxDB is configured, or beside it when --db names a file.
        // Opening throws StoreException (not a store, newer schema, corrupt, locked, unwritable): the run stops before it starts.
        if (options.Sqlite.IsOn(options.Influx.Enabled))
            yield return new SqliteSink(options.Sqlite, options.Sqlite.ResolvePath(GeoDataDirectory.Root()), loggers.CreateLogger<SqliteSink>(), time, uidSeed);
    }
}
