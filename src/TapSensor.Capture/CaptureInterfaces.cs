using SharpPcap.LibPcap;

namespace TapSensor.Capture;

public sealed record CaptureInterface(string Name, string? Description, IReadOnlyList<string> Addresses, bool Loopback);

/// <summary>Lists the capture devices libpcap can open, with their addresses.</summary>
public static class CaptureInterfaces
{
    public static IReadOnlyList<CaptureInterface> List()
    {
        try
        {
            return LibPcapLiveDeviceList.New()
                .Select(d => new CaptureInterface(
                    d.Name,
                    d.Description,
                    d.Addresses
                        .Select(a => a.Addr?.ipAddress?.ToString() ?? a.Addr?.hardwareAddress?.ToString())
                        .Where(a => !string.IsNullOrEmpty(a))
                        .Select(a => a!)
                        .ToList(),
                    d.Loopback))
                .ToList();
        }
        catch (DllNotFoundException ex)
        {
            throw new CaptureException("libpcap is not installed (Debian/Ubuntu: apt-get install libpcap0.8)", ex);
        }
    }
}
