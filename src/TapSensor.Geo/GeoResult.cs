namespace TapSensor.Geo;

/// <summary>Where an address is: country (ISO 3166-1 alpha-2), first-level region, city, coordinates and, when the
/// database gives one, the radius in km within which the address is likely to be (GeoIP2 <c>accuracy_radius</c>).</summary>
public sealed record GeoPlace(string? CountryCode, string? Region, string? City, double? Latitude, double? Longitude, int? AccuracyKm);

/// <summary>Whose network an address is in: the autonomous system that announces it and its organisation.</summary>
public sealed record GeoProvider(long Asn, string? Organisation);

/// <summary>
/// What is known about one address. Lookups return one cached instance per address (and one shared instance per
/// special address class), so a caller may compare results by reference.
/// </summary>
public sealed record GeoResult(AddressClass Class, GeoPlace? Place, GeoProvider? Provider)
{
    private static readonly GeoResult[] ByClass = CreateByClass();

    /// <summary>A public address that no loaded database knows (or no database is loaded).</summary>
    public static GeoResult PublicUnknown => ByClass[(int)AddressClass.Public];

    /// <summary>The shared, empty result of an address class; special classes are never looked up.</summary>
    public static GeoResult ForClass(AddressClass addressClass) =>
        (uint)addressClass < (uint)ByClass.Length ? ByClass[(int)addressClass] : new GeoResult(addressClass, null, null);

    private static GeoResult[] CreateByClass()
    {
        var values = Enum.GetValues<AddressClass>();
        var results = new GeoResult[values.Length];
        foreach (var c in values) results[(int)c] = new GeoResult(c, null, null);
        return results;
    }
}
