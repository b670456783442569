using TapSensor.Core.Decoding;
using TapSensor.Core.Devices;
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

    public static PipelineRun Read(string path, int workers = 1, int maxFlows = 250_000, ulong seed = 0x7A95,
        IFlowRecordEnricher? enricher = null, bool learnNames = true)
    {
        var sink = new CollectingSink();
        var pipeline = new SensorPipeline(
            new PipelineOptions { Workers = workers, WaitWhenFull = true, HashSeed = seed, RingBatches = 4, BatchSize = 64, LearnNames = learnNames },
            new FlowTableOptions { MaxFlows = maxFlows },
            [sink], enricher);
        using var source = PcapSource.OpenFile(path);
        pipeline.Start();
        var result = source.Run(pipeline.Dispatcher, CancellationToken.None);
        pipeline.CompleteAsync(CloseReason.EndOfCapture).GetAwaiter().GetResult();
        return new PipelineRun { Records = sink.Records, Capture = result, Pipeline = pipeline, SinkCompleted = sink.Completed };
    }

    public long DecodedOk => Pipeline.Decoder.Counters.Read(DecodeStatus.Ok);
}

/// <summary>A household that also keeps every observation it was given, for comparing with tshark.</summary>
internal sealed class RecordingHousehold : IFlowRecordEnricher
{
    public Household Household { get; } = new(new HouseholdOptions());
    public List<Core.Discovery.Observation> Observations { get; } = [];

    public void Observe(in Core.Discovery.Observation observation)
    {
        // A worker's answers live in its reused record chunk: keep a copy.
        Observations.Add(observation with { Answers = observation.Answers.ToArray() });
        Household.Observe(observation);
    }

    public void Enrich(Span<FlowRecord> records) => Household.Enrich(records);
}
