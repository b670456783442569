using Microsoft.Extensions.Logging;

namespace TapSensor.Host.Logging;

/// <summary>
/// Source-generated log messages, one partial file per area. Event-ID ranges: 1000 capture, 2000 decode and
/// flows, 3000 devices and names, 4000 geo, 5000 InfluxDB, 6000 SQLite, 7000 JSON lines, 8000 host.
/// Nothing here is logged per packet, and nothing at Information or above carries household contents.
/// </summary>
internal static partial class Log
{
    // Capture: 1000-1099 (next free: 1006)
    [LoggerMessage(1000, LogLevel.Information, "Reading {Source} (link type {LinkType})")]
    public static partial void ReadingFile(ILogger logger, string source, int linkType);

    [LoggerMessage(1001, LogLevel.Information, "Capturing on {Interface} (link type {LinkType}, snap length {SnapLength}, filter '{Filter}')")]
    public static partial void CapturingLive(ILogger logger, string @interface, int linkType, int snapLength, string filter);

    [LoggerMessage(1002, LogLevel.Error, "{Message}")]
    public static partial void CaptureFailed(ILogger logger, string message);

    [LoggerMessage(1003, LogLevel.Warning, "Capture ended with an error after {Packets} packets: {Error}")]
    public static partial void CaptureEndedWithError(ILogger logger, long packets, string error);

    [LoggerMessage(1004, LogLevel.Information,
        "stats: {PacketsPerSecond:F0} packets/s, {Packets} packets, drops kernel {KernelDropped} interface {InterfaceDropped} ring {RingDropped}, {ActiveFlows} active flows, {Records} records, decode errors {DecodeErrors}")]
    public static partial void Stats(ILogger logger, double packetsPerSecond, long packets, long kernelDropped, long interfaceDropped,
        long ringDropped, int activeFlows, long records, long decodeErrors);

    [LoggerMessage(1005, LogLevel.Warning, "Packets dropped since the last report: kernel {KernelDropped}, interface {InterfaceDropped}, ring {RingDropped}")]
    public static partial void DropsRising(ILogger logger, long kernelDropped, long interfaceDropped, long ringDropped);

    // Flows: 2000-2099 (next free: 2002)
    [LoggerMessage(2000, LogLevel.Information, "Flow table: {Workers} worker(s), at most {MaxFlows} flows, hash seed pinned: {SeedPinned}")]
    public static partial void FlowTable(ILogger logger, int workers, int maxFlows, bool seedPinned);

    [LoggerMessage(2001, LogLevel.Information, "Done: {Packets} packets, {Flows} flows in {Seconds:F2} s")]
    public static partial void Done(ILogger logger, long packets, long flows, double seconds);

    // InfluxDB: 5000-5099 live with the sink (TapSensor.Sinks.Influx, Logging/InfluxLog.cs).

    // JSON lines: 7000-7099 (next free: 7001)
    [LoggerMessage(7000, LogLevel.Error, "Flow-record sink {Sink} failed")]
    public static partial void SinkFailed(ILogger logger, Exception exception, string sink);

    // Host: 8000-8099 (next free: 8003)
    [LoggerMessage(8000, LogLevel.Information, "Stopping: flushing flows")]
    public static partial void Stopping(ILogger logger);

    [LoggerMessage(8001, LogLevel.Warning, "Cannot write the status file {Path} ('tapsensor health' will report the sensor as down): {Message}")]
    public static partial void StatusWriteFailed(ILogger logger, string path, string message);

    [LoggerMessage(8002, LogLevel.Information, "The status file {Path} is written again")]
    public static partial void StatusWriteRecovered(ILogger logger, string path);
}
