using Microsoft.Extensions.Logging;
using TapSensor.Sinks.Influx.LineProtocol;
using TapSensor.Sinks.Influx.Logging;
using TapSensor.Sinks.Influx.Spool;

namespace TapSensor.Sinks.Influx.Writing;

/// <summary>
/// The background writer: takes sealed batches from a bounded in-memory queue and sends them, one request at a
/// time, on a task of its own. Failures, by class (<see cref="WriteStatus"/>):
/// <list type="bullet">
/// <item>transient (refused connection, timeout, 408, 429, 5xx): the batch is retried right away up to
/// <c>MaxRetries</c> times with jittered exponential backoff (Retry-After honoured); then it is spooled and the
/// writer enters an outage: every queued batch goes to the spool, and the oldest spooled batch probes the server
/// at backoff intervals. When a probe succeeds, the spool is replayed oldest first, interleaved with live
/// batches (one each in turn).</item>
/// <item>configuration (401, 403, unknown bucket or retention policy, no such API): logged as an error once per
/// outage, then handled as an outage, so no point is lost while someone fixes the setting.</item>
/// <item>database not found (1.x): created once (<c>CREATE DATABASE</c>) if allowed, else a configuration error.</item>
/// <item>rejected (400, 422, other 4xx): the refused points are counted and logged, the rest counted written;
/// the batch is not sent again.</item>
/// <item>too large (413): the batch is split in two and both halves go back to the front of the queue.</item>
/// </list>
/// The queue is bounded by points: a batch that does not fit is spooled at once by the caller's thread.
/// <see cref="CompleteAsync"/> sets a deadline: until then the queue and the spool are written (in an outage,
/// one last probe is made at once); at the deadline the request in flight is cancelled and everything left is
/// spooled.
/// </summary>
internal sealed class Delivery : IDisposable
{
    private readonly InfluxHttpWriter _http;
    private readonly ISpool _spool;
    private readonly InfluxCounters _counters;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Backoff _backoff;
    private readonly int _maxRetries;
    private readonly long _maxQueuedPoints;
    private readonly bool _createDatabase;
    private readonly LinkedList<PointBatch> _queue = new();
    private readonly object _queueGate = new();
    private readonly PointBuffer _gzip = new(256 * 1024);
    private readonly CancellationTokenSource _deadline = new();
    private TaskCompletionSource _wake = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ITimer? _deadlineTimer;
    private Task? _loop;
    private long _queuedPoints;
    private volatile bool _completing;

    // Writer-task state.
    private bool _outage;
    private bool _configurationLogged;
    private bool _finalProbeDone;
    private bool _replayTurn;
    private bool _createTried;
    private int _attempt;
    private long _probeAt;
    private long _outageSince;

    public Delivery(InfluxHttpWriter http, ISpool spool, InfluxOptions options, InfluxCounters counters, ILogger logger,
        TimeProvider time, Func<double>? random = null)
    {
        _http = http;
        _spool = spool;
        _counters = counters;
        _logger = logger;
        _time = time;
        _backoff = new Backoff(options.RetryBaseDelay, options.RetryMaxDelay, random);
        _maxRetries = options.MaxRetries;
        _maxQueuedPoints = options.MaxQueuedPoints;
        _createDatabase = options.CreateDatabase;
    }

    public long QueuedPoints => Interlocked.Read(ref _queuedPoints);

    /// <summary>True while batches are being spooled because the server cannot be written to.</summary>
    public bool InOutage => Volatile.Read(ref _outage);

    public void Start() => _loop ??= Task.Run(RunAsync);

    /// <summary>Queues a sealed batch (any thread). If the queue is full, the batch is spooled on the calling thread.</summary>
    public void Enqueue(PointBatch batch)
    {
        bool queued = false;
        lock (_queueGate)
        {
            if (_queue.Count == 0 || _queuedPoints + batch.Points <= _maxQueuedPoints)
            {
                _queue.AddLast(batch);
                _queuedPoints += batch.Points;
                queued = true;
            }
        }
        if (queued)
        {
            Signal();
            return;
        }
        using var gzip = new PointBuffer(Math.Max(4096, batch.Lines.Length / 4));
        Spool(batch, gzip, compressed: false, "the queue was full");
    }

    /// <summary>
    /// Writes what is queued and spooled until <paramref name="timeout"/> (on the sink's clock), spools the rest,
    /// and ends the writer task. The returned task completes when it has ended.
    /// </summary>
    public Task CompleteAsync(TimeSpan timeout)
    {
        _deadlineTimer ??= _time.CreateTimer(static s => ((CancellationTokenSource)s!).Cancel(), _deadline, timeout, Timeout.InfiniteTimeSpan);
        _completing = true;
        Signal();
        return _loop ?? Task.CompletedTask;
    }

    private void Signal() => Volatile.Read(ref _wake).TrySetResult();

    private Task ResetWake()
    {
        var next = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _wake, next);
        return next.Task;
    }

    private async Task RunAsync()
    {
        try
        {
            while (!_deadline.IsCancellationRequested)
            {
                var wake = ResetWake();
                if (_outage)
                {
                    SpoolQueued("InfluxDB is unreachable");
                    bool lastChance = _completing && !_finalProbeDone;
                    if (lastChance || _time.GetTimestamp() >= _probeAt)
                    {
                        if (lastChance) _finalProbeDone = true;
                        await ProbeAsync().ConfigureAwait(false);
                        continue;
                    }
                    if (_completing) break;
                    await WaitAsync(wake, _time.GetElapsedTime(_time.GetTimestamp(), _probeAt)).ConfigureAwait(false);
                    continue;
                }

                bool live = QueuedCount() > 0, spooled = _spool.Count > 0;
                if (live && (!spooled || !_replayTurn))
                {
                    _replayTurn = true;
                    if (TryDequeue(out var batch)) await SendLiveAsync(batch).ConfigureAwait(false);
                    continue;
                }
                if (spooled && _spool.TryPeekOldest(out var entry))
                {
                    _replayTurn = false;
                    await ReplayAsync(entry).ConfigureAwait(false);
                    continue;
                }
                if (_completing) break;
                await WaitAsync(wake, Timeout.InfiniteTimeSpan).ConfigureAwait(false);
            }
        }
        finally
        {
            SpoolQueued(_deadline.IsCancellationRequested ? "the flush deadline passed" : "InfluxDB is unreachable");
        }
    }

    private async Task WaitAsync(Task wake, TimeSpan delay)
    {
        if (delay <= TimeSpan.Zero && delay != Timeout.InfiniteTimeSpan) return;
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(_deadline.Token);
        var timer = delay == Timeout.InfiniteTimeSpan ? Task.Delay(Timeout.Infinite, cancel.Token) : Task.Delay(delay, _time, cancel.Token);
        await Task.WhenAny(wake, timer).ConfigureAwait(false);
        await cancel.CancelAsync().ConfigureAwait(false);
    }

    private async Task SendLiveAsync(PointBatch batch)
    {
        Gzip.Compress(batch.Lines.WrittenSpan, _gzip);
        for (int attempt = 0; ; attempt++)
        {
            WriteOutcome outcome;
            long started = _time.GetTimestamp();
            try
            {
                outcome = await _http.WriteAsync(_gzip.Array, _gzip.Length, batch.Points, batch.Precision, _deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                Spool(batch, _gzip, compressed: true, "the flush deadline passed");
                return;
            }

            switch (outcome.Status)
            {
                case WriteStatus.Written:
                    _createTried = false;
                    if (_logger.IsEnabled(LogLevel.Debug))
                        InfluxLog.BatchWritten(_logger, batch.Points, _gzip.Length, $", {batch.Lines.Length} before", _time.GetElapsedTime(started).TotalMilliseconds, "");
                    _counters.AddBatchWritten();
                    _counters.AddWritten(batch.Points);
                    batch.Dispose();
                    return;
                case WriteStatus.Rejected:
                    CountRejected(outcome, batch.Points, replayed: false);
                    batch.Dispose();
                    return;
                case WriteStatus.TooLarge:
                    SplitToFront(batch);
                    return;
                case WriteStatus.DatabaseNotFound when await TryCreateDatabaseAsync().ConfigureAwait(false):
                    attempt--;
                    continue;
                case WriteStatus.Transient when attempt < _maxRetries && !_deadline.IsCancellationRequested:
                {
                    _counters.AddBatchFailed();
                    var delay = _backoff.Delay(attempt + 1, outcome.RetryAfter);
                    InfluxLog.Retrying(_logger, batch.Points, Reason(outcome), attempt + 1, _maxRetries, delay);
                    try
                    {
                        await Task.Delay(delay, _time, _deadline.Token).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException)
                    {
                        Spool(batch, _gzip, compressed: true, "the flush deadline passed");
                        return;
                    }
                    _counters.AddRetried(batch.Points);
                    continue;
                }
                default:
                    _counters.AddBatchFailed();
                    EnterOutage(outcome);
                    Spool(batch, _gzip, compressed: true, "InfluxDB is unreachable");
                    return;
            }
        }
    }

    /// <summary>Sends the oldest spooled batch: a replay when healthy, a probe in an outage.</summary>
    private Task ProbeAsync()
    {
        if (_spool.TryPeekOldest(out var entry)) return ReplayAsync(entry);
        // Nothing to probe with (no spool, or its bound dropped everything): let the next live batch find out.
        LeaveOutage(verified: false);
        return Task.CompletedTask;
    }

    private async Task ReplayAsync(SpoolEntry entry)
    {
        byte[]? body = _spool.Read(entry);
        if (body is null)
        {
            _spool.Remove(entry);
            InfluxLog.Dropped(_logger, entry.Points, "a spool segment could not be read back", _counters.Dropped + entry.Points);
            _counters.AddDropped(entry.Points);
            return;
        }
        while (true)
        {
            WriteOutcome outcome;
            long started = _time.GetTimestamp();
            try
            {
                outcome = await _http.WriteAsync(body, body.Length, entry.Points, entry.Precision, _deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return; // still in the spool
            }

            switch (outcome.Status)
            {
                case WriteStatus.Written:
                    _spool.Remove(entry);
                    InfluxLog.BatchWritten(_logger, entry.Points, body.Length, "", _time.GetElapsedTime(started).TotalMilliseconds, " from the spool");
                    LeaveOutage();
                    _counters.AddBatchWritten();
                    _counters.AddReplayed(entry.Points);
                    _counters.AddWritten(entry.Points);
                    return;
                case WriteStatus.Rejected:
                    _spool.Remove(entry);
                    LeaveOutage();
                    CountRejected(outcome, entry.Points, replayed: true);
                    return;
                case WriteStatus.TooLarge:
                {
                    var batch = new PointBatch(entry.Precision, body.Length * 8) { Points = entry.Points, FirstPointTimestamp = _time.GetTimestamp() };
                    Gzip.Decompress(body, batch.Lines);
                    _spool.Remove(entry);
                    SplitToFront(batch);
                    LeaveOutage();
                    return;
                }
                case WriteStatus.DatabaseNotFound when await TryCreateDatabaseAsync().ConfigureAwait(false):
                    continue;
                default:
                    _counters.AddBatchFailed();
                    EnterOutage(outcome);
                    return;
            }
        }
    }

    /// <summary>Splits a batch that was too large and puts both halves at the front of the queue (its points are counted as queued).</summary>
    private void SplitToFront(PointBatch batch)
    {
        if (batch.Points <= 1)
        {
            CountRejected(new WriteOutcome(WriteStatus.Rejected, 413, batch.Points, "a single point is larger than the server accepts", null),
                batch.Points, replayed: false);
            batch.Dispose();
            return;
        }
        InfluxLog.Splitting(_logger, batch.Points);
        var (first, second) = batch.Split();
        batch.Dispose();
        lock (_queueGate)
        {
            _queue.AddFirst(second);
            _queue.AddFirst(first);
            _queuedPoints += first.Points + second.Points;
        }
    }

    // Logs before counting: whoever watches the counters (the summary, the tests) sees the log lines already written.
    private void CountRejected(WriteOutcome outcome, int points, bool replayed)
    {
        int rejected = Math.Clamp(outcome.Rejected, 0, points);
        string message = outcome.Message ?? "";
        InfluxLog.Rejected(_logger, rejected, points, outcome.StatusCode, WriteErrors.WithoutLines(message));
        InfluxLog.RejectedLines(_logger, outcome.StatusCode, message);
        _counters.AddBatchFailed();
        if (replayed) _counters.AddReplayed(points - rejected);
        _counters.AddWritten(points - rejected);
        _counters.AddRejected(rejected);
    }

    private async Task<bool> TryCreateDatabaseAsync()
    {
        if (!_createDatabase || _createTried || _http.Endpoint.Database is not { } database) return false;
        _createTried = true;
        try
        {
            var outcome = await _http.CreateDatabaseAsync(database, _deadline.Token).ConfigureAwait(false);
            if (outcome.Status != WriteStatus.Written) return false;
            InfluxLog.DatabaseCreated(_logger, database);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private void EnterOutage(WriteOutcome outcome)
    {
        bool configuration = outcome.Status is WriteStatus.ConfigurationError or WriteStatus.DatabaseNotFound;
        if (configuration && !_configurationLogged)
        {
            _configurationLogged = true;
            InfluxLog.ConfigurationError(_logger, outcome.StatusCode, outcome.Message ?? "", Hint(outcome));
        }
        if (!_outage)
        {
            Volatile.Write(ref _outage, true);
            _attempt = 0;
            _outageSince = _time.GetTimestamp();
            if (!configuration) InfluxLog.Unreachable(_logger, Reason(outcome), _spool.Points);
        }
        _attempt++;
        _probeAt = _time.GetTimestamp() + ToTicks(_backoff.Delay(_attempt, outcome.RetryAfter));
    }

    private void LeaveOutage(bool verified = true)
    {
        _createTried = false;
        if (!_outage) return;
        Volatile.Write(ref _outage, false);
        _configurationLogged = false;
        _attempt = 0;
        if (verified) InfluxLog.Recovered(_logger, _time.GetElapsedTime(_outageSince), _spool.Points);
    }

    private void SpoolQueued(string reason)
    {
        while (TryDequeue(out var batch)) Spool(batch, _gzip, compressed: false, reason);
    }

    /// <summary>Puts a batch in the spool and counts it; what the spool cannot take is dropped and counted.</summary>
    private void Spool(PointBatch batch, PointBuffer gzip, bool compressed, string reason)
    {
        if (!compressed) Gzip.Compress(batch.Lines.WrittenSpan, gzip);
        int dropped = _spool.Append(gzip.WrittenSpan, batch.Points, batch.Precision, out bool stored);
        if (dropped > 0)
        {
            string why = stored ? $"{reason}; the spool reached its bound, oldest segments deleted"
                : _spool.MaxBytes == 0 ? $"{reason}; the spool is off (Influx:SpoolMaxBytes is 0)"
                : _spool.LastError is { } error ? $"{reason}; the spool cannot be written: {error}"
                : $"{reason}; the batch alone is larger than the spool bound";
            InfluxLog.Dropped(_logger, dropped, why, _counters.Dropped + dropped);
            _counters.AddDropped(dropped);
        }
        if (stored) _counters.AddSpooled(batch.Points);
        batch.Dispose();
    }

    private bool TryDequeue(out PointBatch batch)
    {
        lock (_queueGate)
        {
            if (_queue.First is { } first)
            {
                _queue.RemoveFirst();
                _queuedPoints -= first.Value.Points;
                batch = first.Value;
                return true;
            }
        }
        batch = null!;
        return false;
    }

    private int QueuedCount()
    {
        lock (_queueGate) return _queue.Count;
    }

    private long ToTicks(TimeSpan span) => (long)(span.TotalSeconds * _time.TimestampFrequency);

    private static string Reason(WriteOutcome outcome) =>
        outcome.StatusCode == 0 ? outcome.Message ?? "no answer" : $"HTTP {outcome.StatusCode}: {WriteErrors.WithoutLines(outcome.Message ?? "")}";

    private string Hint(WriteOutcome outcome) => outcome.StatusCode switch
    {
        401 or 403 => _http.Endpoint.IsV2
            ? "Check Influx:TokenFile (the token needs write permission on the bucket)."
            : "Check Influx:Username and Influx:PasswordFile (the user needs WRITE on the database).",
        404 when outcome.Status == WriteStatus.DatabaseNotFound => _createDatabase
            ? "The database could not be created (the user needs admin rights to create it); create it or check Influx:Database."
            : "Create the database or check Influx:Database (Influx:CreateDatabase is off).",
        404 => _http.Endpoint.IsV2
            ? "Check Influx:Org and Influx:Bucket, and that the server has the v2 API (InfluxDB 2.x/3.x or 1.8+)."
            : "Check Influx:Url and Influx:Database.",
        _ => "Check Influx:RetentionPolicy.",
    };

    public void Dispose()
    {
        _deadline.Cancel();
        _deadlineTimer?.Dispose();
        try
        {
            _loop?.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // the loop's own failure was already reported through the completion task
        }
        lock (_queueGate)
        {
            foreach (var b in _queue) b.Dispose();
            _queue.Clear();
            _queuedPoints = 0;
        }
        _gzip.Dispose();
        _deadline.Dispose();
    }
}
