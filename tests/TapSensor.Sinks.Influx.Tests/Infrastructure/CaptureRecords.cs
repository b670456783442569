using TapSensor.Capture;
using TapSensor.Core.Flows;
using TapSensor.Core.Pipeline;
using TapSensor.Sample;

namespace TapSensor.Sinks.Influx.Tests.Infrastructure;

/// <summary>Generated household captures, and the record chunks the pipeline hands its sinks when it reads one.</summary>
internal static class CaptureRecords
{
    public static string WriteHousehold(string directory, long packets, ulong seed = 1)
    {
        string path = Path.Combine(directory, $"household-{packets}-{seed}.pcap");
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        HouseholdCapture.Write(file, new HouseholdOptions { Packets = packets, Seed = seed });
        return path;
    }

    /// <summary>Reads <paramref name="path"/> through the whole pipeline; returns the chunks of records in the order the aggregator delivered them.</summary>
    public static List<FlowRecord[]> Read(string path, ulong seed = 0x7A95)
    {
        var sink = new Collecting();
        var pipeline = new SensorPipeline(new PipelineOptions { Workers = 1, WaitWhenFull = true, HashSeed = seed }, new FlowTableOptions(), [sink]);
        using var source = PcapSource.OpenFile(path);
        pipeline.Start();
        source.Run(pipeline.Dispatcher, CancellationToken.None);
        pipeline.CompleteAsync(CloseReason.EndOfCapture).GetAwaiter().GetResult();
        return sink.Chunks;
    }

    private sealed class Collecting : IFlowRecordSink
    {
        public readonly List<FlowRecord[]> Chunks = [];
        public void Write(ReadOnlySpan<FlowRecord> records) => Chunks.Add(records.ToArray());
        public void Complete() { }
    }
}
