using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using SharpPcap;
using SharpPcap.LibPcap;
using TapSensor.Core.Pipeline;

namespace TapSensor.Capture;

/// <summary>
/// A libpcap packet source (live interface or pcap/pcapng file) read on the raw pointer path:
/// <c>pcap_next_ex</c> hands out the header and data pointers, valid only until the next read,
/// so each frame is decoded right there as a span and nothing is allocated per packet. Files are opened by
/// libpcap on a stream with a large buffer (<see cref="PcapFileHandle"/>) where the platform allows it.
/// </summary>
internal sealed unsafe class PcapSource : IDisposable
{
    private readonly PcapDevice? _device;
    private readonly PcapFileHandle? _file;
    private readonly bool _nanoseconds;
    private readonly bool _isFile;
    private readonly long _fileSize;
    private readonly long _idleTickNs;

    private PcapSource(PcapDevice device, bool isFile, long fileSize, string description, int idleTickMs = 250)
    {
        _device = device;
        _idleTickNs = idleTickMs * 1_000_000L;
        _isFile = isFile;
        _fileSize = fileSize;
        Description = description;
        _nanoseconds = device.TimestampResolution == TimestampResolution.Nanosecond;
        LinkType = (int)device.LinkType;
    }

    private PcapSource(PcapFileHandle file, long fileSize, string description)
    {
        _file = file;
        _isFile = true;
        _fileSize = fileSize;
        Description = description;
        _nanoseconds = file.Nanoseconds;
        LinkType = file.LinkType;
    }

    public string Description { get; }
    public int LinkType { get; }
    public bool IsFile => _isFile;

    /// <summary>The file is read by libpcap through our large stream buffer (<see cref="PcapFileHandle"/>).</summary>
    internal bool BufferedStream => _file is not null;
    public long FileSize => _fileSize;

    /// <summary>Opens a pcap or pcapng file. Errors are one clear line.</summary>
    public static PcapSource OpenFile(string path)
    {
        if (Directory.Exists(path)) throw new CaptureException($"'{path}' is a directory, not a capture file");
        if (!File.Exists(path)) throw new CaptureException($"capture file not found: '{path}'");
        var info = new FileInfo(path);
        if (info.Length < 24) throw new CaptureException($"'{path}' is not a pcap or pcapng file ({info.Length} bytes, too short for a header)");
        CheckMagic(path);

        var file = PcapFileHandle.Open(path);
        if (file is not null) return new PcapSource(file, info.Length, path);

        var device = new CaptureFileReaderDevice(path);
        try
        {
            device.Open(new DeviceConfiguration { TimestampResolution = TimestampResolution.Nanosecond });
        }
        catch (Exception ex) when (ex is PcapException or DllNotFoundException or EntryPointNotFoundException)
        {
            device.Dispose();
            throw Explain(ex, path);
        }
        return new PcapSource(device, isFile: true, info.Length, path);
    }

    /// <summary>Refuses anything that is not pcap (either byte order, µs or ns) or pcapng before libpcap sees it.</summary>
    private static void CheckMagic(string path)
    {
        Span<byte> head = stackalloc byte[4];
        using (var f = File.OpenRead(path)) f.ReadExactly(head);
        uint magic = BitConverter.ToUInt32(head);
        switch (magic)
        {
            case 0xa1b2c3d4: case 0xd4c3b2a1: // pcap, microseconds
            case 0xa1b23c4d: case 0x4d3cb2a1: // pcap, nanoseconds
            case 0x0a0d0d0a:                  // pcapng section header block
                return;
            default:
                throw new CaptureException($"'{path}' is not a pcap or pcapng file (magic number 0x{magic:x8})");
        }
    }

    /// <summary>Opens a live interface with the given settings.</summary>
    public static PcapSource OpenLive(LiveCaptureOptions options)
    {
        var problems = options.Validate().ToList();
        if (problems.Count > 0) throw new CaptureException(string.Join("; ", problems));

        LibPcapLiveDevice? device;
        try
        {
            device = LibPcapLiveDeviceList.New().FirstOrDefault(d => d.Name == options.Interface);
        }
        catch (Exception ex) when (ex is DllNotFoundException or PcapException)
        {
            throw Explain(ex, options.Interface);
        }
        if (device is null)
            throw new CaptureException($"no capture interface named '{options.Interface}' (list them with 'tapsensor interfaces')");

        var config = new DeviceConfiguration
        {
            Mode = options.Promiscuous ? DeviceModes.Promiscuous : DeviceModes.None,
            Snaplen = options.SnapLength,
            ReadTimeout = options.ReadTimeoutMs,
            BufferSize = options.BufferMiB * 1024 * 1024,
            Immediate = options.Immediate,
            TimestampResolution = TimestampResolution.Nanosecond,
        };
        string? configProblem = null;
        config.ConfigurationFailed += (_, e) => configProblem ??= $"{e.Property}: {e.Error}";
        try
        {
            device.Open(config);
        }
        catch (Exception ex) when (ex is PcapException or DllNotFoundException)
        {
            device.Dispose();
            throw Explain(ex, options.Interface);
        }

        if (!string.IsNullOrEmpty(options.Filter))
        {
            if (!PcapDevice.CheckFilter(options.Filter, out string? why))
            {
                device.Close();
                throw new CaptureException($"invalid capture filter '{options.Filter}': {why}");
            }
            device.Filter = options.Filter;
        }
        _ = configProblem; // nanosecond stamps may be unsupported: we then get microseconds, which the reader handles
        // Non-blocking reads: on Linux (TPACKET_V3) a blocking read on an idle link can outlast its timeout
        // indefinitely, and the capture thread must notice a stop request and keep the flow clock moving.
        device.NonBlockingMode = true;
        return new PcapSource(device, isFile: false, 0, options.Interface, options.ReadTimeoutMs);
    }

    private static CaptureException Explain(Exception ex, string what)
    {
        if (ex is DllNotFoundException or EntryPointNotFoundException)
            return new CaptureException("libpcap is not installed (Debian/Ubuntu: apt-get install libpcap0.8)", ex);
        string message = ex.Message;
        if (message.Contains("PermissionDenied", StringComparison.OrdinalIgnoreCase)
            || message.Contains("permission", StringComparison.OrdinalIgnoreCase)
            || message.Contains("Operation not permitted", StringComparison.OrdinalIgnoreCase))
        {
            return new CaptureException(
                $"no permission to capture on '{what}': run as root, or grant the capture capabilities to the executable " +
                "(sudo setcap cap_net_raw,cap_net_admin=eip $(command -v tapsensor))", ex);
        }
        return new CaptureException($"cannot open '{what}': {message.Trim()}", ex);
    }

    /// <summary>
    /// Reads until the end of the file, an error, or cancellation, handing each frame to the dispatcher.
    /// <paramref name="onIdle"/> runs on read timeouts (live) and every 64k packets, on the capture thread.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public CaptureResult Run(PacketDispatcher dispatcher, CancellationToken cancel, long maxPackets = long.MaxValue,
        Pacer? pacer = null, Action<PcapSource, long>? onIdle = null, TimeProvider? time = null)
    {
        time ??= TimeProvider.System;
        dispatcher.LinkType = LinkType;
        IntPtr header = IntPtr.Zero, data = IntPtr.Zero;
        long packets = 0, bytes = 0;
        CaptureEnd end = CaptureEnd.Stopped;
        string? error = null;
        long lastTickWallTicks = time.GetTimestamp();
        bool windowsTimeval = OperatingSystem.IsWindows();
        int idleWaitMs = 0;

        var nextEx = NativePcap.NextEx;
        bool addedRef = false;
        var handle = _device?.Handle;
        IntPtr raw = IntPtr.Zero;
        bool direct = false, fromFile = false;
        var nextExFromFile = NativePcap.NextExFromFile;
        if (_file is not null)
        {
            raw = _file.Raw;
            direct = fromFile = true;
        }
        else if (nextEx != null && handle is not null)
        {
            handle.DangerousAddRef(ref addedRef);
            raw = handle.DangerousGetHandle();
            direct = true;
        }
        try
        {
            while (!cancel.IsCancellationRequested && packets < maxPackets)
            {
                int rc = fromFile ? nextExFromFile(raw, &header, &data)
                    : direct ? nextEx(raw, &header, &data)
                    : _device!.GetNextPacketPointers(ref header, ref data);
                if (rc == 1)
                {
                    idleWaitMs = 0;
                    // struct pcap_pkthdr { struct timeval ts; bpf_u_int32 caplen; bpf_u_int32 len; }:
                    // timeval fields are C longs (8 bytes on LP64 Unix, 4 on Windows).
                    byte* h = (byte*)header;
                    long sec, frac;
                    uint caplen, len;
                    if (windowsTimeval)
                    {
                        sec = *(int*)h; frac = *(int*)(h + 4); caplen = *(uint*)(h + 8); len = *(uint*)(h + 12);
                    }
                    else
                    {
                        sec = *(long*)h; frac = *(long*)(h + 8); caplen = *(uint*)(h + 16); len = *(uint*)(h + 20);
                    }
                    long ns = sec * 1_000_000_000L + (_nanoseconds ? frac : frac * 1000);
                    pacer?.Wait(ns, cancel);
                    var frame = new ReadOnlySpan<byte>((void*)data, (int)Math.Min(caplen, int.MaxValue));
                    dispatcher.OnFrame(frame, (int)Math.Min(len, int.MaxValue), ns);
                    packets++;
                    bytes += 16 + caplen;
                    if ((packets & 0xFFFF) == 0) onIdle?.Invoke(this, bytes);
                    continue;
                }
                if (rc == 0)
                {
                    // Nothing to read. Wait a little (1, 2, 4, 8 ms: the kernel buffer holds far more than that),
                    // waking at once on a stop request.
                    if (idleWaitMs < 8) idleWaitMs = idleWaitMs == 0 ? 1 : idleWaitMs * 2;
                    cancel.WaitHandle.WaitOne(idleWaitMs);
                    // On a quiet link, move the workers' packet clock on so idle flows still expire. Live packet
                    // stamps come from the kernel's wall clock, so "now" is the current UTC time (the only place the
                    // wall clock reaches the flow clock); the dispatcher never moves its clock backwards.
                    if (time.GetElapsedTime(lastTickWallTicks).Ticks * 100 >= _idleTickNs)
                    {
                        long nowNs = (time.GetUtcNow().UtcTicks - DateTime.UnixEpoch.Ticks) * 100;
                        if (dispatcher.LatestNs > 0) dispatcher.Tick(Math.Max(nowNs, dispatcher.LatestNs));
                        lastTickWallTicks = time.GetTimestamp();
                        onIdle?.Invoke(this, bytes);
                    }
                    continue;
                }
                if (rc == -2)
                {
                    end = CaptureEnd.EndOfFile;
                    break;
                }
                end = CaptureEnd.Error;
                error = _file?.LastError ?? _device!.LastError;
                break;
            }
        }
        finally
        {
            if (addedRef) handle!.DangerousRelease();
        }

        var (kernelReceived, kernelDropped, interfaceDropped) = KernelStatistics();
        return new CaptureResult(end, string.IsNullOrWhiteSpace(error) ? (end == CaptureEnd.Error ? "read error" : null) : error,
            packets, bytes, kernelReceived, kernelDropped, interfaceDropped);
    }

    /// <summary>libpcap's kernel counters for a live source (cold path, for the periodic stats line).</summary>
    public (long Received, long Dropped, long InterfaceDropped) KernelStatistics()
    {
        if (_isFile || _device is null) return (0, 0, 0);
        try
        {
            var s = _device.Statistics;
            return s is null ? (0, 0, 0) : (s.ReceivedPackets, s.DroppedPackets, s.InterfaceDroppedPackets);
        }
        catch (PcapException)
        {
            // Statistics are unavailable on some devices; the counts stay 0.
            return (0, 0, 0);
        }
    }

    public void Dispose()
    {
        if (_file is not null)
        {
            _file.Dispose();
            return;
        }
        if (_device is null) return;
        try
        {
            _device.Close();
        }
        catch (PcapException)
        {
            // closing a device that failed mid-read must not mask the original problem
        }
        _device.Dispose();
    }
}
