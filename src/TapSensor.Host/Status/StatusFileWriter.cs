using Microsoft.Extensions.Logging;
using TapSensor.Core.Flows;
using TapSensor.Host.Logging;
using TapSensor.Sinks.Influx;

namespace TapSensor.Host.Status;

/// <summary>
/// Rewrites the status file on a timer, off the packet path: it only reads counters the pipeline already keeps
/// (<see cref="PipelineStatsSource"/>, the sinks' <see cref="ISinkCounters"/>). Each write goes to a temporary
/// file in the same folder that is then renamed over the old one, so a reader never sees half a document. A
/// failing write is logged once and retried at the next tick; it never stops the sensor.
/// </summary>
internal sealed class StatusFileWriter : IDisposable
{
    private readonly string _path;
    private readonly string _temporary;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly ITimer _timer;
    private SensorStatus _identity;
    private PipelineStatsSource? _stats;
    private IReadOnlyList<IFlowRecordSink> _sinks = [];
    private bool _stopped;
    private bool _failing;

    private StatusFileWriter(string path, TimeSpan interval, SensorStatus identity, TimeProvider time, ILogger logger)
    {
        _path = Path.GetFullPath(path);
        _temporary = Path.Combine(Path.GetDirectoryName(_path) ?? ".", "." + Path.GetFileName(_path) + "." + Environment.ProcessId + ".tmp");
        _identity = identity;
        _time = time;
        _logger = logger;
        _timer = time.CreateTimer(static s => ((StatusFileWriter)s!).Tick(), this, TimeSpan.Zero, interval);
    }

    /// <summary>Starts writing (state <c>starting</c> at once), or returns null when the options turn the file off.</summary>
    public static StatusFileWriter? Start(SensorOptions options, TimeProvider time, ILogger logger)
    {
        var path = StatusPaths.ForRun(options);
        if (path is null) return null;
        var now = time.GetUtcNow();
        var identity = new SensorStatus
        {
            Pid = Environment.ProcessId,
            Host = Environment.MachineName,
            Mode = options.Mode.ToString().ToLowerInvariant(),
            Source = options.Mode == SensorMode.Read ? options.ReadFile ?? "" : options.Capture.Interface ?? "",
            State = SensorStatus.Starting,
            Started = now,
            Updated = now,
        };
        return new StatusFileWriter(path, options.Output.StatusInterval, identity, time, logger);
    }

    /// <summary>The pipeline is running: from now on the file carries its counters.</summary>
    public void Running(PipelineStatsSource stats, IReadOnlyList<IFlowRecordSink> sinks)
    {
        lock (_gate)
        {
            _stats = stats;
            _sinks = sinks;
            _identity = _identity with { State = SensorStatus.Running };
        }
        Tick();
    }

    /// <summary>Writes the final document (state <c>stopped</c>, with the reason) and stops the timer. Idempotent.</summary>
    public void Stop(string reason)
    {
        _timer.Dispose();
        lock (_gate)
        {
            if (_stopped) return;
            var now = _time.GetUtcNow();
            _identity = _identity with { State = SensorStatus.Stopped, StoppedAt = now, StopReason = reason };
            WriteLocked();
            _stopped = true;
        }
    }

    public void Dispose() => Stop("stopped");

    private void Tick()
    {
        lock (_gate)
        {
            if (_stopped) return;
            WriteLocked();
        }
    }

    private void WriteLocked()
    {
        var status = Snapshot();
        try
        {
            var dir = Path.GetDirectoryName(_path);
            if (!string.IsNullOrEmpty(dir)) Directory.CreateDirectory(dir);
            File.WriteAllText(_temporary, status.ToJson() + Environment.NewLine);
            File.Move(_temporary, _path, overwrite: true);
            if (_failing) Log.StatusWriteRecovered(_logger, _path);
            _failing = false;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            if (!_failing) Log.StatusWriteFailed(_logger, _path, ex.Message);
            _failing = true;
        }
    }

    private SensorStatus Snapshot()
    {
        var status = _identity with { Updated = _time.GetUtcNow() };
        if (_stats is null) return status;
        var s = _stats.Read();
        SortedDictionary<string, SortedDictionary<string, long>>? sinks = null;
        foreach (var sink in _sinks)
        {
            if (sink is not ISinkCounters counting) continue;
            var counters = new SortedDictionary<string, long>(StringComparer.Ordinal);
            foreach (var (name, value) in counting.ReadCounters()) counters[name] = value;
            // Points waiting in the spool mean InfluxDB has not been taking them: an outage or a setting to fix.
            if (sink is InfluxSink influx) counters["spool_points"] = influx.SpoolPoints;
            (sinks ??= new(StringComparer.Ordinal))[counting.SinkName] = counters;
        }
        return status with
        {
            Packets = s.Packets,
            WireBytes = s.WireBytes,
            Drops = new StatusDrops { Kernel = s.KernelDropped, Interface = s.InterfaceDropped, Ring = s.RingDropped, Records = s.RecordsDropped },
            ActiveFlows = s.ActiveFlows,
            Records = s.Records,
            DecodeErrors = s.DecodeErrors,
            Sinks = sinks,
        };
    }
}
