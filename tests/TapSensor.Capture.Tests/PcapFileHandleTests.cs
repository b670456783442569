using SharpPcap;
using SharpPcap.LibPcap;
using TapSensor.Testing;

namespace TapSensor.Capture.Tests;

/// <summary>
/// Files are read by libpcap on a stream we open with a 1 MiB buffer. Only the buffering may differ from libpcap's
/// own open: every corpus file must give the same link type, the same frames with the same stamps and lengths,
/// and end the same way (clean end, or the same error) as through SharpPcap's reader.
/// </summary>
public sealed unsafe class PcapFileHandleTests
{
    private readonly ITestOutputHelper _output;

    public PcapFileHandleTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void Files_are_opened_on_the_buffered_stream_where_the_platform_allows_it()
    {
        Assert.True(PcapFileHandle.Supported, "libc's or libpcap's entry points were not found");
        string path = Path.GetTempFileName();
        try
        {
            // A pcap header (µs, Ethernet) and one 60-byte frame.
            var file = new List<byte>();
            file.AddRange(BitConverter.GetBytes(0xa1b2c3d4u));
            file.AddRange(BitConverter.GetBytes((ushort)2));
            file.AddRange(BitConverter.GetBytes((ushort)4));
            file.AddRange(new byte[8]);
            file.AddRange(BitConverter.GetBytes(65535u));
            file.AddRange(BitConverter.GetBytes(1u));
            file.AddRange(BitConverter.GetBytes(1_700_000_000u));
            file.AddRange(BitConverter.GetBytes(123_456u));
            file.AddRange(BitConverter.GetBytes(60u));
            file.AddRange(BitConverter.GetBytes(60u));
            file.AddRange(new byte[60]);
            File.WriteAllBytes(path, [.. file]);

            using var source = PcapSource.OpenFile(path);
            Assert.True(source.BufferedStream);
            Assert.Equal(1, source.LinkType);
            var digest = Read(PcapFileHandle.Open(path)!);
            Assert.Equal(1, digest.Frames);
            Assert.Equal(1_700_000_000_123_456_000L, digest.FirstStampNs); // µs scaled to ns, as requested
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_file_libpcap_refuses_is_one_clear_line_naming_the_file()
    {
        string path = Path.GetTempFileName();
        try
        {
            // The right magic number, then a header cut short.
            File.WriteAllBytes(path, [0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0, 0]);
            var ex = Assert.Throws<CaptureException>(() => PcapFileHandle.Open(path));
            Assert.StartsWith($"cannot open '{path}': ", ex.Message);
            Assert.DoesNotContain('\n', ex.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [CorpusFact]
    public void Every_corpus_file_reads_the_same_as_through_libpcaps_own_open()
    {
        var corpus = Corpus.Open();
        int files = 0, refused = 0;
        var failures = new List<string>();
        foreach (var entry in corpus.Select())
        {
            FileDigest? expected = null;
            string? expectedRefusal = null;
            try
            {
                using var device = new CaptureFileReaderDevice(entry.FullPath);
                device.Open(new DeviceConfiguration { TimestampResolution = TimestampResolution.Nanosecond });
                expected = Read(device);
            }
            catch (PcapException ex)
            {
                expectedRefusal = ex.Message;
            }

            FileDigest? actual = null;
            try
            {
                using var handle = PcapFileHandle.Open(entry.FullPath)!;
                actual = Read(handle);
            }
            catch (CaptureException ex)
            {
                if (expectedRefusal is null) failures.Add($"{entry.Path}: refused ({ex.Message}), libpcap's own open reads it");
                refused++;
                continue;
            }
            files++;
            if (expected is null) failures.Add($"{entry.Path}: read, but libpcap's own open refuses it ({expectedRefusal})");
            else if (expected != actual) failures.Add($"{entry.Path}: {actual} differs from {expected}");
        }
        _output.WriteLine($"{files} files read alike, {refused} refused by both");
        Assert.True(files > 1000, $"expected the whole corpus, read {files} files");
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures.Take(40)));
    }

    private sealed record FileDigest(int LinkType, long Frames, long CapturedBytes, long WireBytes, long FirstStampNs, ulong Hash, bool Error);

    private static FileDigest Read(PcapFileHandle handle)
    {
        using (handle)
        {
            return Walk(handle.LinkType, handle.Nanoseconds, (h, d) => NativePcap.NextExFromFile(handle.Raw, h, d));
        }
    }

    private static FileDigest Read(CaptureFileReaderDevice device)
    {
        bool nanoseconds = device.TimestampResolution == TimestampResolution.Nanosecond;
        return Walk((int)device.LinkType, nanoseconds, (h, d) =>
        {
            IntPtr header = IntPtr.Zero, data = IntPtr.Zero;
            int rc = device.GetNextPacketPointers(ref header, ref data);
            *h = header;
            *d = data;
            return rc;
        });
    }

    private delegate int Next(IntPtr* header, IntPtr* data);

    /// <summary>Every frame's stamp, lengths and bytes into one hash, until the end or an error.</summary>
    private static FileDigest Walk(int linkType, bool nanoseconds, Next next)
    {
        ulong hash = 14695981039346656037; // FNV-1a
        long frames = 0, captured = 0, wire = 0, first = 0;
        IntPtr header = IntPtr.Zero, data = IntPtr.Zero;
        int rc;
        while ((rc = next(&header, &data)) == 1)
        {
            byte* h = (byte*)header;
            long ns = *(long*)h * 1_000_000_000L + (nanoseconds ? *(long*)(h + 8) : *(long*)(h + 8) * 1000);
            uint caplen = *(uint*)(h + 16), len = *(uint*)(h + 20);
            if (frames == 0) first = ns;
            frames++;
            captured += caplen;
            wire += len;
            hash = Fnv(hash, BitConverter.GetBytes(ns));
            hash = Fnv(hash, BitConverter.GetBytes(len));
            hash = Fnv(hash, new ReadOnlySpan<byte>((void*)data, (int)caplen));
        }
        return new FileDigest(linkType, frames, captured, wire, first, hash, rc != -2);
    }

    private static ulong Fnv(ulong hash, ReadOnlySpan<byte> bytes)
    {
        foreach (byte b in bytes) hash = (hash ^ b) * 1099511628211;
        return hash;
    }
}
