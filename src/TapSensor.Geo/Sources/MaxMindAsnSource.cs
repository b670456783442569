using MaxMind.GeoIP2;

namespace TapSensor.Geo.Sources;

/// <summary>MaxMind GeoLite2-ASN through <see cref="DatabaseReader.TryAsn(System.Net.IPAddress, out MaxMind.GeoIP2.Responses.AsnResponse?)"/>.</summary>
internal sealed class MaxMindAsnSource(string path, DatabaseReader reader, string databaseType) : GeoSource(path, GeoDatabaseKind.Asn, databaseType)
{
    public override bool Answers(bool isV4) => isV4 || reader.Metadata.IPVersion == 6;

    public override GeoProvider? FindProvider(ref AddressQuery query)
    {
        if (!reader.TryAsn(query.Address, out var r) || r?.AutonomousSystemNumber is not { } asn || asn == 0) return null;
        return new GeoProvider(asn, NullIfEmpty(r.AutonomousSystemOrganization));
    }

    public override void Dispose() => reader.Dispose();
}
