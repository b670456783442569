namespace TapSensor.Geo.Sources;

/// <summary>Providers from the in-memory range table built from the <c>@ip-location-db/asn</c> CSVs.</summary>
internal sealed class AsnTableSource(string path, AsnRangeTable table) : GeoSource(path, GeoDatabaseKind.AsnCsv, "ip-location-db asn csv")
{
    public AsnRangeTable Table { get; } = table;

    public override bool Answers(bool isV4) => isV4 ? Table.V4Ranges > 0 : Table.V6Ranges > 0;

    public override GeoProvider? FindProvider(ref AddressQuery query) => Table.Find(query.Hi, query.Lo, query.IsV4);
}
