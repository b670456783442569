using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using TapSensor.Core.Devices;
using TapSensor.Core.Flows;
using TapSensor.Sinks.Sqlite.Logging;
using TapSensor.Sinks.Sqlite.Store;

namespace TapSensor.Sinks.Sqlite;

/// <summary>
/// Keeps flow records in the embedded SQLite store: one <c>flows</c> row per final record (what <c>--flows</c>
/// writes: finished flows and active-timeout slices), the household's devices, and the names remote addresses
/// were given. <see cref="Write"/> runs on the aggregator thread and only copies: each final record (and, at
/// most once per <see cref="SqliteOptions.FlushInterval"/>, a snapshot of its device) goes into a bounded queue;
/// when the queue is full the record is dropped and counted, never waited for. One writer thread commits the
/// queue in transactions of at most <see cref="SqliteOptions.BatchRows"/> rows or every
/// <see cref="SqliteOptions.FlushInterval"/> with prepared statements, and prunes rows past the retention in
/// small batches between commits. Rows are unique by <c>uid</c> (<c>INSERT OR IGNORE</c>): re-reading a capture
/// adds nothing that is already stored.
/// </summary>
public sealed class SqliteSink : IFlowRecordSink, ISinkCounters, IDisposable
{
    private const long NsPerDay = 86_400L * 1_000_000_000;
    private static readonly TimeSpan ReportInterval = TimeSpan.FromSeconds(10);

    private readonly SqliteOptions _options;
    private readonly string _path;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly ulong _uidSeed;
    private readonly BlockingCollection<StoreItem> _queue;
    private readonly SqliteConnection _connection;
    private readonly Thread _writer;
    // Aggregator thread only: when each device was last copied (wall-clock timestamp).
    private readonly Dictionary<Device, long> _deviceSnapshots = new(ReferenceEqualityComparer.Instance);
    private long _recordsQueued;
    private long _recordsDropped;
    private long _rowsWritten;
    private long _rowsDuplicate;
    private long _rowsFailed;
    private long _rowsPruned;
    private long _transactions;
    private long _devicesWritten;
    private long _namesWritten;
    private long _newestFirstNs = long.MinValue;
    private bool _writerStarted;
    private bool _completed;

    /// <param name="path">The database file (created with its folder when missing).</param>
    /// <param name="uidSeed">Seed of the <c>uid</c> column: the JSON-lines writer's, so a row and its conn record share a uid.</param>
    /// <exception cref="StoreException">The file cannot be used as a store: not a store, newer schema, corrupt, locked, unwritable.</exception>
    public SqliteSink(SqliteOptions options, string path, ILogger<SqliteSink> logger, TimeProvider? time = null, ulong uidSeed = 0)
        : this(options, path, (ILogger)logger, time, uidSeed, startWriter: true)
    {
    }

    /// <param name="startWriter">For tests: false leaves the writer stopped until <see cref="StartWriter"/>, so the queue fills.</param>
    internal SqliteSink(SqliteOptions options, string path, ILogger logger, TimeProvider? time, ulong uidSeed, bool startWriter)
    {
        var errors = options.Validate().ToList();
        if (errors.Count > 0) throw new ArgumentException(string.Join(Environment.NewLine, errors), nameof(options));
        _options = options;
        _path = Path.GetFullPath(path);
        _logger = logger;
        _time = time ?? TimeProvider.System;
        _uidSeed = uidSeed;
        _queue = new BlockingCollection<StoreItem>(new ConcurrentQueue<StoreItem>(), options.QueueRecords);

        _connection = StoreConnection.OpenForWriting(_path, out int versionFound);
        if (versionFound != 0 && versionFound != StoreSchema.Version) SqliteLog.Migrated(logger, _path, versionFound, StoreSchema.Version);
        long rows = Convert.ToInt64(StoreConnection.Scalar(_connection, "SELECT count(*) FROM flows"), CultureInfo.InvariantCulture);
        if (StoreConnection.Scalar(_connection, "SELECT max(first_ns) FROM flows") is long newest) _newestFirstNs = newest;
        SqliteLog.Opened(logger, _path, StoreSchema.Version, rows,
            options.RetentionDays > 0 ? string.Create(CultureInfo.InvariantCulture, $"{options.RetentionDays:0.##} days") : "off",
            options.FlushInterval, options.BatchRows);

        _writer = new Thread(RunWriter) { IsBackground = true, Name = "tapsensor-sqlite" };
        if (startWriter) StartWriter();
    }

    public string SinkName => "sqlite";

    public string DatabasePath => _path;

    /// <summary>Final records put in the queue.</summary>
    public long RecordsQueued => Volatile.Read(ref _recordsQueued);
    /// <summary>Final records dropped because the queue was full.</summary>
    public long RecordsDropped => Volatile.Read(ref _recordsDropped);
    /// <summary>Rows inserted into <c>flows</c>.</summary>
    public long RowsWritten => Volatile.Read(ref _rowsWritten);
    /// <summary>Records whose uid was already stored (the same capture read again).</summary>
    public long RowsDuplicate => Volatile.Read(ref _rowsDuplicate);
    /// <summary>Records lost because their commit failed (disk full, I/O error, lock held too long).</summary>
    public long RowsFailed => Volatile.Read(ref _rowsFailed);
    public long RowsPruned => Volatile.Read(ref _rowsPruned);

    internal void StartWriter()
    {
        if (_writerStarted) return;
        _writerStarted = true;
        _writer.Start();
    }

    public void Write(ReadOnlySpan<FlowRecord> records)
    {
        if (_completed) return;
        long now = _time.GetTimestamp();
        long queued = 0, dropped = 0;
        foreach (ref readonly var r in records)
        {
            DeviceSnapshot? snapshot = null;
            if (r.Device is { } device
                && (!_deviceSnapshots.TryGetValue(device, out long last) || _time.GetElapsedTime(last, now) >= _options.FlushInterval))
            {
                _deviceSnapshots[device] = now;
                snapshot = DeviceSnapshot.Of(device);
            }
            if (!r.IsFinal)
            {
                if (snapshot is not null && !_queue.TryAdd(StoreItem.OfDevice(snapshot))) _deviceSnapshots.Remove(r.Device!);
                continue;
            }
            if (_queue.TryAdd(StoreItem.Of(in r, snapshot))) queued++;
            else
            {
                dropped++;
                if (snapshot is not null) _deviceSnapshots.Remove(r.Device!);
            }
        }
        if (queued > 0) Interlocked.Add(ref _recordsQueued, queued);
        if (dropped > 0) Interlocked.Add(ref _recordsDropped, dropped);
    }

    /// <summary>Remembers the credit lines of the geolocation data in use, for reports (stored in <c>meta</c>).</summary>
    public void RecordAttributions(IEnumerable<(string Text, string Url)> attributions)
    {
        var text = new StringBuilder();
        foreach (var (t, u) in attributions) text.Append(t.Replace('\t', ' ')).Append('\t').Append(u).Append('\n');
        if (text.Length > 0 && !_completed) _queue.TryAdd(StoreItem.OfMeta("attribution", text.ToString()));
    }

    /// <summary>Snapshots every device seen, then waits until the writer has committed everything and closes the store.</summary>
    public void Complete()
    {
        if (_completed) return;
        _completed = true;
        // The aggregator has stopped: the devices no longer change, and their final totals go in last.
        foreach (var device in _deviceSnapshots.Keys)
        {
            if (!_queue.TryAdd(StoreItem.OfDevice(DeviceSnapshot.Of(device)), TimeSpan.FromSeconds(30))) break;
        }
        _queue.CompleteAdding();
        StartWriter();
        _writer.Join();
        SqliteLog.Summary(_logger, RowsWritten, RowsDuplicate, RecordsDropped, RowsFailed, RowsPruned);
        Close();
    }

    public IReadOnlyList<KeyValuePair<string, long>> ReadCounters() =>
    [
        new("records_queued", RecordsQueued),
        new("records_dropped", RecordsDropped),
        new("rows_written", RowsWritten),
        new("rows_duplicate", RowsDuplicate),
        new("rows_failed", RowsFailed),
        new("rows_pruned", RowsPruned),
        new("transactions", Volatile.Read(ref _transactions)),
        new("devices_written", Volatile.Read(ref _devicesWritten)),
        new("names_written", Volatile.Read(ref _namesWritten)),
        new("queue_records", _queue.Count),
    ];

    public void Dispose()
    {
        if (!_completed)
        {
            _completed = true;
            _queue.CompleteAdding();
            if (_writerStarted) _writer.Join();
            Close();
        }
        _queue.Dispose();
    }

    private void Close()
    {
        try
        {
            _connection.Dispose();
        }
        catch (SqliteException ex)
        {
            SqliteLog.CloseFailed(_logger, _path, StoreConnection.Describe(ex));
        }
    }

    // ---------------- writer thread ----------------

    private void RunWriter()
    {
        try
        {
            using var statements = new Statements(_connection);
            var batch = new List<StoreItem>(Math.Min(_options.BatchRows, 65_536));
            long deadline = 0, nextPrune = _time.GetTimestamp(), nextReport = 0, droppedReported = 0;
            bool pruneBacklog = true;
            while (true)
            {
                long now = _time.GetTimestamp();
                TimeSpan wait = batch.Count > 0 ? Until(deadline, now) : _options.PruneInterval;
                if (pruneBacklog) wait = TimeSpan.Zero;
                bool took = _queue.TryTake(out var item, wait);
                if (took)
                {
                    if (batch.Count == 0) deadline = _time.GetTimestamp() + Ticks(_options.FlushInterval);
                    batch.Add(item);
                    while (batch.Count < _options.BatchRows && _queue.TryTake(out item)) batch.Add(item);
                }
                now = _time.GetTimestamp();
                bool ending = !took && _queue.IsCompleted;
                if (batch.Count > 0 && (batch.Count >= _options.BatchRows || now >= deadline || ending))
                {
                    Commit(statements, batch);
                    batch.Clear();
                }
                if (now >= nextReport)
                {
                    nextReport = now + Ticks(ReportInterval);
                    long dropped = RecordsDropped;
                    if (dropped > droppedReported) SqliteLog.Dropped(_logger, dropped - droppedReported, dropped);
                    droppedReported = dropped;
                }
                if (ending)
                {
                    // Finish a prune in progress, within a short bound: the next run carries on where this one stopped.
                    long stopBy = now + Ticks(TimeSpan.FromSeconds(2));
                    while (pruneBacklog && _options.RetentionDays > 0 && _time.GetTimestamp() < stopBy) pruneBacklog = PruneStep(statements);
                    break;
                }
                if (_options.RetentionDays <= 0) pruneBacklog = false;
                else if (pruneBacklog || now >= nextPrune)
                {
                    pruneBacklog = PruneStep(statements);
                    if (!pruneBacklog) nextPrune = now + Ticks(_options.PruneInterval);
                }
            }
            if (RecordsDropped > droppedReported) SqliteLog.Dropped(_logger, RecordsDropped - droppedReported, RecordsDropped);
        }
        catch (Exception ex)
        {
            // Never take the process down mid-run: what is still queued is counted as lost.
            SqliteLog.WriterFailed(_logger, ex, StoreConnection.Describe(ex));
            long lost = 0;
            while (_queue.TryTake(out var rest, Timeout.Infinite)) if (rest.HasRecord) lost++;
            Interlocked.Add(ref _rowsFailed, lost);
        }
    }

    private TimeSpan Until(long deadline, long now) => deadline <= now ? TimeSpan.Zero : _time.GetElapsedTime(now, deadline);

    private long Ticks(TimeSpan span) => (long)(span.TotalSeconds * _time.TimestampFrequency);

    private void Commit(Statements s, List<StoreItem> batch)
    {
        int records = 0;
        long written = 0, duplicates = 0, devices = 0, names = 0, newest = _newestFirstNs;
        foreach (var item in batch) if (item.HasRecord) records++;
        try
        {
            using var tx = _connection.BeginTransaction();
            s.Enlist(tx);
            foreach (var item in batch)
            {
                if (item.Device is { } d)
                {
                    s.UpsertDevice(d);
                    devices++;
                }
                if (item.Meta is { } meta) s.SetMeta(meta.Key, meta.Value);
                if (!item.HasRecord) continue;
                ref readonly var r = ref item.Record;
                if (s.InsertFlow(in item, _uidSeed)) written++;
                else duplicates++;
                if (r.FirstNs > newest) newest = r.FirstNs;
                if (r.RemoteName is not null && item.DeviceId is not null)
                {
                    s.UpsertName(in item);
                    names++;
                }
            }
            tx.Commit();
        }
        catch (SqliteException ex)
        {
            long failed = Interlocked.Add(ref _rowsFailed, records);
            SqliteLog.WriteFailed(_logger, records, failed, StoreConnection.Describe(ex));
            return;
        }
        _newestFirstNs = newest;
        Interlocked.Add(ref _rowsWritten, written);
        Interlocked.Add(ref _rowsDuplicate, duplicates);
        Interlocked.Add(ref _devicesWritten, devices);
        Interlocked.Add(ref _namesWritten, names);
        Interlocked.Increment(ref _transactions);
    }

    /// <summary>Deletes one small batch of rows past the retention; returns true while more are left.</summary>
    private bool PruneStep(Statements s)
    {
        if (_newestFirstNs == long.MinValue) return false;
        long cutoff = _newestFirstNs - (long)(_options.RetentionDays * NsPerDay);
        try
        {
            using var tx = _connection.BeginTransaction();
            s.Enlist(tx);
            int flows = s.Prune(cutoff, _options.PruneBatchRows, out int names, out int devices);
            tx.Commit();
            Interlocked.Add(ref _rowsPruned, flows);
            if (flows + names + devices > 0)
                SqliteLog.Pruned(_logger, flows, names, devices, DateTimeOffset.UnixEpoch.AddTicks(cutoff / 100));
            return flows + names + devices >= _options.PruneBatchRows;
        }
        catch (SqliteException ex)
        {
            SqliteLog.WriteFailed(_logger, 0, RowsFailed, "pruning: " + StoreConnection.Describe(ex));
            return false;
        }
    }

    /// <summary>The writer's prepared statements, reused for every row.</summary>
    private sealed class Statements : IDisposable
    {
        private readonly SqliteCommand _flow;
        private readonly SqliteCommand _device;
        private readonly SqliteCommand _name;
        private readonly SqliteCommand _meta;
        private readonly SqliteCommand _pruneFlows;
        private readonly SqliteCommand _pruneNames;
        private readonly SqliteCommand _pruneDevices;
        private readonly SqliteParameter[] _f;
        private readonly SqliteParameter[] _d;
        private readonly SqliteParameter[] _n;
        private readonly SqliteParameter[] _m;
        private readonly SqliteParameter[] _p;

        private static readonly string[] FlowColumns =
        [
            "first_ns", "last_ns", "duration", "device", "device_name", "local", "local_is_orig", "proto", "local_ip", "local_port",
            "remote_ip", "remote_port", "remote_name", "remote_name_source", "service", "country", "city", "lat", "lon", "accuracy_km",
            "asn", "org", "orig_ip_bytes", "resp_ip_bytes", "orig_pkts", "resp_pkts", "orig_bytes", "resp_bytes", "bytes_up", "bytes_down",
            "pkts_up", "pkts_down", "close_reason", "conn_state", "vlan", "uid", "community_id",
        ];

        private static readonly string[] DeviceColumns =
        [
            "id", "mac", "name", "name_source", "vendor", "grp", "randomized", "keyed_by", "is_router", "first_ns", "last_ns", "addresses",
            "bytes_up", "bytes_down", "packets_up", "packets_down", "flows", "updated_ns",
        ];

        public Statements(SqliteConnection c)
        {
            _flow = Prepare(c, $"INSERT OR IGNORE INTO flows ({string.Join(", ", FlowColumns)}) VALUES ({string.Join(", ", FlowColumns.Select(x => "$" + x))})",
                FlowColumns, out _f);
            // A device's words are overwritten by the newest snapshot; its first/last seen only widen.
            _device = Prepare(c, $"INSERT INTO devices ({string.Join(", ", DeviceColumns)}) VALUES ({string.Join(", ", DeviceColumns.Select(x => "$" + x))}) " +
                                 "ON CONFLICT (id) DO UPDATE SET mac = coalesce(excluded.mac, mac), name = coalesce(excluded.name, name), " +
                                 "name_source = coalesce(excluded.name_source, name_source), vendor = coalesce(excluded.vendor, vendor), " +
                                 "grp = coalesce(excluded.grp, grp), randomized = excluded.randomized, keyed_by = excluded.keyed_by, " +
                                 "is_router = excluded.is_router, first_ns = min(first_ns, excluded.first_ns), last_ns = max(last_ns, excluded.last_ns), " +
                                 "addresses = excluded.addresses, bytes_up = excluded.bytes_up, bytes_down = excluded.bytes_down, " +
                                 "packets_up = excluded.packets_up, packets_down = excluded.packets_down, flows = excluded.flows, updated_ns = excluded.updated_ns",
                DeviceColumns, out _d);
            _name = Prepare(c, "INSERT INTO names (device, remote_ip, name, source, first_ns, last_ns) VALUES ($device, $remote_ip, $name, $source, $first_ns, $last_ns) " +
                               "ON CONFLICT (device, remote_ip, name) DO UPDATE SET source = excluded.source, " +
                               "first_ns = min(first_ns, excluded.first_ns), last_ns = max(last_ns, excluded.last_ns)",
                ["device", "remote_ip", "name", "source", "first_ns", "last_ns"], out _n);
            _meta = Prepare(c, "INSERT INTO meta (key, value) VALUES ($key, $value) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                ["key", "value"], out _m);
            _pruneFlows = Prepare(c, "DELETE FROM flows WHERE id IN (SELECT id FROM flows WHERE first_ns < $cutoff ORDER BY first_ns LIMIT $n)",
                ["cutoff", "n"], out _p);
            _pruneNames = c.CreateCommand();
            _pruneNames.CommandText = "DELETE FROM names WHERE (device, remote_ip, name) IN (SELECT device, remote_ip, name FROM names WHERE last_ns < $cutoff LIMIT $n)";
            _pruneDevices = c.CreateCommand();
            _pruneDevices.CommandText = "DELETE FROM devices WHERE id IN (SELECT id FROM devices WHERE last_ns < $cutoff LIMIT $n)";
            foreach (var cmd in new[] { _pruneNames, _pruneDevices })
            {
                cmd.Parameters.Add(_p[0]);
                cmd.Parameters.Add(_p[1]);
            }
        }

        private static SqliteCommand Prepare(SqliteConnection c, string sql, string[] names, out SqliteParameter[] parameters)
        {
            var cmd = c.CreateCommand();
            cmd.CommandText = sql;
            parameters = new SqliteParameter[names.Length];
            for (int i = 0; i < names.Length; i++) parameters[i] = cmd.Parameters.Add("$" + names[i], SqliteType.Integer);
            return cmd;
        }

        public void Enlist(SqliteTransaction tx)
        {
            _flow.Transaction = _device.Transaction = _name.Transaction = _meta.Transaction = tx;
            _pruneFlows.Transaction = _pruneNames.Transaction = _pruneDevices.Transaction = tx;
        }

        private static object Db(string? s) => s is null ? DBNull.Value : s;
        private static object Db(long? v) => v is { } x ? x : DBNull.Value;
        private static object Db(double? v) => v is { } x && double.IsFinite(x) ? x : DBNull.Value;

        public bool InsertFlow(in StoreItem item, ulong uidSeed)
        {
            ref readonly var r = ref item.Record;
            bool lo = item.LocalIsOrig;
            var orig = FlowAddress.Originator(in r);
            var resp = FlowAddress.Responder(in r);
            var place = r.Location;
            Span<byte> id = stackalloc byte[64];
            int i = 0;
            var p = _f;
            p[i++].Value = r.FirstNs;
            p[i++].Value = r.LastNs;
            p[i++].Value = Math.Max(0, r.LastNs - r.FirstNs) / 1e9;
            p[i++].Value = Db(item.DeviceId);
            p[i++].Value = Db(item.DeviceName);
            p[i++].Value = r.Local ? 1L : 0L;
            p[i++].Value = lo ? 1L : 0L;
            p[i++].Value = FlowKey.ProtocolName(r.Key.Protocol);
            p[i++].Value = (lo ? orig : resp).ToString();
            p[i++].Value = (long)(lo ? r.OrigPort : r.RespPort);
            p[i++].Value = (lo ? resp : orig).ToString();
            p[i++].Value = (long)(lo ? r.RespPort : r.OrigPort);
            p[i++].Value = Db(r.RemoteName);
            p[i++].Value = Db(r.RemoteName is null ? null : RemoteNameSources.Name(r.RemoteNameSource));
            p[i++].Value = Db(r.Service);
            p[i++].Value = Db(place?.CountryCode);
            p[i++].Value = Db(place?.City);
            bool located = place?.Latitude is not null && place.Longitude is not null;
            p[i++].Value = located ? Db(place!.Latitude) : DBNull.Value;
            p[i++].Value = located ? Db(place!.Longitude) : DBNull.Value;
            p[i++].Value = Db(place?.AccuracyKm);
            p[i++].Value = Db(place?.Asn);
            p[i++].Value = Db(place?.Organisation);
            p[i++].Value = r.OrigIpBytes;
            p[i++].Value = r.RespIpBytes;
            p[i++].Value = r.OrigPkts;
            p[i++].Value = r.RespPkts;
            p[i++].Value = r.OrigBytes;
            p[i++].Value = r.RespBytes;
            p[i++].Value = lo ? r.OrigIpBytes : r.RespIpBytes;
            p[i++].Value = lo ? r.RespIpBytes : r.OrigIpBytes;
            p[i++].Value = lo ? r.OrigPkts : r.RespPkts;
            p[i++].Value = lo ? r.RespPkts : r.OrigPkts;
            p[i++].Value = CloseReasonNames.Name(r.Reason);
            p[i++].Value = ConnState.Name(in r);
            p[i++].Value = r.Key.Vlan == 0 ? DBNull.Value : (long)r.Key.Vlan;
            FlowUid.Format(in r, uidSeed, id);
            p[i++].Value = Encoding.ASCII.GetString(id[..FlowUid.Length]);
            CommunityId.Format(in r, 0, id);
            p[i++].Value = Encoding.ASCII.GetString(id[..CommunityId.Length]);
            Debug.Assert(i == p.Length);
            return _flow.ExecuteNonQuery() == 1;
        }

        public void UpsertName(in StoreItem item)
        {
            ref readonly var r = ref item.Record;
            var remote = item.LocalIsOrig ? FlowAddress.Responder(in r) : FlowAddress.Originator(in r);
            _n[0].Value = item.DeviceId;
            _n[1].Value = remote.ToString();
            _n[2].Value = r.RemoteName;
            _n[3].Value = RemoteNameSources.Name(r.RemoteNameSource) ?? "unknown";
            _n[4].Value = r.FirstNs;
            _n[5].Value = r.LastNs;
            _name.ExecuteNonQuery();
        }

        public void UpsertDevice(DeviceSnapshot d)
        {
            int i = 0;
            var p = _d;
            p[i++].Value = d.Id;
            p[i++].Value = Db(d.Mac);
            p[i++].Value = Db(d.Name);
            p[i++].Value = Db(d.NameSource);
            p[i++].Value = Db(d.Vendor);
            p[i++].Value = Db(d.Group);
            p[i++].Value = d.Randomized ? 1L : 0L;
            p[i++].Value = d.KeyedBy;
            p[i++].Value = d.IsRouter ? 1L : 0L;
            p[i++].Value = d.FirstNs;
            p[i++].Value = d.LastNs;
            p[i++].Value = d.Addresses;
            p[i++].Value = d.BytesUp;
            p[i++].Value = d.BytesDown;
            p[i++].Value = d.PacketsUp;
            p[i++].Value = d.PacketsDown;
            p[i++].Value = d.Flows;
            p[i++].Value = d.LastNs;
            _device.ExecuteNonQuery();
        }

        public void SetMeta(string key, string value)
        {
            _m[0].Value = key;
            _m[1].Value = value;
            _meta.ExecuteNonQuery();
        }

        public int Prune(long cutoff, int n, out int names, out int devices)
        {
            _p[0].Value = cutoff;
            _p[1].Value = (long)n;
            int flows = _pruneFlows.ExecuteNonQuery();
            names = flows < n ? _pruneNames.ExecuteNonQuery() : 0;
            devices = flows + names < n ? _pruneDevices.ExecuteNonQuery() : 0;
            return flows;
        }

        public void Dispose()
        {
            foreach (var cmd in new[] { _flow, _device, _name, _meta, _pruneFlows, _pruneNames, _pruneDevices }) cmd.Dispose();
        }
    }
}
