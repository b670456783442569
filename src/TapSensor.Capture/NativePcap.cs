using System.Runtime.InteropServices;

namespace TapSensor.Capture;

/// <summary>
/// libpcap's <c>pcap_next_ex</c> as an unmanaged function pointer. SharpPcap's GetNextPacketPointers does the same
/// call through a SafeHandle, which adds a reference-count round trip to every packet; the capture loop holds the
/// device open for its whole run, so it can use the raw handle. Null when libpcap cannot be found this way,
/// in which case the loop uses SharpPcap's call.
/// </summary>
internal static unsafe class NativePcap
{
    internal static readonly string[] LibraryNames = ["libpcap.so.1", "libpcap.so.0.8", "libpcap.so", "libpcap.dylib", "wpcap"];

    public static readonly delegate* unmanaged<IntPtr, IntPtr*, IntPtr*, int> NextEx = Resolve();

    /// <summary>
    /// The same entry point called without the GC transition (about a fifth of the per-packet cost of a 96-byte
    /// replay). Only for files: a call then returns in microseconds (a copy out of the stream buffer, now and then
    /// one 1 MiB read), whereas a live read may wait in the kernel, which must not hold up a garbage collection.
    /// </summary>
    public static readonly delegate* unmanaged[SuppressGCTransition]<IntPtr, IntPtr*, IntPtr*, int> NextExFromFile =
        (delegate* unmanaged[SuppressGCTransition]<IntPtr, IntPtr*, IntPtr*, int>)NextEx;

    private static delegate* unmanaged<IntPtr, IntPtr*, IntPtr*, int> Resolve()
    {
        foreach (var name in LibraryNames)
        {
            if (NativeLibrary.TryLoad(name, out var lib) && NativeLibrary.TryGetExport(lib, "pcap_next_ex", out var fn))
                return (delegate* unmanaged<IntPtr, IntPtr*, IntPtr*, int>)fn;
        }
        return null;
    }
}
