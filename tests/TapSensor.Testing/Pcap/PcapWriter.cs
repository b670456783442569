using System.Buffers.Binary;

namespace TapSensor.Testing.Pcap;

/// <summary>
/// Writes frames to a classic pcap file (https://www.ietf.org/archive/id/draft-ietf-opsawg-pcap-04.html):
/// little-endian, nanosecond resolution unless asked otherwise. For pipeline tests that replay built frames.
/// </summary>
public sealed class PcapWriter : IDisposable
{
    private const uint MicrosecondMagic = 0xA1B2C3D4;
    private const uint NanosecondMagic = 0xA1B23C4D;

    private readonly Stream _stream;
    private readonly bool _leaveOpen;
    private readonly bool _nanosecond;
    private readonly int _snapLength;

    public PcapWriter(Stream stream, int linkType, int snapLength = 262144, bool nanosecond = true, bool leaveOpen = false)
    {
        _stream = stream;
        _leaveOpen = leaveOpen;
        _nanosecond = nanosecond;
        _snapLength = snapLength;
        Span<byte> header = stackalloc byte[24];
        BinaryPrimitives.WriteUInt32LittleEndian(header, nanosecond ? NanosecondMagic : MicrosecondMagic);
        BinaryPrimitives.WriteUInt16LittleEndian(header[4..], 2);
        BinaryPrimitives.WriteUInt16LittleEndian(header[6..], 4);
        BinaryPrimitives.WriteInt32LittleEndian(header[16..], snapLength);
        BinaryPrimitives.WriteInt32LittleEndian(header[20..], linkType);
        _stream.Write(header);
    }

    public static PcapWriter Create(string path, int linkType, int snapLength = 262144, bool nanosecond = true) =>
        new(File.Create(path), linkType, snapLength, nanosecond);

    /// <summary>
    /// Writes one record. The frame is cut at the snap length; <paramref name="wireLength"/> defaults to the
    /// frame's own length (pass the original length to write a capture that was already cut short).
    /// </summary>
    public void Write(long timestampNs, ReadOnlySpan<byte> frame, int wireLength = -1)
    {
        if (wireLength < 0) wireLength = frame.Length;
        if (frame.Length > _snapLength) frame = frame[.._snapLength];
        long seconds = Math.DivRem(timestampNs, 1_000_000_000, out long fraction);
        if (!_nanosecond) fraction /= 1000;
        Span<byte> record = stackalloc byte[16];
        BinaryPrimitives.WriteUInt32LittleEndian(record, (uint)seconds);
        BinaryPrimitives.WriteUInt32LittleEndian(record[4..], (uint)fraction);
        BinaryPrimitives.WriteInt32LittleEndian(record[8..], frame.Length);
        BinaryPrimitives.WriteInt32LittleEndian(record[12..], wireLength);
        _stream.Write(record);
        _stream.Write(frame);
    }

    public void Dispose()
    {
        _stream.Flush();
        if (!_leaveOpen) _stream.Dispose();
    }
}
