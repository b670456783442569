namespace TapSensor.Capture;

/// <summary>Settings of a live capture on one interface.</summary>
public sealed class LiveCaptureOptions
{
    public string Interface { get; set; } = "";
    public bool Promiscuous { get; set; } = true;
    /// <summary>Bytes kept per packet. Name learning needs the first payload bytes, so the default keeps whole frames.</summary>
    public int SnapLength { get; set; } = 65535;
    /// <summary>BPF capture filter (tcpdump syntax), empty for everything.</summary>
    public string Filter { get; set; } = "";
    /// <summary>Kernel capture buffer in MiB: a busy household link needs more than libpcap's 2 MiB default.</summary>
    public int BufferMiB { get; set; } = 32;
    /// <summary>Deliver packets as they arrive instead of when the kernel buffer block fills.</summary>
    public bool Immediate { get; set; } = true;
    /// <summary>Read timeout: how often the capture thread wakes when the link is quiet.</summary>
    public int ReadTimeoutMs { get; set; } = 250;

    public IEnumerable<string> Validate()
    {
        if (string.IsNullOrWhiteSpace(Interface))
            yield return "Capture:Interface is required for live capture (list them with 'tapsensor interfaces')";
        if (SnapLength is < 64 or > 262144)
            yield return $"Capture:SnapLength must be between 64 and 262144; got {SnapLength}";
        if (BufferMiB is < 1 or > 4096)
            yield return $"Capture:BufferMiB must be between 1 and 4096; got {BufferMiB}";
        if (ReadTimeoutMs is < 1 or > 10000)
            yield return $"Capture:ReadTimeoutMs must be between 1 and 10000; got {ReadTimeoutMs}";
    }
}
