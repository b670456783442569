using System.Runtime.CompilerServices;
using TapSensor.Core.Devices;
using TapSensor.Geo;

namespace TapSensor.Host.Geo;

/// <summary>
/// The household's view of <see cref="GeoService"/>: a public address's place and provider as one
/// <see cref="RemoteLocation"/>. The service returns one cached result per address; the matching location is
/// made once per result and kept beside it, so a repeated address costs two lookups and no allocation.
/// </summary>
internal sealed class GeoLocator : IRemoteLocator
{
    private readonly GeoService _service;
    private readonly ConditionalWeakTable<GeoResult, RemoteLocation> _locations = new();

    public GeoLocator(GeoService service) => _service = service;

    public RemoteLocation? Locate(ulong hi, ulong lo, byte family)
    {
        var result = _service.Lookup(hi, lo, family);
        if (result.Class != AddressClass.Public || (result.Place is null && result.Provider is null)) return null;
        return _locations.GetValue(result, static r => new RemoteLocation(
            r.Place?.CountryCode, r.Place?.Region, r.Place?.City, r.Place?.Latitude, r.Place?.Longitude, r.Place?.AccuracyKm,
            r.Provider?.Asn, r.Provider?.Organisation));
    }
}
