using System.IO.Compression;
using TapSensor.Sinks.Influx.LineProtocol;

namespace TapSensor.Sinks.Influx.Writing;

/// <summary>Gzip bodies (Content-Encoding: gzip, accepted by InfluxDB 1.x, 2.x and 3.x) into pooled buffers.</summary>
internal static class Gzip
{
    /// <summary>Replaces the content of <paramref name="output"/> with the gzip of <paramref name="lines"/>.</summary>
    public static void Compress(ReadOnlySpan<byte> lines, PointBuffer output)
    {
        output.Clear();
        // Fastest: line protocol compresses about tenfold even so, and the writer thread has other work.
        using (var gzip = new GZipStream(new BufferStream(output), CompressionLevel.Fastest, leaveOpen: false))
            gzip.Write(lines);
    }

    /// <summary>Appends the decompressed content of <paramref name="gzip"/> to <paramref name="output"/>.</summary>
    public static void Decompress(ReadOnlySpan<byte> gzip, PointBuffer output)
    {
        using var source = new MemoryStream(gzip.ToArray(), writable: false);
        using var stream = new GZipStream(source, CompressionMode.Decompress);
        while (true)
        {
            var span = output.GetSpan(64 * 1024);
            int n = stream.Read(span);
            if (n == 0) break;
            output.Advance(n);
        }
    }

    /// <summary>A write-only stream appending to a <see cref="PointBuffer"/>.</summary>
    private sealed class BufferStream(PointBuffer target) : Stream
    {
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => target.Length;
        public override long Position { get => target.Length; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => target.Write(buffer.AsSpan(offset, count));
        public override void Write(ReadOnlySpan<byte> buffer) => target.Write(buffer);
        public override void WriteByte(byte value) => target.WriteByte(value);
    }
}
