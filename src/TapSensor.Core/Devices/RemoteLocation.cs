namespace TapSensor.Core.Devices;

/// <summary>Where a remote address is and whose network holds it, as the local databases say. Shared per address.</summary>
public sealed record RemoteLocation(
    string? CountryCode,
    string? Region,
    string? City,
    double? Latitude,
    double? Longitude,
    int? AccuracyKm,
    long? Asn,
    string? Organisation);

/// <summary>
/// Looks a public address up in local databases (never over the network). Called on the aggregator thread
/// when a flow record is enriched, never per packet; implementations cache per address.
/// </summary>
public interface IRemoteLocator
{
    /// <summary>The location, or null when the address is not public or nothing is known.</summary>
    RemoteLocation? Locate(ulong hi, ulong lo, byte family);
}
