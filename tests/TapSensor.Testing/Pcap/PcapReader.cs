using System.Buffers.Binary;

namespace TapSensor.Testing.Pcap;

/// <summary>
/// A small test-only reader of classic pcap (microsecond and nanosecond, either byte order) and pcapng
/// (sections, interface descriptions with if_tsresol, enhanced, simple and obsolete packet blocks) held in
/// memory. It never throws on bad input: <see cref="TryRead"/> returns false and <see cref="Error"/> says why,
/// so a test can count the files it could not read and carry on.
/// References: draft-ietf-opsawg-pcap, draft-ietf-opsawg-pcapng.
/// </summary>
public sealed class PcapReader
{
    /// <summary>Larger records are treated as corruption (libpcap's own ceiling is 256 KiB).</summary>
    public const int MaxRecordLength = 256 * 1024;

    private readonly byte[] _data;
    private int _at;
    private bool _bigEndian;
    private readonly bool _pcapng;
    // classic pcap
    private int _linkType;
    private bool _nanosecond;
    // pcapng: per-interface link type and timestamp resolution of the current section
    private readonly List<(int LinkType, ulong UnitsPerSecond, bool PowerOfTwo, int Exponent)> _interfaces = [];

    public PcapReader(byte[] data)
    {
        _data = data;
        if (data.Length < 4)
        {
            Error = "file shorter than a magic number";
            return;
        }
        uint magic = BinaryPrimitives.ReadUInt32LittleEndian(data);
        if (magic == 0x0A0D0D0A)
        {
            _pcapng = true;
            Format = "pcapng";
            return;
        }
        Format = "pcap";
        switch (magic)
        {
            case 0xA1B2C3D4: break;
            case 0xD4C3B2A1: _bigEndian = true; break;
            case 0xA1B23C4D: _nanosecond = true; break;
            case 0x4D3CB2A1: _bigEndian = true; _nanosecond = true; break;
            default: Error = $"unknown magic 0x{magic:X8}"; return;
        }
        if (data.Length < 24)
        {
            Error = "pcap header truncated";
            return;
        }
        if (U16(4) != 2)
        {
            Error = $"pcap version {U16(4)}.{U16(6)}";
            return;
        }
        uint linkField = U32(20);
        // Bits 16-25 are reserved; the top bits may carry FCS information.
        if ((linkField & 0x03FF0000) != 0)
        {
            Error = $"reserved link type bits set (0x{linkField:X8})";
            return;
        }
        _linkType = (int)(linkField & 0xFFFF);
        _at = 24;
    }

    public static PcapReader Open(string path) => new(File.ReadAllBytes(path));

    /// <summary>"pcap" or "pcapng" (null when the magic is unknown).</summary>
    public string? Format { get; }

    /// <summary>Why reading stopped early, or null while the file reads cleanly.</summary>
    public string? Error { get; private set; }

    public int RecordsRead { get; private set; }

    /// <summary>Reads the next frame; false at the end of the file or on the first error.</summary>
    public bool TryRead(out PcapRecord record)
    {
        record = default;
        if (Error is not null) return false;
        bool ok = _pcapng ? TryReadBlock(out record) : TryReadClassic(out record);
        if (ok) RecordsRead++;
        return ok;
    }

    /// <summary>Every frame until the end or the first error.</summary>
    public IEnumerable<PcapRecord> ReadAll()
    {
        while (TryRead(out PcapRecord record)) yield return record;
    }

    private bool TryReadClassic(out PcapRecord record)
    {
        record = default;
        if (_at == _data.Length) return false;
        if (_data.Length - _at < 16) return Fail("record header truncated");
        long seconds = U32(_at);
        long fraction = U32(_at + 4);
        int captured = (int)Math.Min(U32(_at + 8), int.MaxValue);
        int wire = (int)Math.Min(U32(_at + 12), int.MaxValue);
        if (captured > MaxRecordLength) return Fail($"record of {captured} bytes");
        if (_data.Length - _at - 16 < captured) return Fail("record data truncated");
        long ns = seconds * 1_000_000_000 + (_nanosecond ? fraction : fraction * 1000);
        record = new PcapRecord(_linkType, ns, _data.AsMemory(_at + 16, captured), wire);
        _at += 16 + captured;
        return true;
    }

    private bool TryReadBlock(out PcapRecord record)
    {
        record = default;
        // Every block is at least 12 bytes; skipping unknown ones is bounded by the file length.
        while (true)
        {
            if (_at == _data.Length) return false;
            if (_data.Length - _at < 12) return Fail("block header truncated");
            uint type = BinaryPrimitives.ReadUInt32LittleEndian(_data.AsSpan(_at));
            if (type == 0x0A0D0D0A)
            {
                uint bom = BinaryPrimitives.ReadUInt32LittleEndian(_data.AsSpan(_at + 8));
                if (bom == 0x1A2B3C4D) _bigEndian = false;
                else if (bom == 0x4D3C2B1A) _bigEndian = true;
                else return Fail("bad byte-order magic");
                _interfaces.Clear();
            }
            else
            {
                type = U32(_at);
            }
            uint length = U32(_at + 4);
            if (length < 12 || length % 4 != 0 || length > _data.Length - _at) return Fail($"bad block length {length}");
            int body = _at + 8;
            int bodyLength = (int)length - 12;
            int next = _at + (int)length;
            switch (type)
            {
                case 0x0A0D0D0A:
                    if (bodyLength < 16) return Fail("section header truncated");
                    if (U16(body + 4) != 1) return Fail($"pcapng version {U16(body + 4)}.{U16(body + 6)}");
                    break;
                case 1:
                    if (bodyLength < 8) return Fail("interface description truncated");
                    _interfaces.Add(ReadInterface(body, bodyLength));
                    break;
                case 6:
                case 2:
                {
                    if (bodyLength < 20) return Fail("packet block truncated");
                    int iface = type == 6 ? (int)U32(body) : U16(body);
                    if ((uint)iface >= (uint)_interfaces.Count) return Fail($"packet on undeclared interface {iface}");
                    ulong ts = (ulong)U32(body + 4) << 32 | U32(body + 8);
                    uint captured = U32(body + 12);
                    int wire = (int)Math.Min(U32(body + 16), int.MaxValue);
                    if (captured > (uint)(bodyLength - 20)) return Fail("packet data past its block");
                    var i = _interfaces[iface];
                    _at = next;
                    record = new PcapRecord(i.LinkType, ToNanoseconds(ts, i), _data.AsMemory(body + 20, (int)captured), wire);
                    return true;
                }
                case 3:
                {
                    if (bodyLength < 4) return Fail("simple packet block truncated");
                    if (_interfaces.Count == 0) return Fail("simple packet without an interface");
                    int wire = (int)Math.Min(U32(body), int.MaxValue);
                    int captured = Math.Min(wire, bodyLength - 4);
                    _at = next;
                    record = new PcapRecord(_interfaces[0].LinkType, 0, _data.AsMemory(body + 4, captured), wire);
                    return true;
                }
            }
            _at = next;
        }
    }

    private (int, ulong, bool, int) ReadInterface(int body, int bodyLength)
    {
        int linkType = U16(body);
        bool powerOfTwo = false;
        int exponent = 6;
        int at = body + 8;
        int end = body + bodyLength;
        // Options: code(2) length(2) value padded to 4; opt_endofopt (0) ends the list.
        for (int n = 0; n < 256 && end - at >= 4; n++)
        {
            int code = U16(at);
            int length = U16(at + 2);
            if (code == 0 || end - at - 4 < length) break;
            if (code == 9 && length >= 1)
            {
                byte resolution = _data[at + 4];
                powerOfTwo = (resolution & 0x80) != 0;
                exponent = resolution & 0x7F;
            }
            at += 4 + (length + 3) / 4 * 4;
        }
        return (linkType, 0, powerOfTwo, exponent);
    }

    private static long ToNanoseconds(ulong units, (int LinkType, ulong UnitsPerSecond, bool PowerOfTwo, int Exponent) i)
    {
        UInt128 ns = i.PowerOfTwo
            ? ((UInt128)units * 1_000_000_000) >> Math.Min(i.Exponent, 127)
            : i.Exponent <= 9
                ? (UInt128)units * Pow10(9 - i.Exponent)
                : (UInt128)units / Pow10(Math.Min(i.Exponent - 9, 19));
        return ns > long.MaxValue ? long.MaxValue : (long)ns;
    }

    private static ulong Pow10(int exponent)
    {
        ulong value = 1;
        for (int i = 0; i < exponent; i++) value *= 10;
        return value;
    }

    private bool Fail(string error)
    {
        Error = error;
        return false;
    }

    private ushort U16(int at) => _bigEndian
        ? BinaryPrimitives.ReadUInt16BigEndian(_data.AsSpan(at))
        : BinaryPrimitives.ReadUInt16LittleEndian(_data.AsSpan(at));

    private uint U32(int at) => _bigEndian
        ? BinaryPrimitives.ReadUInt32BigEndian(_data.AsSpan(at))
        : BinaryPrimitives.ReadUInt32LittleEndian(_data.AsSpan(at));
}
