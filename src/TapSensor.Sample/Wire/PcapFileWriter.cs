using System.Buffers.Binary;

namespace TapSensor.Sample.Wire;

/// <summary>
/// Classic libpcap file writer: microsecond timestamps, magic 0xa1b2c3d4 stored little-endian, LINKTYPE_ETHERNET
/// (https://www.tcpdump.org/manpages/pcap-savefile.5.html). Frames are built in place inside one reusable buffer
/// that is handed to the stream in large writes, so a packet costs no allocation and no stream call.
/// </summary>
internal sealed class PcapFileWriter
{
    public const int MaxFrame = 2048;
    private const int RecordHeader = 16;
    private const int BufferSize = 1 << 20;
    private const int LinkTypeEthernet = 1;

    private readonly Stream _output;
    private readonly byte[] _buffer = new byte[BufferSize];
    private readonly int _snapLength;
    private int _used;

    public long Packets { get; private set; }
    public long Bytes { get; private set; }
    public long Ipv6Packets { get; private set; }
    public long FirstMicros { get; private set; } = -1;
    public long LastMicros { get; private set; }

    public PcapFileWriter(Stream output, int snapLength)
    {
        _output = output;
        _snapLength = snapLength;
        Span<byte> h = _buffer;
        BinaryPrimitives.WriteUInt32LittleEndian(h, 0xA1B2C3D4);
        BinaryPrimitives.WriteUInt16LittleEndian(h[4..], 2);
        BinaryPrimitives.WriteUInt16LittleEndian(h[6..], 4);
        BinaryPrimitives.WriteInt32LittleEndian(h[8..], 0);
        BinaryPrimitives.WriteUInt32LittleEndian(h[12..], 0);
        BinaryPrimitives.WriteInt32LittleEndian(h[16..], snapLength);
        BinaryPrimitives.WriteInt32LittleEndian(h[20..], LinkTypeEthernet);
        _used = 24;
    }

    /// <summary>Space for the next frame; its contents are stale until the caller writes them.</summary>
    public Span<byte> NextFrame() => _buffer.AsSpan(_used + RecordHeader, MaxFrame);

    /// <summary>Adds the frame just written into <see cref="NextFrame"/>, cut to the snap length.</summary>
    public void Commit(long unixMicros, int frameLength)
    {
        int captured = Math.Min(frameLength, _snapLength);
        Span<byte> r = _buffer.AsSpan(_used, RecordHeader);
        BinaryPrimitives.WriteUInt32LittleEndian(r, (uint)(unixMicros / 1_000_000));
        BinaryPrimitives.WriteUInt32LittleEndian(r[4..], (uint)(unixMicros % 1_000_000));
        BinaryPrimitives.WriteInt32LittleEndian(r[8..], captured);
        BinaryPrimitives.WriteInt32LittleEndian(r[12..], frameLength);
        if (_buffer[_used + RecordHeader + 12] == 0x86 && _buffer[_used + RecordHeader + 13] == 0xDD)
            Ipv6Packets++;
        _used += RecordHeader + captured;
        Packets++;
        Bytes += frameLength;
        if (FirstMicros < 0)
            FirstMicros = unixMicros;
        LastMicros = unixMicros;
        if (BufferSize - _used < RecordHeader + MaxFrame)
            Flush();
    }

    public void Flush()
    {
        _output.Write(_buffer, 0, _used);
        _used = 0;
    }

    public static long ToUnixMicros(DateTimeOffset time) => (time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;
}
