using System.Diagnostics;
using TapSensor.Geo.Logging;

namespace TapSensor.Geo;

/// <summary>Reloading when the database files change.</summary>
public sealed partial class GeoService
{
    private readonly Lock _reloadGate = new();
    private readonly Lock _timerGate = new();
    private FileSystemWatcher? _watcher;
    private ITimer? _pollTimer;
    private ITimer? _settleTimer;
    private bool _disposed;

    /// <summary>
    /// Re-reads the folder if any database file was added, removed, replaced or changed in size or modification time.
    /// Called by the watcher and the poll timer; callable by anyone (a command, a test). Returns whether it reloaded.
    /// </summary>
    public bool ReloadIfChanged()
    {
        if (!_options.Enabled) return false;
        lock (_reloadGate)
        {
            if (_disposed) return false;
            var current = Volatile.Read(ref _snapshot);
            if (GeoSnapshotLoader.Signature(DataDirectory) == current.Signature) return false;
            long started = Stopwatch.GetTimestamp();
            var next = GeoSnapshotLoader.Load(current.Generation + 1, DataDirectory, _options, _time, _logger, _counters);
            Volatile.Write(ref _snapshot, next);
            current.Retire();
            _counters.Reloaded();
            GeoLog.Reloaded(_logger, DataDirectory, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            if (_options.WatchForChanges) TryStartWatcher(); // the folder may have been created since the start
            return true;
        }
    }

    private void StartWatching()
    {
        _pollTimer = _time.CreateTimer(static s => ((GeoService)s!).CheckQuietly(), this, _options.PollInterval, _options.PollInterval);
        TryStartWatcher();
    }

    private void TryStartWatcher()
    {
        if (_watcher is not null || !Directory.Exists(DataDirectory)) return; // polling notices the folder when it appears
        try
        {
            var watcher = new FileSystemWatcher(DataDirectory)
            {
                IncludeSubdirectories = false,
                NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.CreationTime,
            };
            watcher.Created += OnFileEvent;
            watcher.Changed += OnFileEvent;
            watcher.Deleted += OnFileEvent;
            watcher.Renamed += OnFileEvent;
            watcher.EnableRaisingEvents = true;
            _watcher = watcher;
        }
        catch (Exception ex) when (ex is IOException or ArgumentException or PlatformNotSupportedException or UnauthorizedAccessException)
        {
            // e.g. the inotify instance limit: polling still notices every change, only later.
            GeoLog.WatchFailed(_logger, DataDirectory, ex.Message, _options.PollInterval);
        }
    }

    private void OnFileEvent(object sender, FileSystemEventArgs e)
    {
        bool relevant = GeoSnapshotLoader.IsRelevant(e.FullPath)
            || (e is RenamedEventArgs renamed && GeoSnapshotLoader.IsRelevant(renamed.OldFullPath));
        if (!relevant) return;
        lock (_timerGate)
        {
            if (_disposed) return;
            // Wait until the files have been quiet for ReloadDelay, so a file being copied is read once, complete.
            _settleTimer ??= _time.CreateTimer(static s => ((GeoService)s!).CheckQuietly(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            _settleTimer.Change(_options.ReloadDelay, Timeout.InfiniteTimeSpan);
        }
    }

    private void CheckQuietly()
    {
        try
        {
            ReloadIfChanged();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The loader reports bad files itself; this is the folder vanishing mid-scan. The next check retries.
            GeoLog.WatchFailed(_logger, DataDirectory, ex.Message, _options.PollInterval);
        }
    }

    public void Dispose()
    {
        lock (_reloadGate)
        {
            if (_disposed) return;
            lock (_timerGate) _disposed = true;
            _watcher?.Dispose();
            _pollTimer?.Dispose();
            _settleTimer?.Dispose();
            var last = Volatile.Read(ref _snapshot);
            Volatile.Write(ref _snapshot, GeoSnapshotLoader.Empty(last.Generation, DataDirectory, GeoCache.Ways));
            last.Retire();
        }
    }
}
