namespace TapSensor.Capture;

public enum CaptureEnd
{
    /// <summary>The file was read to its end.</summary>
    EndOfFile,
    /// <summary>Stopped on request (Ctrl-C, SIGTERM, --count reached).</summary>
    Stopped,
    /// <summary>libpcap reported an error (a file cut short, an interface gone).</summary>
    Error,
}

/// <summary>How a capture run ended, with libpcap's statistics.</summary>
public sealed record CaptureResult(CaptureEnd End, string? Error, long Packets, long Bytes,
    long KernelReceived, long KernelDropped, long InterfaceDropped);
