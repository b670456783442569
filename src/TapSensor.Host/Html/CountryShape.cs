namespace TapSensor.Host.Html;

/// <summary>
/// One country of the world map: its TopoJSON id (world-atlas uses the ISO 3166-1 numeric code, "276" for
/// Germany), its name, and its outline as SVG path data in <see cref="MapProjection"/> units.
/// </summary>
internal sealed record CountryShape(string? Id, string? Name, string PathData);
