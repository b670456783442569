using TapSensor.Core.Flows;

namespace TapSensor.Host;

/// <summary>Creates the record sinks the configuration asks for (JSON lines, InfluxDB, the embedded SQLite store).</summary>
internal interface IFlowRecordSinkFactory
{
    IEnumerable<IFlowRecordSink> Create(SensorOptions options);
}
