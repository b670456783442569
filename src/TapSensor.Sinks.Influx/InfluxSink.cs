using Microsoft.Extensions.Logging;
using TapSensor.Core.Flows;
using TapSensor.Core.Pipeline;
using TapSensor.Sinks.Influx.LineProtocol;
using TapSensor.Sinks.Influx.Logging;
using TapSensor.Sinks.Influx.Points;
using TapSensor.Sinks.Influx.Spool;
using TapSensor.Sinks.Influx.Writing;

namespace TapSensor.Sinks.Influx;

/// <summary>
/// Writes flow records to InfluxDB: one <c>flows</c> point per final record, <c>device_traffic</c> per device and
/// interval from the records' deltas, <c>new_destinations</c> when a device reaches a destination for the first time, and the sensor's own counters as <c>sensor</c> every
/// <see cref="InfluxOptions.SensorInterval"/>. The aggregator thread maps and serializes (<see cref="Write"/>);
/// sealed batches go to <see cref="Delivery"/>, which sends, retries and spools on its own task. A timer seals a
/// batch after <see cref="InfluxOptions.FlushInterval"/> and writes the sensor points. <see cref="Complete"/> blocks
/// until everything is written or spooled, at most <see cref="InfluxOptions.CompleteTimeout"/> (plus the request
/// in flight).
/// </summary>
internal sealed class InfluxSink : IFlowRecordSink, ISensorStatsConsumer, ISinkCounters, IDisposable
{
    /// <summary>How far behind the newest point timestamps are remembered for de-duplication: longer than a record can arrive after its start.</summary>
    private static readonly TimeSpan TimestampWindow = TimeSpan.FromHours(2);
    private const int TimestampCapacity = 262_144;

    private readonly InfluxOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly IFlowPointEnricher? _enricher;
    private readonly FlowPointMapper _mapper;
    private readonly FlowPoint _point = new();
    private readonly DeviceKeys _deviceKeys = new();
    private readonly DeviceLabels _deviceLabels = new();
    private readonly PlaceKeys _places = new();
    private readonly Destinations _destinations = new();
    private readonly DeviceTraffic _traffic;
    private readonly LineWriter _lines;
    private readonly SeriesTimestamps _timestamps;
    private readonly LineWriter _sensorLines;
    private readonly TimestampPrecision _precision;
    private readonly string _sensor;
    private readonly ISpool _spool;
    private readonly InfluxHttpWriter _http;
    private readonly Delivery _delivery;
    private readonly InfluxCounters _counters = new();
    private readonly object _gate = new();
    private readonly long _started;
    private readonly ITimer _timer;
    private PointBatch? _open;
    private ISensorStatsSource? _stats;
    private long _lastSensorPoint;
    private long _lastTrafficAdvance;
    private long _trafficNewest = long.MinValue;
    private bool _completed;

    /// <param name="uidSeed">Seed of the <c>uid</c> field (the conn-log writer's, so both agree).</param>
    /// <param name="enricher">Adds device, names and geolocation to each point; null leaves them out.</param>
    /// <param name="handler">For tests: an HTTP handler instead of the network.</param>
    /// <param name="random">For tests: the backoff's random source.</param>
    public InfluxSink(InfluxOptions options, ILogger<InfluxSink> logger, TimeProvider? time = null, ulong uidSeed = 0,
        IFlowPointEnricher? enricher = null, HttpMessageHandler? handler = null)
        : this(options, (ILogger)logger, time, uidSeed, enricher, handler, null)
    {
    }

    internal InfluxSink(InfluxOptions options, ILogger logger, TimeProvider? time, ulong uidSeed, IFlowPointEnricher? enricher,
        HttpMessageHandler? handler, Func<double>? random)
    {
        var errors = options.Validate().ToList();
        if (!options.Enabled) errors.Add($"{InfluxOptions.SectionName}:Url is required");
        if (errors.Count > 0) throw new ArgumentException(string.Join(Environment.NewLine, errors), nameof(options));

        _options = options;
        _logger = logger;
        _time = time ?? TimeProvider.System;
        _enricher = enricher;
        _mapper = new FlowPointMapper(uidSeed);
        _precision = options.ParsedPrecision;
        _sensor = options.SensorName;
        _traffic = new DeviceTraffic(options.TrafficInterval);
        long window = TimestampPrecisions.FromNanoseconds((long)TimestampWindow.TotalMicroseconds * 1000, _precision);
        _timestamps = new SeriesTimestamps(window, TimestampCapacity);
        _lines = new LineWriter(_precision, _timestamps);
        _sensorLines = new LineWriter(_precision, new SeriesTimestamps(Math.Max(1, window), 1024));

        _spool = OpenSpool(options);
        var endpoint = InfluxEndpoint.Create(options);
        _http = new InfluxHttpWriter(endpoint, _time, options.RequestTimeout, handler);
        _delivery = new Delivery(_http, _spool, options, _counters, logger, _time, random);
        _started = _lastSensorPoint = _lastTrafficAdvance = _time.GetTimestamp();

        string spool = options.SpoolMaxBytes == 0 ? "off"
            : _spool is DiskSpool disk ? $"{disk.DirectoryPath} (at most {options.SpoolMaxBytes} bytes)"
            : $"in memory (at most {_spool.MaxBytes} bytes; set Influx:SpoolDirectory to keep it across restarts)";
        InfluxLog.Started(logger, endpoint.Description, TimestampPrecisions.V2Name(_precision), options.BatchPoints, options.FlushInterval, spool);
        if (_spool is DiskSpool { Unreadable.Count: > 0 } bad)
            InfluxLog.UnreadableSegments(logger, bad.Unreadable.Count, bad.DirectoryPath, string.Join(", ", bad.Unreadable));
        if (_spool.Points > 0)
        {
            _counters.SetSpoolPointsAtStart(_spool.Points);
            InfluxLog.SpoolFound(logger, _spool.Points, _spool.Count);
        }

        _delivery.Start();
        var tick = options.FlushInterval < options.SensorInterval ? options.FlushInterval : options.SensorInterval;
        if (tick > TimeSpan.FromSeconds(1)) tick = TimeSpan.FromSeconds(1);
        _timer = _time.CreateTimer(static s => ((InfluxSink)s!).OnTick(), this, tick, tick);
    }

    public InfluxCounters Counters => _counters;

    /// <summary>Points waiting: in the open batch, the queue and the spool.</summary>
    public long PendingPoints
    {
        get
        {
            long open;
            lock (_gate) open = _open?.Points ?? 0;
            return open + _delivery.QueuedPoints + _spool.Points;
        }
    }

    public long SpoolPoints => _spool.Points;

    public string SinkName => "influx";

    public void Attach(ISensorStatsSource source) => Volatile.Write(ref _stats, source);

    public void Write(ReadOnlySpan<FlowRecord> records)
    {
        lock (_gate)
        {
            if (_completed) return;
            bool trafficDue = false;
            var p = _point;
            foreach (ref readonly var r in records)
            {
                _mapper.Map(in r, p);
                p.Sensor = _sensor;
                _enricher?.Enrich(in r, p);
                string device = _deviceKeys.KeyOf(p);
                string label = _deviceLabels.LabelOf(device, p);
                trafficDue |= _traffic.Add(p, device, label);
                if (_options.Destinations && _destinations.IsNew(p, device) && InfluxSchema.WriteDestination(_lines, OpenBatch().Lines, p, device, label)) PointAdded();
                if (r.IsFinal && InfluxSchema.WriteFlow(_lines, OpenBatch().Lines, p, device, label, _places.PlaceOf(p))) PointAdded();
            }
            if (trafficDue) EmitTraffic(all: false);
        }
    }

    /// <summary>
    /// Ends the run: writes the last intervals and a last sensor point, then waits until everything queued is
    /// written or spooled (at most <see cref="InfluxOptions.CompleteTimeout"/>), and logs the counters.
    /// </summary>
    public void Complete()
    {
        if (!CloseIntake()) return;
        var done = _delivery.CompleteAsync(_options.CompleteTimeout);
        // The deadline is on the sink's clock; the real-time wait adds room for the request in flight.
        if (!done.Wait(_options.CompleteTimeout + _options.RequestTimeout + TimeSpan.FromSeconds(5)))
            InfluxLog.CompleteTimedOut(_logger, _options.CompleteTimeout, _delivery.QueuedPoints);
        Finish();
    }

    /// <summary>For tests on a fake clock: the same as <see cref="Complete"/>, returning when the writer has ended.</summary>
    internal async Task CompleteAsync()
    {
        if (!CloseIntake()) return;
        await _delivery.CompleteAsync(_options.CompleteTimeout).ConfigureAwait(false);
        Finish();
    }

    /// <summary>
    /// Takes no more points: writes the last intervals and a last sensor point, seals the open batch and stops the
    /// timer. False when the sink was already completed.
    /// </summary>
    private bool CloseIntake()
    {
        lock (_gate)
        {
            if (_completed) return false;
            _completed = true;
            EmitTraffic(all: true);
            WriteSensorPoint();
            Seal();
        }
        _timer.Dispose();
        return true;
    }

    private void Finish()
    {
        if (!_spool.Durable && _spool.Points > 0)
        {
            long lost = _spool.Points;
            _counters.AddDropped(lost);
            InfluxLog.Dropped(_logger, (int)Math.Min(int.MaxValue, lost), "the spool is in memory and the run ends (set Influx:SpoolDirectory to keep it)", _counters.Dropped);
            _spool.Dispose();
        }
        if (_counters.TimestampsMoved > 0) InfluxLog.TimestampsMoved(_logger, _counters.TimestampsMoved);
        InfluxLog.Summary(_logger, _counters.Written, _counters.Replayed, _counters.Retried, _counters.Spooled, _counters.Rejected,
            _counters.Dropped, _spool.Points);
    }

    public IReadOnlyList<KeyValuePair<string, long>> ReadCounters() =>
    [
        new("points_produced", _counters.Produced),
        new("points_written", _counters.Written),
        new("points_rejected", _counters.Rejected),
        new("points_dropped", _counters.Dropped),
        new("points_retried", _counters.Retried),
        new("points_spooled", _counters.Spooled),
        new("points_replayed", _counters.Replayed),
        new("points_pending", PendingPoints),
        new("batches_written", _counters.BatchesWritten),
        new("batches_failed", _counters.BatchesFailed),
        new("timestamps_moved", _counters.TimestampsMoved),
    ];

    private PointBatch OpenBatch()
    {
        if (_open is null)
        {
            // Sized for a full batch (about 450 bytes per flows line), so it does not grow line by line; the pool reuses it.
            _open = new PointBatch(_precision, (int)Math.Min(_options.BatchBytes, _options.BatchPoints * 512L));
            _open.FirstPointTimestamp = _time.GetTimestamp();
        }
        return _open;
    }

    /// <summary>After a line went into the open batch: count it and seal the batch when it is full.</summary>
    private void PointAdded()
    {
        _open!.Points++;
        if (_open.Points >= _options.BatchPoints || _open.Lines.Length >= _options.BatchBytes) Seal();
    }

    private void Seal()
    {
        var batch = _open;
        _open = null;
        if (batch is null) return;
        if (batch.Points == 0)
        {
            batch.Dispose();
            return;
        }
        _counters.AddProduced(batch.Points);
        _counters.SetTimestampsMoved(_timestamps.Moved);
        _delivery.Enqueue(batch);
    }

    private void EmitTraffic(bool all)
    {
        var writer = new TrafficWriter(this);
        if (all) _traffic.EmitAll(ref writer);
        else _traffic.EmitDue(ref writer);
    }

    private void WriteSensorPoint()
    {
        var stats = Volatile.Read(ref _stats)?.Read();
        long now = _time.GetTimestamp();
        _lastSensorPoint = now;
        if (InfluxSchema.WriteSensor(_sensorLines, OpenBatch().Lines, _sensor, stats, _counters, _delivery.QueuedPoints, _spool.Points,
                _spool.Bytes, _time.GetElapsedTime(_started, now).TotalSeconds, _time.GetUtcNow().ToUnixTimeMilliseconds() * 1_000_000))
            PointAdded();
    }

    /// <summary>Timer (wall clock): seal an old batch, write the sensor point when due, and flush traffic intervals a quiet network leaves open.</summary>
    private void OnTick()
    {
        lock (_gate)
        {
            if (_completed) return;
            long now = _time.GetTimestamp();
            if (_time.GetElapsedTime(_lastSensorPoint, now) >= _options.SensorInterval) WriteSensorPoint();

            if (_traffic.NewestInterval != _trafficNewest)
            {
                _trafficNewest = _traffic.NewestInterval;
                _lastTrafficAdvance = now;
            }
            else if (_traffic.OpenEntries > 0
                     && _time.GetElapsedTime(_lastTrafficAdvance, now) >= _options.TrafficInterval * (DeviceTraffic.LagIntervals + 1))
            {
                EmitTraffic(all: true);
                _lastTrafficAdvance = now;
            }

            if (_open is { } open && _time.GetElapsedTime(open.FirstPointTimestamp, now) >= _options.FlushInterval) Seal();
        }
    }

    /// <summary>Most memory a spool without a directory may hold, whatever <see cref="InfluxOptions.SpoolMaxBytes"/> says: a small home server's RAM is not a disk.</summary>
    internal const long MemorySpoolLimit = 64L * 1024 * 1024;

    private static ISpool OpenSpool(InfluxOptions options)
    {
        if (options.SpoolMaxBytes > 0 && !string.IsNullOrWhiteSpace(options.SpoolDirectory))
            return new DiskSpool(options.SpoolDirectory, options.SpoolMaxBytes, TimeProvider.System);
        return new MemorySpool(Math.Min(options.SpoolMaxBytes, MemorySpoolLimit));
    }

    public void Dispose()
    {
        _timer.Dispose();
        _delivery.Dispose();
        _http.Dispose();
        _spool.Dispose();
        lock (_gate)
        {
            _open?.Dispose();
            _open = null;
        }
    }

    private readonly struct TrafficWriter(InfluxSink sink) : IDeviceTrafficWriter
    {
        public void Write(in TrafficSeries series, long intervalStartNs, in DeviceTotals totals)
        {
            if (InfluxSchema.WriteDeviceTraffic(sink._lines, sink.OpenBatch().Lines, sink._sensor, in series, in totals, intervalStartNs))
                sink.PointAdded();
        }
    }
}
