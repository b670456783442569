namespace TapSensor.Geo;

/// <summary>A credit line that a data set's licence asks for wherever its results are shown.</summary>
public sealed record GeoAttribution(string Text, string Url)
{
    /// <summary>DB-IP's licence (CC BY 4.0) asks for this exact text with a link wherever results are shown.</summary>
    public static readonly GeoAttribution DbIp = new("IP Geolocation by DB-IP", "https://db-ip.com");

    public static readonly GeoAttribution AsnData = new(
        "ASN data: RouteViews (routeviews.org), NRO (nro.net) and DB-IP IP to ASN Lite (db-ip.com), CC BY 4.0, via ip-location-db",
        "https://github.com/sapics/ip-location-db");

    public static readonly GeoAttribution GeoLite2 = new(
        "This product includes GeoLite2 data created by MaxMind, available from https://www.maxmind.com",
        "https://www.maxmind.com");

    public static readonly GeoAttribution GeoIP2 = new("Geolocation data by MaxMind GeoIP2", "https://www.maxmind.com");

    public override string ToString() => $"{Text} <{Url}>";
}
