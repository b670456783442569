using System.Text.Json;
using System.Text.Json.Nodes;

namespace TapSensor.Host.Tests.Html;

/// <summary>
/// Report and query documents in the report JSON contract's shape, built here so the tests know every number the
/// page must show: four devices (one with a hostile name), places in seven countries, TCP and UDP.
/// </summary>
internal static class ReportDocuments
{
    public sealed record Place(double Lat, double Lon, string? City, string Country);

    public sealed record Marker(Place Place, string Device, string Protocol, long Bytes, long Flows, string[] Names, string[] Orgs);

    public sealed record Device(string Id, string Name, string Vendor, string? Group);

    public const string Laptop = "a4:83:e7:11:22:33", Phone = "3c:22:fb:10:20:30", Tv = "b8:27:eb:44:55:66", Odd = "02:00:00:00:00:99";

    /// <summary>A name that would end the data script, open a tag and break a JavaScript line if it were not escaped.</summary>
    public const string HostileName = "</script><img src=x onerror=alert(1)> \"quoted\" 'single' & \u2028line\u2029para <!--";

    public static readonly Device[] Devices =
    [
        new(Tv, "living-room-tv", "Samsung Electronics Co.,Ltd", "Shared"),
        new(Laptop, "LAPTOP-7K2J9QH", "Intel Corporate", "Parents"),
        new(Phone, "Annas-iPhone", "Apple, Inc.", "Kids"),
        new(Odd, HostileName, "Unknown", null),
    ];

    private static readonly Place Frankfurt = new(50.1109, 8.6821, "Frankfurt am Main", "DE");
    private static readonly Place Amsterdam = new(52.374, 4.8897, "Amsterdam", "NL");
    private static readonly Place Dublin = new(53.3498, -6.2603, "Dublin", "IE");
    private static readonly Place Ashburn = new(39.0438, -77.4874, "Ashburn", "US");
    private static readonly Place MountainView = new(37.422, -122.085, "Mountain View", "US");
    private static readonly Place Tokyo = new(35.6895, 139.6917, "Tokyo", "JP");
    private static readonly Place Sydney = new(-33.8688, 151.2093, "Sydney", "AU");
    private static readonly Place SaoPaulo = new(-23.5505, -46.6333, "São Paulo", "BR");
    private static readonly Place Germany = new(51.2993, 9.491, null, "DE"); // a country-level location, no city

    public static readonly Marker[] Markers =
    [
        new(Frankfurt, Laptop, "tcp", 512_000_000, 340, ["www.google.com", "outlook.office.com"], ["Google LLC", "Microsoft Corporation"]),
        new(Frankfurt, Laptop, "udp", 210_000_000, 95, ["rr3---sn-4g5ednsz.googlevideo.com"], ["Google LLC"]),
        new(Amsterdam, Laptop, "tcp", 31_000_000, 44, ["teams.microsoft.com"], ["Microsoft Corporation"]),
        new(Ashburn, Laptop, "tcp", 83_000_000, 61, ["d25xi40x97liuc.cloudfront.net"], ["Amazon.com, Inc."]),
        new(Dublin, Laptop, "tcp", 9_800_000, 12, ["www.netflix.com"], ["Amazon.com, Inc."]),
        new(MountainView, Laptop, "udp", 4_100_000, 30, ["dns.google"], ["Google LLC"]),
        new(Frankfurt, Phone, "udp", 91_000_000, 77, ["scontent-fra5-1.cdninstagram.com"], ["Facebook, Inc."]),
        new(Dublin, Phone, "tcp", 20_500_000, 18, ["graph.facebook.com"], ["Facebook, Inc."]),
        new(Tokyo, Phone, "tcp", 3_200_000, 4, ["api.line.me"], ["LINE Corporation"]),
        new(Sydney, Phone, "udp", 120_000, 2, ["one.one.one.one"], ["Cloudflare, Inc."]),
        new(Ashburn, Phone, "tcp", 6_000_000, 9, ["device-metrics-us.amazon.com"], ["Amazon.com, Inc."]),
        new(Amsterdam, Tv, "tcp", 1_200_000_000, 150, ["ipv4-c012-fra002-ix.1.oca.nflxvideo.net"], ["Netflix Streaming Services Inc."]),
        new(Frankfurt, Tv, "tcp", 48_000_000, 20, ["www.youtube.com"], ["Google LLC"]),
        new(Ashburn, Tv, "udp", 210_000, 6, ["time.google.com"], ["Google LLC"]),
        new(SaoPaulo, Tv, "tcp", 700_000, 3, ["api.samsungcloud.com"], ["Amazon.com, Inc."]),
        new(Germany, Odd, "tcp", 12_345, 1, [HostileName], [HostileName]),
    ];

    public static readonly string[] AllCountries = Markers.Select(m => m.Place.Country).Distinct().Order(StringComparer.Ordinal).ToArray();

    /// <summary>Expected drawn markers for a filter: visible markers added up per place, bytes by lat/lon.</summary>
    public static Dictionary<(double Lat, double Lon), long> ExpectedPlaces(string device = "", string country = "", string protocol = "") =>
        Markers.Where(m => (device == "" || m.Device == device) && (country == "" || m.Place.Country == country) && (protocol == "" || m.Protocol == protocol))
            .GroupBy(m => (m.Place.Lat, m.Place.Lon))
            .ToDictionary(g => g.Key, g => g.Sum(m => m.Bytes));

    public static byte[] Report() => JsonSerializer.SerializeToUtf8Bytes(ReportNode(), new JsonSerializerOptions { WriteIndented = true });

    public static JsonObject ReportNode() => ReportNode(Devices, Markers);

    /// <summary>A report document whose devices' sections and totals are worked out from <paramref name="markers"/>.</summary>
    public static JsonObject ReportNode(Device[] deviceList, Marker[] markers)
    {
        var devices = new JsonArray();
        foreach (var d in deviceList.OrderByDescending(d => markers.Where(m => m.Device == d.Id).Sum(m => m.Bytes)))
            devices.Add(DeviceNode(d, markers));
        return new JsonObject
        {
            ["title"] = "TapSensor household report",
            ["generated"] = "2026-11-23T10:00:00Z",
            ["window"] = new JsonObject { ["from"] = "2026-11-16T00:00:00Z", ["to"] = "2026-11-23T00:00:00Z", ["quiet_hours"] = "01:00-06:00" },
            ["attribution"] = Attribution(),
            ["totals"] = new JsonObject
            {
                ["bytes_up"] = markers.Sum(m => m.Bytes) / 10, ["bytes_down"] = markers.Sum(m => m.Bytes) * 9 / 10,
                ["flows"] = markers.Sum(m => m.Flows), ["devices"] = deviceList.Length, ["destinations"] = markers.SelectMany(m => m.Names).Distinct().Count(),
            },
            ["devices"] = devices,
            ["markers"] = MarkersNode(deviceList, markers),
        };
    }

    /// <summary>A query document: only title, generated, attribution, the result set and markers.</summary>
    public static byte[] Query()
    {
        var rows = new JsonArray();
        foreach (var m in Markers)
            rows.Add(new JsonArray(m.Device, m.Place.Country, m.Protocol, m.Bytes, m.Names[0]));
        var doc = new JsonObject
        {
            ["title"] = "Bytes per device, country and protocol",
            ["generated"] = "2026-11-23T10:00:00Z",
            ["attribution"] = Attribution(),
            ["columns"] = new JsonArray("device", "country", "protocol", "bytes", "name"),
            ["rows"] = rows,
            ["markers"] = MarkersNode(Devices, Markers),
        };
        return JsonSerializer.SerializeToUtf8Bytes(doc);
    }

    private static JsonArray Attribution() => [new JsonObject { ["text"] = "IP Geolocation by DB-IP", ["url"] = "https://db-ip.com" }];

    private static JsonArray MarkersNode(Device[] devices, Marker[] markers)
    {
        var nodes = new JsonArray();
        foreach (var m in markers)
        {
            var node = new JsonObject { ["lat"] = m.Place.Lat, ["lon"] = m.Place.Lon };
            if (m.Place.City is not null) node["city"] = m.Place.City;
            node["country"] = m.Place.Country;
            node["device"] = m.Device;
            node["device_name"] = devices.Single(d => d.Id == m.Device).Name;
            node["protocol"] = m.Protocol;
            node["bytes"] = m.Bytes;
            node["flows"] = m.Flows;
            node["names"] = new JsonArray(m.Names.Select(n => (JsonNode?)n).ToArray());
            node["orgs"] = new JsonArray(m.Orgs.Select(n => (JsonNode?)n).ToArray());
            nodes.Add(node);
        }
        return nodes;
    }

    private static JsonObject DeviceNode(Device d, Marker[] markers)
    {
        var mine = markers.Where(m => m.Device == d.Id).OrderByDescending(m => m.Bytes).ToArray();
        long total = mine.Sum(m => m.Bytes);
        var node = new JsonObject { ["id"] = d.Id, ["name"] = d.Name, ["vendor"] = d.Vendor };
        if (d.Group is not null) node["group"] = d.Group;
        node["bytes_up"] = total / 10;
        node["bytes_down"] = total - total / 10;
        node["flows"] = mine.Sum(m => m.Flows);
        node["first_seen"] = "2026-11-16T07:12:00Z";
        node["last_seen"] = "2026-11-22T23:48:00Z";
        node["top_destinations"] = Array(mine.OrderByDescending(m => m.Bytes).Select(m => new JsonObject
        {
            ["name"] = m.Names[0], ["bytes"] = m.Bytes, ["flows"] = m.Flows, ["country"] = m.Place.Country, ["org"] = m.Orgs[0], ["days"] = 3, ["intervals"] = 12,
        }));
        node["countries"] = Array(mine.GroupBy(m => m.Place.Country).OrderByDescending(g => g.Sum(m => m.Bytes)).Select(g => new JsonObject
        {
            ["country"] = g.Key, ["bytes"] = g.Sum(m => m.Bytes), ["flows"] = g.Sum(m => m.Flows),
        }));
        node["providers"] = Array(mine.GroupBy(m => m.Orgs[0]).OrderByDescending(g => g.Sum(m => m.Bytes)).Select((g, i) => new JsonObject
        {
            ["asn"] = 15169 + i, ["org"] = g.Key, ["bytes"] = g.Sum(m => m.Bytes), ["flows"] = g.Sum(m => m.Flows), ["share"] = (double)g.Sum(m => m.Bytes) / total,
        }));
        node["services"] = Array(mine.GroupBy(m => m.Protocol == "udp" ? "quic" : "https").Select(g => new JsonObject
        {
            ["service"] = g.Key, ["bytes"] = g.Sum(m => m.Bytes), ["flows"] = g.Sum(m => m.Flows),
        }));
        node["provider_concentration"] = new JsonObject { ["top"] = 3, ["share"] = 0.81 };
        node["recurring"] = Array(mine.Take(2).Select(m => new JsonObject { ["name"] = m.Names[0], ["days"] = 5, ["intervals"] = 40, ["bytes"] = m.Bytes }));
        node["one_off"] = Array(mine.Skip(2).Take(1).Select(m => new JsonObject { ["name"] = m.Names[0], ["bytes"] = m.Bytes, ["first_seen"] = "2026-11-20T18:30:00Z" }));
        node["new_destinations"] = Array(mine.TakeLast(1).Select(m => new JsonObject { ["name"] = m.Names[0], ["first_seen"] = "2026-11-21T09:00:00Z", ["bytes"] = m.Bytes }));
        node["new_providers"] = Array(mine.TakeLast(1).Select(m => new JsonObject { ["asn"] = 64500, ["org"] = m.Orgs[0], ["first_seen"] = "2026-11-21T09:00:00Z" }));
        node["new_countries"] = Array(mine.TakeLast(1).Select(m => new JsonObject { ["country"] = m.Place.Country, ["first_seen"] = "2026-11-21T09:00:00Z" }));
        node["idle_chatter"] = new JsonObject
        {
            ["bytes"] = 52_000, ["flows"] = 14,
            ["destinations"] = Array(mine.Take(1).Select(m => new JsonObject { ["name"] = m.Names[0], ["bytes"] = 52_000, ["flows"] = 14 })),
        };
        return node;
    }

    private static JsonArray Array(IEnumerable<JsonObject> items) => new(items.Select(i => (JsonNode?)i).ToArray());

    /// <summary>How many rows of a device's <paramref name="section"/> carry <paramref name="country"/> (all rows for "").</summary>
    public static int RowsFor(string deviceId, string section, string country)
    {
        var device = ReportNode()["devices"]!.AsArray().Single(d => (string?)d!["id"] == deviceId)!;
        return device[section]!.AsArray().Count(r => country == "" || r!["country"] is null || (string?)r["country"] == country);
    }
}
