using TapSensor.Core.Flows;
using TapSensor.Core.Pipeline;

namespace TapSensor.Host;

/// <summary>
/// The sensor's counters for sinks that report them (InfluxDB <c>sensor</c>), read from the pipeline on any
/// thread. libpcap's kernel counters are not read here: pcap_stats on the handle the capture thread is
/// reading would race with it, so the capture thread publishes them (stats line, end of capture).
/// </summary>
internal sealed class PipelineStatsSource(SensorPipeline pipeline) : ISensorStatsSource
{
    private long _kernelDropped;
    private long _interfaceDropped;

    /// <summary>Called on the capture thread with libpcap's latest kernel counters.</summary>
    public void PublishKernel(long kernelDropped, long interfaceDropped)
    {
        Volatile.Write(ref _kernelDropped, kernelDropped);
        Volatile.Write(ref _interfaceDropped, interfaceDropped);
    }

    /// <summary>Hands this source to every sink that reports the sensor's counters.</summary>
    public PipelineStatsSource AttachTo(IEnumerable<IFlowRecordSink> sinks)
    {
        foreach (var sink in sinks)
            if (sink is ISensorStatsConsumer consumer) consumer.Attach(this);
        return this;
    }

    public SensorStats Read()
    {
        long records = 0, evicted = 0;
        foreach (var w in pipeline.Workers)
        {
            records += w.Records;
            evicted += Volatile.Read(ref w.Shard.Counters.Closed[(int)CloseReason.Evicted]);
        }
        var d = pipeline.Dispatcher;
        return new SensorStats
        {
            Packets = d.Packets,
            WireBytes = d.WireBytes,
            KernelDropped = Volatile.Read(ref _kernelDropped),
            InterfaceDropped = Volatile.Read(ref _interfaceDropped),
            RingDropped = d.RingFullPackets,
            DecodeErrors = pipeline.Decoder.Counters.Errors,
            ActiveFlows = pipeline.ActiveFlows,
            FlowsEvicted = evicted,
            Records = records,
            RecordsDropped = pipeline.Handoff.DroppedRecords,
        };
    }
}
