using System.Globalization;

namespace TapSensor.Host.Html;

/// <summary>
/// The world map's projection: plate carrée (equirectangular), longitude and latitude drawn as a plain grid, in
/// whole units of a tenth of a degree. x = (lon + 180) × 10 runs 0..3600 west to east, y = (90 − lat) × 10 runs
/// 0..1800 north to south (SVG's y axis points down). A tenth of a degree (11 km at the equator) is finer than the
/// 1:110m shapes need (their points are 0.1 to 1 degree apart) and keeps path data short and integer.
/// The page's script places markers with the same formula, reading <see cref="UnitsPerDegree"/> from the map.
/// </summary>
internal static class MapProjection
{
    public const int UnitsPerDegree = 10;

    /// <summary>Latitudes drawn: the Arctic above 85° N holds no country, and Antarctica (south of 60° S) no household's traffic.</summary>
    public const int North = 85, South = -60;

    public static int X(double longitude) => Round((Math.Clamp(longitude, -180, 180) + 180) * UnitsPerDegree);

    public static int Y(double latitude) => Round((90 - Math.Clamp(latitude, -90, 90)) * UnitsPerDegree);

    /// <summary>The SVG viewBox of the whole map: all longitudes, latitudes <see cref="North"/> to <see cref="South"/>.</summary>
    public static string ViewBox { get; } = string.Create(CultureInfo.InvariantCulture,
        $"0 {Y(North)} {X(180)} {Y(South) - Y(North)}");

    // Away from zero, so -0.05 and 0.05 land symmetric; the page never rounds, it draws markers at exact positions.
    private static int Round(double units) => (int)Math.Round(units, MidpointRounding.AwayFromZero);
}
