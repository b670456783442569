using TapSensor.Core.Flows;

namespace TapSensor.Sinks.Influx.Points;

/// <summary>
/// Adds what the record alone does not know to a <see cref="FlowPoint"/>: device id and name, whether the
/// remote end is local, the remote name and where it came from, service, geolocation and AS. Called on the
/// aggregator thread for every record (interim ones too, so per-device sums use the same device), after
/// <see cref="FlowPointMapper"/> filled the record's own values; it may also correct
/// <see cref="FlowPoint.LocalIsOriginator"/> (then <see cref="FlowPointMapper.SetLocalEnd"/> keeps the
/// address fields consistent).
/// </summary>
public interface IFlowPointEnricher
{
    void Enrich(in FlowRecord record, FlowPoint point);
}
