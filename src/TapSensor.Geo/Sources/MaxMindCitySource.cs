using MaxMind.GeoIP2;

namespace TapSensor.Geo.Sources;

/// <summary>
/// MaxMind GeoLite2/GeoIP2 City or Country through <see cref="DatabaseReader"/> (memory-mapped, thread-safe).
/// Region is the first, largest subdivision (a US state, a German Land); names in English.
/// </summary>
internal sealed class MaxMindCitySource(string path, DatabaseReader reader, string databaseType, bool countryOnly)
    : GeoSource(path, countryOnly ? GeoDatabaseKind.Country : GeoDatabaseKind.City, databaseType)
{
    public override bool Answers(bool isV4) => isV4 || reader.Metadata.IPVersion == 6;

    public override GeoPlace? FindPlace(ref AddressQuery query)
    {
        if (countryOnly)
        {
            if (!reader.TryCountry(query.Address, out var c) || c is null) return null;
            return c.Country.IsoCode is { Length: > 0 } iso ? new GeoPlace(iso, null, null, null, null, null) : null;
        }
        if (!reader.TryCity(query.Address, out var r) || r is null) return null;
        var subdivision = r.Subdivisions.Count > 0 ? r.Subdivisions[0].Name : null;
        var place = new GeoPlace(NullIfEmpty(r.Country.IsoCode), NullIfEmpty(subdivision), NullIfEmpty(r.City.Name),
            r.Location.Latitude, r.Location.Longitude, r.Location.AccuracyRadius);
        return place is { CountryCode: null, City: null, Latitude: null } ? null : place;
    }

    public override void Dispose() => reader.Dispose();
}
