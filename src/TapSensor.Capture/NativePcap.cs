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
    private static readonly string[] Names = ["libpcap.so.1", "libpcap.so.0.8", "libpcap.so", "libpcap.dylib", "wpcap"];

    public static readonly delegate* unmanaged<IntPtr, IntPtr*, IntPtr*, int> NextEx = Resolve();

    private static delegate* unmanaged<IntPtr, IntPtr*, IntPtr*, int> Resolve()
    {
        foreach (var name in Names)
        {
            if (NativeLibrary.TryLoad(name, out var lib) && NativeLibrary.TryGetExport(lib, "pcap_next_ex", out var fn))
                return (delegate* unmanaged<IntPtr, IntPtr*, IntPtr*, int>)fn;
        }
        return null;
    }
}
