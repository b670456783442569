using Microsoft.Extensions.Logging;

namespace TapSensor.Host.Logging;

internal static partial class Log
{
    // Devices and names: 3000-3099 (next free: 3005)
    [LoggerMessage(3000, LogLevel.Information, "MAC vendors: {Blocks} registered blocks from {Files}")]
    public static partial void VendorsLoaded(ILogger logger, int blocks, string files);

    [LoggerMessage(3001, LogLevel.Warning, "No MAC vendor listing could be read ({Files}): device vendors stay unknown. Install Debian's ieee-data or set TapSensor:VendorFiles")]
    public static partial void VendorsMissing(ILogger logger, string files);

    [LoggerMessage(3002, LogLevel.Warning, "MAC {Mac} sends from {Addresses} LAN addresses: a router sits between the sensor and the devices, so devices behind it are keyed by IP address")]
    public static partial void RouterDetected(ILogger logger, string mac, int addresses);

    [LoggerMessage(3003, LogLevel.Error, "Device and name enrichment failed; those records go out without it")]
    public static partial void EnrichFailed(ILogger logger, Exception exception);

    [LoggerMessage(3004, LogLevel.Information, "Household: {Devices} devices ({Named} named), {NamedFlows} of {Flows} flows with a destination name, LAN {Lan}")]
    public static partial void HouseholdSummary(ILogger logger, int devices, int named, long namedFlows, long flows, string lan);
}
