namespace TapSensor.Geo;

/// <summary>Stable snake_case names for output formats (JSON, flow records); they do not change when enum members are renamed.</summary>
public static class GeoNames
{
    public static string Name(this AddressClass value) => value switch
    {
        AddressClass.Public => "public",
        AddressClass.Private => "private",
        AddressClass.Loopback => "loopback",
        AddressClass.LinkLocal => "link_local",
        AddressClass.Multicast => "multicast",
        AddressClass.Broadcast => "broadcast",
        AddressClass.Cgnat => "cgnat",
        AddressClass.Documentation => "documentation",
        AddressClass.Unspecified => "unspecified",
        AddressClass.Reserved => "reserved",
        AddressClass.UniqueLocal => "unique_local",
        AddressClass.Benchmarking => "benchmarking",
        _ => "unknown",
    };

    public static string Name(this GeoDatabaseKind value) => value switch
    {
        GeoDatabaseKind.City => "city",
        GeoDatabaseKind.Country => "country",
        GeoDatabaseKind.Asn => "asn",
        GeoDatabaseKind.DbIpCity => "dbip_city",
        GeoDatabaseKind.AsnCsv => "asn_csv",
        _ => "unknown",
    };
}
