using TapSensor.Core.Decoding;
using TapSensor.Core.Flows;
using TapSensor.Core.Pipeline;

namespace TapSensor.Capture.Tests.Infrastructure;

/// <summary>Runs a capture file through the whole pipeline in process and keeps every record it emits.</summary>
internal sealed class PipelineRun
{
    private sealed class CollectingSink : IFlowRecordSink
    {
        public readonly List<FlowRecord> Records = [];
        public bool Completed;

        public void Write(ReadOnlySpan<FlowRecord> records) => Records.AddRange(records);

        public void Complete() => Completed = true;
    }

    public required IReadOnlyList<FlowRecord> Records { get; init; }
    public required CaptureResult Capture { get; init; }
    public required SensorPipeline Pipeline { get; init; }
    public required bool SinkCompleted { get; init; }

    public IEnumerable<FlowRecord> Finals => Records.Where(r => r.IsFinal);

    public static PipelineRun Read(string path, int workers = 1, int maxFlows = 250_000, ulong seed = 0x7A95)
    {
        var sink = new CollectingSink();
        var pipeline = new SensorPipeline(
            new PipelineOptions { Workers = workers, WaitWhenFull = true, HashSeed = seed, RingBatches = 4, BatchSize = 64 },
            new FlowTableOptions { MaxFlows = maxFlows },
            [sink]);
        using var source = PcapSource.OpenFile(path);
        pipeline.Start();
        var result = source.Run(pipeline.Dispatcher, CancellationToken.None);
        pipeline.CompleteAsync(CloseReason.EndOfCapture).GetAwaiter().GetResult();
        return new PipelineRun { Records = sink.Records, Capture = result, Pipeline = pipeline, SinkCompleted = sink.Completed };
    }

    public long DecodedOk => Pipeline.Decoder.Counters.Read(DecodeStatus.Ok);
}
