using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Spectre.Console;
using TapSensor.Capture;
using TapSensor.Core.Decoding;
using TapSensor.Core.Devices;
using TapSensor.Core.Flows;
using TapSensor.Core.Pipeline;
using TapSensor.Geo;
using TapSensor.Host.Devices;
using TapSensor.Host.Geo;
using TapSensor.Host.Logging;
using TapSensor.Host.Status;
using TapSensor.Sinks.Sqlite;
using TapSensor.Sinks.Sqlite.Logging;
using TapSensor.Sinks.Sqlite.Store;

namespace TapSensor.Host;

/// <summary>
/// The sensor run as a hosted service: open the source, start the pipeline, read on a dedicated capture
/// thread until the file ends or the host stops (Ctrl-C, SIGTERM), then flush flows and complete the sinks.
/// </summary>
internal sealed class SensorService : BackgroundService
{
    private readonly SensorOptions _options;
    private readonly ILogger<SensorService> _logger;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly RunOutcome _outcome;
    private readonly TimeProvider _time;
    private readonly IFlowRecordSinkFactory _sinkFactory;
    private readonly ILoggerFactory _loggers;

    public SensorService(IOptions<SensorOptions> options, ILogger<SensorService> logger, IHostApplicationLifetime lifetime,
        RunOutcome outcome, TimeProvider time, IFlowRecordSinkFactory sinkFactory, ILoggerFactory loggers)
    {
        _loggers = loggers;
        _options = options.Value;
        _logger = logger;
        _lifetime = lifetime;
        _outcome = outcome;
        _time = time;
        _sinkFactory = sinkFactory;
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.Factory.StartNew(() => RunAsync(stoppingToken), CancellationToken.None,
            TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();

    private async Task RunAsync(CancellationToken stop)
    {
        // The status file for 'tapsensor health': "starting" now, counters once the pipeline runs, "stopped" at the end.
        using var status = StatusFileWriter.Start(_options, _time, _logger);
        try
        {
            _outcome.Summary = await RunCoreAsync(stop, status).ConfigureAwait(false);
        }
        catch (StoreException ex)
        {
            SqliteLog.OpenFailed(_logger, ex.Message);
            _outcome.ExitCode = 1;
        }
        catch (Exception ex) when (ex is CaptureException or IOException or UnauthorizedAccessException)
        {
            Log.CaptureFailed(_logger, ex.Message);
            _outcome.ExitCode = 1;
            status?.Stop("error: " + ex.Message);
        }
        finally
        {
            _lifetime.StopApplication();
        }
    }

    private async Task<RunSummary> RunCoreAsync(CancellationToken stop, StatusFileWriter? status)
    {
        bool reading = _options.Mode == SensorMode.Read;
        using var source = reading ? PcapSource.OpenFile(_options.ReadFile!) : PcapSource.OpenLive(_options.Capture);

        var tally = new FlowTally();
        var sinks = new List<IFlowRecordSink> { tally };
        try
        {
            sinks.AddRange(_sinkFactory.Create(_options));
        }
        catch
        {
            // A later sink failed to open: close the ones already open.
            foreach (var opened in sinks) (opened as IDisposable)?.Dispose();
            throw;
        }

        _options.Pipeline.WaitWhenFull = reading;
        using var geo = _options.Pipeline.LearnNames && _options.Geo.Enabled
            ? new GeoService(_options.Geo, _loggers.CreateLogger<GeoService>(), _time)
            : null;
        var household = _options.Pipeline.LearnNames ? CreateHousehold(geo) : null;
        if (geo is not null)
            foreach (var store in sinks.OfType<SqliteSink>()) store.RecordAttributions(geo.Attributions.Select(a => (a.Text, a.Url)));
        var pipeline = new SensorPipeline(_options.Pipeline, _options.Flows, sinks, household);
        pipeline.SinkFailed += (sink, ex) => Log.SinkFailed(_logger, ex, sink.GetType().Name);
        pipeline.EnrichFailed += ex => Log.EnrichFailed(_logger, ex);
        var sensorStats = new PipelineStatsSource(pipeline).AttachTo(sinks);
        Log.FlowTable(_logger, _options.Pipeline.Workers, _options.Flows.MaxFlows, _options.Pipeline.HashSeed.HasValue);
        pipeline.Start();
        // Said once everything is set up (databases loaded, workers running): from here packets are counted.
        if (reading) Log.ReadingFile(_logger, source.Description, source.LinkType);
        else Log.CapturingLive(_logger, source.Description, source.LinkType, _options.Capture.SnapLength, _options.Capture.Filter);

        var started = _time.GetTimestamp();
        var pacer = reading && _options.Pace ? new Pacer(_time) : null;
        long maxPackets = _options.Count > 0 ? _options.Count : long.MaxValue;
        var stats = new StatsReporter(_logger, _time, _options.StatsInterval, pipeline, sensorStats);
        status?.Running(sensorStats, sinks);

        CaptureResult result;
        if (reading && _options.Progress && !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive)
        {
            result = AnsiConsole.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
                .Start(ctx =>
                {
                    var task = ctx.AddTask(Path.GetFileName(source.Description), maxValue: Math.Max(1, source.FileSize));
                    var r = source.Run(pipeline.Dispatcher, stop, maxPackets, pacer, (_, bytes) => task.Value = bytes, _time);
                    task.Value = task.MaxValue;
                    return r;
                });
        }
        else
        {
            result = source.Run(pipeline.Dispatcher, stop, maxPackets, pacer, reading ? null : (s, _) => stats.MaybeReport(s), _time);
        }

        sensorStats.PublishKernel(result.KernelDropped, result.InterfaceDropped);
        if (result.End == CaptureEnd.Error) Log.CaptureEndedWithError(_logger, result.Packets, result.Error ?? "unknown error");
        var reason = reading && result.End != CaptureEnd.Stopped ? CloseReason.EndOfCapture : CloseReason.Shutdown;
        if (stop.IsCancellationRequested) Log.Stopping(_logger);
        await pipeline.CompleteAsync(reason).ConfigureAwait(false);
        var elapsed = _time.GetElapsedTime(started);
        status?.Stop(result.End switch
        {
            CaptureEnd.Error => "capture error: " + (result.Error ?? "unknown error"),
            _ when stop.IsCancellationRequested => "stopped",
            _ when reading => "end of file",
            _ => "capture ended",
        });

        var summary = Summarize(source.Description, pipeline, tally, result, elapsed, household) with { Sinks = SinkCounters(sinks) };
        Log.Done(_logger, summary.Packets, summary.Flows, summary.ElapsedSeconds);
        if (household is not null)
        {
            Log.HouseholdSummary(_logger, household.Devices.Count, household.Devices.Count(d => d.Name is not null),
                tally.NamedFinalRecords, tally.FinalRecords, string.Join(' ', household.Lan.Texts));
            if (_options.Output.DevicesPath is { } devicesPath) DeviceView.WriteAll(devicesPath, household.Devices);
        }
        return summary;
    }

    private Household CreateHousehold(GeoService? geo)
    {
        var vendors = VendorListings.Load(_options.VendorFiles, _logger);
        var household = new Household(_options.Household, vendors, geo is null ? null : new GeoLocator(geo));
        household.RouterDetected += (mac, addresses) => Log.RouterDetected(_logger, Core.Packets.MacAddress.ToText(mac), addresses);
        return household;
    }

    private RunSummary Summarize(string sourceName, SensorPipeline pipeline, FlowTally tally, CaptureResult result, TimeSpan elapsed,
        Household? household)
    {
        var dispatcher = pipeline.Dispatcher;
        var decodeErrors = new SortedDictionary<string, long>(StringComparer.Ordinal);
        long errorTotal = 0, nonIp = 0;
        foreach (var status in Enum.GetValues<DecodeStatus>())
        {
            long n = pipeline.Decoder.Counters.Read(status);
            if (n == 0) continue;
            if (status == DecodeStatus.NotIp) nonIp += n;
            else if (DecodeStatusNames.IsError(status))
            {
                decodeErrors[DecodeStatusNames.Name(status)] = n;
                errorTotal += n;
            }
        }

        var byReason = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var reason in Enum.GetValues<CloseReason>())
        {
            long n = tally.ClosedBy(reason);
            if (n > 0) byReason[CloseReasonNames.Name(reason)] = n;
        }

        var flowCounters = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var worker in pipeline.Workers)
        {
            foreach (var (name, value) in worker.Shard.Counters.Enumerate())
                flowCounters[name] = flowCounters.GetValueOrDefault(name) + value;
        }

        double seconds = Math.Max(elapsed.TotalSeconds, 1e-9);
        return new RunSummary
        {
            Source = sourceName,
            Mode = _options.Mode.ToString().ToLowerInvariant(),
            Packets = dispatcher.Packets,
            Bytes = dispatcher.WireBytes,
            Flows = tally.FinalRecords,
            DecodeErrors = errorTotal,
            DecodeErrorsByReason = decodeErrors,
            NonIpPackets = nonIp,
            ElapsedSeconds = Math.Round(elapsed.TotalSeconds, 6),
            PacketsPerSecond = Math.Round(dispatcher.Packets / seconds, 1),
            FlowPackets = tally.Packets,
            FlowIpBytes = tally.IpBytes,
            FlowsByCloseReason = byReason,
            FlowCounters = flowCounters,
            RingDroppedPackets = dispatcher.RingFullPackets,
            KernelDroppedPackets = result.KernelDropped,
            InterfaceDroppedPackets = result.InterfaceDropped,
            RecordsDropped = pipeline.Handoff.DroppedRecords,
            SinkErrors = pipeline.SinkErrors,
            Workers = pipeline.Workers.Count,
            CaptureError = result.End == CaptureEnd.Error ? result.Error : null,
            TopTalkers = tally.TopTalkers(_options.Output.TopTalkers),
            DevicesFound = household?.Devices.Count ?? 0,
            Devices = household is null ? [] : DeviceSummary.Top(household.Devices, _options.Output.TopDevices),
            NamedFlows = tally.NamedFinalRecords,
            FlowsByNameSource = tally.NamedBySource(),
            TopDestinations = household is null ? [] : household.DestinationBytes
                .OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal)
                .Take(_options.Output.TopDestinations).Select(kv => new DestinationSummary(kv.Key, kv.Value)).ToList(),
            NameCounters = new SortedDictionary<string, long>(pipeline.NameCounters.Where(c => c.Value > 0).ToDictionary(), StringComparer.Ordinal),
            EnrichErrors = pipeline.EnrichErrors,
        };
    }

    private static Dictionary<string, IReadOnlyDictionary<string, long>>? SinkCounters(List<IFlowRecordSink> sinks)
    {
        var all = new SortedDictionary<string, IReadOnlyDictionary<string, long>>(StringComparer.Ordinal);
        foreach (var sink in sinks)
            if (sink is ISinkCounters counting) all[counting.SinkName] = new Dictionary<string, long>(counting.ReadCounters());
        return all.Count == 0 ? null : new Dictionary<string, IReadOnlyDictionary<string, long>>(all);
    }

    /// <summary>Logs a stats line once per interval during live capture, and a warning when drops rise.</summary>
    private sealed class StatsReporter
    {
        private readonly ILogger _logger;
        private readonly TimeProvider _time;
        private readonly TimeSpan _interval;
        private readonly SensorPipeline _pipeline;
        private readonly PipelineStatsSource _sensorStats;
        private long _lastTimestamp;
        private long _lastPackets;
        private (long Kernel, long Interface, long Ring) _lastDrops;

        public StatsReporter(ILogger logger, TimeProvider time, TimeSpan interval, SensorPipeline pipeline, PipelineStatsSource sensorStats)
        {
            _sensorStats = sensorStats;
            _logger = logger;
            _time = time;
            _interval = interval;
            _pipeline = pipeline;
            _lastTimestamp = time.GetTimestamp();
        }

        public void MaybeReport(PcapSource source)
        {
            var elapsed = _time.GetElapsedTime(_lastTimestamp);
            if (elapsed < _interval) return;
            _lastTimestamp = _time.GetTimestamp();
            var d = _pipeline.Dispatcher;
            long packets = d.Packets;
            var (_, kernelDropped, interfaceDropped) = source.KernelStatistics();
            _sensorStats.PublishKernel(kernelDropped, interfaceDropped);
            long ring = d.RingFullPackets;
            long decodeErrors = _pipeline.Decoder.Counters.Errors;
            long records = 0;
            foreach (var w in _pipeline.Workers) records += w.Records;
            Log.Stats(_logger, (packets - _lastPackets) / Math.Max(elapsed.TotalSeconds, 1e-9), packets,
                kernelDropped, interfaceDropped, ring, _pipeline.ActiveFlows, records, decodeErrors);
            if (kernelDropped > _lastDrops.Kernel || interfaceDropped > _lastDrops.Interface || ring > _lastDrops.Ring)
                Log.DropsRising(_logger, kernelDropped - _lastDrops.Kernel, interfaceDropped - _lastDrops.Interface, ring - _lastDrops.Ring);
            _lastDrops = (kernelDropped, interfaceDropped, ring);
            _lastPackets = packets;
        }
    }
}
