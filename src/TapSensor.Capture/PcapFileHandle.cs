using System.Runtime.InteropServices;
using System.Text;

namespace TapSensor.Capture;

/// <summary>
/// A capture file opened by libpcap on a stdio stream we open ourselves, so the stream gets a large buffer.
/// libpcap's own <c>pcap_open_offline</c> leaves the stream's buffer at the file system's block size (4 KiB on
/// ext4), so a 4.7 GiB capture costs over a million <c>read</c> system calls; with a 1 MiB buffer it costs a few
/// thousand. libpcap still parses the file (pcap and pcapng, both byte orders, µs and ns stamps) and hands out
/// packets with <c>pcap_next_ex</c>; only the buffering differs. Returns null where the C library or one of the
/// libpcap entry points cannot be found (e.g. Windows, whose C runtime streams libpcap cannot share); the caller
/// then opens the file through SharpPcap as before.
/// </summary>
internal sealed unsafe class PcapFileHandle : IDisposable
{
    /// <summary>The stream buffer: large enough that system calls vanish from the per-packet cost.</summary>
    public const int StreamBufferBytes = 1 << 20;

    private const int ErrorBufferSize = 256; // PCAP_ERRBUF_SIZE
    private const int NanosecondPrecision = 1; // PCAP_TSTAMP_PRECISION_NANO
    private const int FullyBuffered = 0; // glibc _IOFBF

    private IntPtr _pcap;
    private void* _buffer;

    private PcapFileHandle(IntPtr pcap, void* buffer)
    {
        _pcap = pcap;
        _buffer = buffer;
        // The link type is the low 16 bits of the header's field; the upper bits carry FCS details or are reserved
        // (as SharpPcap's reader reads it, too).
        LinkType = Api.DataLink(pcap) & 0xFFFF;
        Nanoseconds = Api.GetTimestampPrecision(pcap) == NanosecondPrecision;
    }

    /// <summary>The raw <c>pcap_t*</c>, for <c>pcap_next_ex</c>.</summary>
    public IntPtr Raw => _pcap;

    public int LinkType { get; }

    /// <summary>Timestamps come in nanoseconds (requested; libpcap scales µs files up).</summary>
    public bool Nanoseconds { get; }

    /// <summary>libpcap's message for the last error on this handle.</summary>
    public string LastError => _pcap == IntPtr.Zero ? "" : Marshal.PtrToStringUTF8(Api.GetError(_pcap)) ?? "";

    /// <summary>True when this platform can open files this way.</summary>
    public static bool Supported => Api.Available;

    /// <summary>
    /// Opens <paramref name="path"/>; null when unsupported here. Throws <see cref="CaptureException"/> with
    /// libpcap's reason when libpcap refuses the file.
    /// </summary>
    public static PcapFileHandle? Open(string path)
    {
        if (!Api.Available) return null;
        IntPtr stream;
        fixed (byte* name = NullTerminated(path))
        fixed (byte* mode = "rb\0"u8)
            stream = Api.FOpen(name, mode);
        if (stream == IntPtr.Zero)
        {
            int errno = Marshal.GetLastSystemError();
            throw new CaptureException($"cannot open '{path}': {new System.ComponentModel.Win32Exception(errno).Message}");
        }
        // Before any read. The C library ignores the size when it allocates the buffer itself, so we give it one;
        // it stays ours and is freed after the stream is closed.
        void* buffer = NativeMemory.Alloc(StreamBufferBytes);
        Api.SetVBuf(stream, (IntPtr)buffer, FullyBuffered, StreamBufferBytes);
        // Only the capture thread reads this stream: no lock per fread (libpcap calls it twice a packet). A
        // single-threaded reader such as the C floor gets this from glibc for free; a .NET process has threads.
        Api.DisableLocking(stream);

        byte* error = stackalloc byte[ErrorBufferSize];
        error[0] = 0;
        IntPtr pcap = Api.FOpenOffline(stream, NanosecondPrecision, error);
        if (pcap == IntPtr.Zero)
        {
            // On failure libpcap leaves the stream to us.
            Api.FClose(stream);
            NativeMemory.Free(buffer);
            string why = Marshal.PtrToStringUTF8((IntPtr)error)?.Trim() ?? "";
            throw new CaptureException($"cannot open '{path}': {(why.Length > 0 ? why : "libpcap refused the file")}");
        }
        return new PcapFileHandle(pcap, buffer);
    }

    private static byte[] NullTerminated(string s)
    {
        var bytes = new byte[Encoding.UTF8.GetByteCount(s) + 1];
        Encoding.UTF8.GetBytes(s, bytes);
        return bytes;
    }

    /// <summary>Closes the handle and its stream (<c>pcap_close</c> closes a stream it was given).</summary>
    public void Dispose()
    {
        var pcap = _pcap;
        _pcap = IntPtr.Zero;
        if (pcap != IntPtr.Zero) Api.Close(pcap);
        var buffer = _buffer;
        _buffer = null;
        if (buffer != null) NativeMemory.Free(buffer);
    }

    /// <summary>The entry points, resolved once; <see cref="Available"/> is false when any is missing.</summary>
    private static class Api
    {
        public static readonly delegate* unmanaged<byte*, byte*, IntPtr> FOpenFn;
        public static readonly delegate* unmanaged<IntPtr, IntPtr, int, nuint, int> SetVBufFn;
        public static readonly delegate* unmanaged<IntPtr, int> FCloseFn;
        /// <summary>glibc's <c>__fsetlocking</c>; null elsewhere (the stream then keeps its locks).</summary>
        public static readonly delegate* unmanaged<IntPtr, int, int> SetLockingFn;
        public static readonly delegate* unmanaged<IntPtr, uint, byte*, IntPtr> FOpenOfflineFn;
        public static readonly delegate* unmanaged<IntPtr, int> DataLinkFn;
        public static readonly delegate* unmanaged<IntPtr, int> PrecisionFn;
        public static readonly delegate* unmanaged<IntPtr, IntPtr> GetErrorFn;
        public static readonly delegate* unmanaged<IntPtr, void> CloseFn;
        public static readonly bool Available;

        static Api()
        {
            if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS()) return;
            IntPtr libc = Load(OperatingSystem.IsLinux() ? ["libc.so.6", "libc"] : ["libSystem.dylib", "libc"]);
            IntPtr pcap = Load(NativePcap.LibraryNames);
            if (libc == IntPtr.Zero || pcap == IntPtr.Zero) return;
            FOpenFn = (delegate* unmanaged<byte*, byte*, IntPtr>)Export(libc, "fopen");
            SetVBufFn = (delegate* unmanaged<IntPtr, IntPtr, int, nuint, int>)Export(libc, "setvbuf");
            FCloseFn = (delegate* unmanaged<IntPtr, int>)Export(libc, "fclose");
            SetLockingFn = (delegate* unmanaged<IntPtr, int, int>)Export(libc, "__fsetlocking");
            FOpenOfflineFn = (delegate* unmanaged<IntPtr, uint, byte*, IntPtr>)Export(pcap, "pcap_fopen_offline_with_tstamp_precision");
            DataLinkFn = (delegate* unmanaged<IntPtr, int>)Export(pcap, "pcap_datalink");
            PrecisionFn = (delegate* unmanaged<IntPtr, int>)Export(pcap, "pcap_get_tstamp_precision");
            GetErrorFn = (delegate* unmanaged<IntPtr, IntPtr>)Export(pcap, "pcap_geterr");
            CloseFn = (delegate* unmanaged<IntPtr, void>)Export(pcap, "pcap_close");
            Available = FOpenFn != null && SetVBufFn != null && FCloseFn != null && FOpenOfflineFn != null && DataLinkFn != null
                && PrecisionFn != null && GetErrorFn != null && CloseFn != null && NativePcap.NextEx != null;
        }

        private static IntPtr Load(string[] names)
        {
            foreach (var name in names)
                if (NativeLibrary.TryLoad(name, out var lib)) return lib;
            return IntPtr.Zero;
        }

        private static void* Export(IntPtr lib, string name) =>
            NativeLibrary.TryGetExport(lib, name, out var fn) ? (void*)fn : null;

        public static IntPtr FOpen(byte* name, byte* mode) => FOpenFn(name, mode);
        public static void SetVBuf(IntPtr stream, IntPtr buffer, int mode, int size) => SetVBufFn(stream, buffer, mode, (nuint)size);
        public static void FClose(IntPtr stream) => FCloseFn(stream);

        /// <summary>FSETLOCKING_BYCALLER (2): the caller, not each stdio call, serialises access.</summary>
        public static void DisableLocking(IntPtr stream)
        {
            if (SetLockingFn != null) SetLockingFn(stream, 2);
        }
        public static IntPtr FOpenOffline(IntPtr stream, int precision, byte* error) => FOpenOfflineFn(stream, (uint)precision, error);
        public static int DataLink(IntPtr pcap) => DataLinkFn(pcap);
        public static int GetTimestampPrecision(IntPtr pcap) => PrecisionFn(pcap);
        public static IntPtr GetError(IntPtr pcap) => GetErrorFn(pcap);
        public static void Close(IntPtr pcap) => CloseFn(pcap);
    }
}
