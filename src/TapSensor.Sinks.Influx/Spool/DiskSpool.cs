using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.InteropServices;
using TapSensor.Sinks.Influx.LineProtocol;

namespace TapSensor.Sinks.Influx.Spool;

/// <summary>
/// The on-disk spool: one file per batch, named by a growing sequence number (<c>0000000000000042.seg</c>), so
/// the directory listing is the replay order and survives restarts. A segment is a 32-byte header followed by
/// the gzipped line protocol exactly as it is sent (replaying needs no recompression):
/// <code>
///   0  "TSP1"            magic and format version
///   4  precision         byte: 0 ns, 1 us, 2 ms, 3 s (the timestamps' unit, even if the setting changes later)
///   5  flags             byte: 1 = gzip
///   8  points            int32 little-endian
///  12  body length       int32 little-endian
///  16  created           int64 Unix milliseconds
///  24  reserved          8 zero bytes
/// </code>
/// Written to a <c>.tmp</c> file, fsync'd, renamed, then the directory is fsync'd, so after a crash a segment
/// is either whole or absent (a left-over <c>.tmp</c> is deleted at start). Unreadable segments are renamed
/// <c>.bad</c> and reported. The bound counts whole files; past it the oldest segments are deleted.
/// </summary>
internal sealed class DiskSpool : ISpool
{
    internal const int HeaderLength = 32;
    private const string Extension = ".seg";
    private static ReadOnlySpan<byte> Magic => "TSP1"u8;

    private readonly string _directory;
    private readonly long _maxBytes;
    private readonly TimeProvider _time;
    private readonly LinkedList<SpoolEntry> _entries = new();
    private readonly object _gate = new();
    private long _sequence;
    private long _points;
    private long _bytes;

    /// <summary>Opens (creating it if needed) the spool in <paramref name="directory"/> and indexes the segments already there.</summary>
    public DiskSpool(string directory, long maxBytes, TimeProvider time)
    {
        _directory = Path.GetFullPath(directory);
        _maxBytes = maxBytes;
        _time = time;
        Directory.CreateDirectory(_directory);
        foreach (var tmp in Directory.EnumerateFiles(_directory, "*.tmp")) TryDelete(tmp);

        var found = new List<SpoolEntry>();
        var bad = new List<string>();
        foreach (var path in Directory.EnumerateFiles(_directory, "*" + Extension))
        {
            if (!long.TryParse(Path.GetFileNameWithoutExtension(path), NumberStyles.None, CultureInfo.InvariantCulture, out long seq)) continue;
            if (TryReadHeader(path, seq, out var entry)) found.Add(entry);
            else
            {
                bad.Add(Path.GetFileName(path));
                try
                {
                    File.Move(path, Path.ChangeExtension(path, ".bad"), overwrite: true);
                }
                catch (IOException)
                {
                    // left in place; it will be tried again at the next start
                }
            }
        }
        found.Sort((a, b) => a.Sequence.CompareTo(b.Sequence));
        foreach (var e in found)
        {
            _entries.AddLast(e);
            _points += e.Points;
            _bytes += e.Bytes;
            _sequence = Math.Max(_sequence, e.Sequence);
        }
        Unreadable = bad;
    }

    public string DirectoryPath => _directory;

    /// <summary>Segment files found at start that could not be read (renamed .bad).</summary>
    public IReadOnlyList<string> Unreadable { get; }

    public long Points { get { lock (_gate) return _points; } }
    public long Bytes { get { lock (_gate) return _bytes; } }
    public int Count { get { lock (_gate) return _entries.Count; } }
    public bool Durable => true;
    public long MaxBytes => _maxBytes;

    /// <summary>Why the last append failed (disk full, directory gone); the append then reports the batch dropped.</summary>
    public string? LastError { get; private set; }

    public int Append(ReadOnlySpan<byte> gzipBody, int points, TimestampPrecision precision, out bool stored)
    {
        long size = HeaderLength + gzipBody.Length;
        lock (_gate)
        {
            stored = false;
            LastError = null;
            if (size > _maxBytes) return points;
            int dropped = 0;
            while (_entries.Count > 0 && _bytes + size > _maxBytes)
            {
                var oldest = _entries.First!.Value;
                _entries.RemoveFirst();
                _points -= oldest.Points;
                _bytes -= oldest.Bytes;
                dropped += oldest.Points;
                TryDelete(PathOf(oldest.Sequence));
            }

            long seq = ++_sequence;
            string path = PathOf(seq);
            string tmp = path + ".tmp";
            Span<byte> header = stackalloc byte[HeaderLength];
            header.Clear();
            Magic.CopyTo(header);
            header[4] = (byte)precision;
            header[5] = 1;
            BinaryPrimitives.WriteInt32LittleEndian(header[8..], points);
            BinaryPrimitives.WriteInt32LittleEndian(header[12..], gzipBody.Length);
            BinaryPrimitives.WriteInt64LittleEndian(header[16..], _time.GetUtcNow().ToUnixTimeMilliseconds());
            try
            {
                using (var file = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0))
                {
                    file.Write(header);
                    file.Write(gzipBody);
                    file.Flush(flushToDisk: true);
                }
                File.Move(tmp, path);
                SyncDirectory(_directory);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                TryDelete(tmp);
                LastError = ex.Message;
                return dropped + points;
            }
            _entries.AddLast(new SpoolEntry(seq, points, precision, size));
            _points += points;
            _bytes += size;
            stored = true;
            return dropped;
        }
    }

    public bool TryPeekOldest(out SpoolEntry entry)
    {
        lock (_gate)
        {
            entry = _entries.First?.Value ?? default;
            return _entries.Count > 0;
        }
    }

    public byte[]? Read(SpoolEntry entry)
    {
        lock (_gate)
        {
            if (!Contains(entry.Sequence)) return null;
            try
            {
                byte[] file = File.ReadAllBytes(PathOf(entry.Sequence));
                if (file.Length < HeaderLength) return null;
                int length = BinaryPrimitives.ReadInt32LittleEndian(file.AsSpan(12));
                return length == file.Length - HeaderLength ? file.AsSpan(HeaderLength).ToArray() : null;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                return null;
            }
        }
    }

    public void Remove(SpoolEntry entry)
    {
        lock (_gate)
        {
            for (var node = _entries.First; node is not null; node = node.Next)
            {
                if (node.Value.Sequence != entry.Sequence) continue;
                _entries.Remove(node);
                _points -= node.Value.Points;
                _bytes -= node.Value.Bytes;
                TryDelete(PathOf(entry.Sequence));
                return;
            }
        }
    }

    public void Dispose()
    {
    }

    private bool Contains(long sequence)
    {
        foreach (var e in _entries)
            if (e.Sequence == sequence) return true;
        return false;
    }

    private string PathOf(long sequence) =>
        Path.Combine(_directory, sequence.ToString("D16", CultureInfo.InvariantCulture) + Extension);

    private static bool TryReadHeader(string path, long sequence, out SpoolEntry entry)
    {
        entry = default;
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0);
            Span<byte> header = stackalloc byte[HeaderLength];
            if (file.ReadAtLeast(header, HeaderLength, throwOnEndOfStream: false) < HeaderLength) return false;
            if (!header[..4].SequenceEqual(Magic) || header[4] > (byte)TimestampPrecision.Seconds || header[5] != 1) return false;
            int points = BinaryPrimitives.ReadInt32LittleEndian(header[8..]);
            int length = BinaryPrimitives.ReadInt32LittleEndian(header[12..]);
            if (points < 0 || length < 0 || file.Length != HeaderLength + (long)length) return false;
            entry = new SpoolEntry(sequence, points, (TimestampPrecision)header[4], file.Length);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // a segment that cannot be deleted is replayed again later; InfluxDB overwrites identical points
        }
    }

    /// <summary>
    /// fsync of the directory, so the rename itself is on disk. .NET cannot open a directory as a file, so this
    /// calls open(2)/fsync(2) directly; on other systems (Windows) renames are journaled and it is skipped.
    /// </summary>
    private static void SyncDirectory(string directory)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS() && !OperatingSystem.IsFreeBSD()) return;
        int fd = Native.Open(directory, 0);
        if (fd < 0) return;
        try
        {
            Native.Fsync(fd);
        }
        finally
        {
            Native.Close(fd);
        }
    }

    private static class Native
    {
        [DllImport("libc", EntryPoint = "open", SetLastError = true)]
        internal static extern int Open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

        [DllImport("libc", EntryPoint = "fsync", SetLastError = true)]
        internal static extern int Fsync(int fd);

        [DllImport("libc", EntryPoint = "close", SetLastError = true)]
        internal static extern int Close(int fd);
    }
}
