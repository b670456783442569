using System.Text.Json;
using static TapSensor.Host.Tests.Html.ReportDocuments;

namespace TapSensor.Host.Tests.Html;

/// <summary>
/// A realistic week of the household that <c>tapsensor sample</c> generates, for the README's screenshot
/// (docs/images/report-map.png): its devices and the services they use, each placed where DB-IP City Lite (June 2026)
/// puts the service's sample address, with volumes drawn from a seeded generator (same document every run).
/// </summary>
internal static class PreviewDocument
{
    private static readonly Place MountainView = new(37.4225, -122.085, "Mountain View", "US");
    private static readonly Place Frankfurt = new(50.1109, 8.68213, "Frankfurt am Main", "DE");
    private static readonly Place Amsterdam = new(52.3676, 4.90414, "Amsterdam", "NL");
    private static readonly Place Hoofddorp = new(52.3061, 4.6907, "Hoofddorp", "NL");
    private static readonly Place Dallas = new(32.7767, -96.797, "Dallas", "US");
    private static readonly Place Cupertino = new(37.3322, -122.011, "Cupertino", "US");
    private static readonly Place Dublin = new(53.3498, -6.26031, "Dublin", "IE");
    private static readonly Place NewYork = new(40.7128, -74.006, "New York", "US");
    private static readonly Place KansasCity = new(39.0997, -94.5786, "Kansas City", "US");
    private static readonly Place Ashburn = new(39.0438, -77.4874, "Ashburn", "US");
    private static readonly Place Cardiff = new(51.4837, -3.1681, "Cardiff", "GB");
    private static readonly Place Montreal = new(45.5019, -73.5674, "Montreal", "CA");
    private static readonly Place London = new(51.5072, -0.127586, "London", "GB");
    private static readonly Place Toronto = new(43.6532, -79.3832, "Toronto", "CA");
    private static readonly Place Munich = new(48.1351, 11.582, "Munich", "DE");
    private static readonly Place Hanover = new(52.3861, 9.80954, "Hanover", "DE");
    private static readonly Place Chiyoda = new(35.68, 139.738, "Chiyoda", "JP");
    private static readonly Place Seongnam = new(37.3962, 127.112, "Seongnam-si", "KR");
    private static readonly Place Sydney = new(-33.8688, 151.209, "Sydney", "AU");
    private static readonly Place Madrid = new(40.4168, -3.70379, "Madrid", "ES");
    private static readonly Place Fortaleza = new(-3.73272, -38.527, "Fortaleza", "BR");
    private static readonly Place Moscow = new(55.7558, 37.6173, "Moscow", "RU");

    private sealed record Service(string Name, Place Place, string Org, string Protocol, double Scale);

    private static readonly Service[] Services =
    [
        new("www.google.com", MountainView, "Google LLC", "udp", 8),
        new("www.youtube.com", MountainView, "Google LLC", "udp", 30),
        new("rr3---sn-4g5ednsz.googlevideo.com", Moscow, "Google LLC", "udp", 400),
        new("clients3.google.com", Frankfurt, "Google LLC", "tcp", 2),
        new("time.google.com", MountainView, "Google LLC", "udp", 0.05),
        new("gateway.icloud.com", Dallas, "Apple Inc.", "tcp", 3),
        new("p101-contentws.icloud.com", Hoofddorp, "Apple Inc.", "tcp", 60),
        new("mesu.apple.com", Amsterdam, "Apple Inc.", "tcp", 25),
        new("courier.push.apple.com", Cupertino, "Apple Inc.", "tcp", 1),
        new("hls-svod.itunes.apple.com", Amsterdam, "Apple Inc.", "tcp", 300),
        new("www.netflix.com", Dublin, "Amazon.com, Inc.", "tcp", 4),
        new("ipv4-c012-fra002-ix.1.oca.nflxvideo.net", NewYork, "Netflix Streaming Services Inc.", "tcp", 1500),
        new("d25xi40x97liuc.cloudfront.net", Frankfurt, "Amazon.com, Inc.", "tcp", 80),
        new("disney.api.edge.bamgrid.com", KansasCity, "Google LLC", "tcp", 3),
        new("device-metrics-us.amazon.com", Ashburn, "Amazon.com, Inc.", "tcp", 0.5),
        new("login.microsoftonline.com", Dublin, "Microsoft Corporation", "tcp", 1),
        new("outlook.office.com", Cardiff, "Microsoft Corporation", "tcp", 20),
        new("teams.microsoft.com", Montreal, "Microsoft Corporation", "tcp", 90),
        new("time.windows.com", London, "Microsoft Corporation", "udp", 0.05),
        new("gateway.discord.gg", Toronto, "Cloudflare, Inc.", "tcp", 6),
        new("graph.facebook.com", Munich, "Facebook, Inc.", "udp", 15),
        new("scontent-fra5-1.cdninstagram.com", Frankfurt, "Facebook, Inc.", "udp", 120),
        new("g.whatsapp.net", Frankfurt, "Facebook, Inc.", "tcp", 5),
        new("spclient.wg.spotify.com", KansasCity, "Google LLC", "tcp", 40),
        new("www.heise.de", Hanover, "Plus.line AG", "tcp", 6),
        new("www.wikipedia.org", Amsterdam, "Wikimedia Foundation Inc.", "tcp", 4),
        new("github.com", Frankfurt, "GitHub, Inc.", "tcp", 12),
        new("www.yahoo.co.jp", Chiyoda, "Yahoo Japan", "tcp", 2),
        new("www.naver.com", Seongnam, "NAVER Cloud Corp.", "tcp", 2),
        new("one.one.one.one", Sydney, "Cloudflare, Inc.", "udp", 0.02),
        new("osb-eu.samsungqbe.com", Frankfurt, "Amazon.com, Inc.", "tcp", 3),
        new("deb.debian.org", Madrid, "Fastly, Inc.", "tcp", 45),
        new("www.msftconnecttest.com", Fortaleza, "Akamai International B.V.", "tcp", 0.02),
        new("archive.raspberrypi.com", London, "Mythic Beasts Ltd", "tcp", 20),
    ];

    private static readonly (Device Device, string[] Uses)[] Household =
    [
        (new("f4:7b:09:3e:12:a1", "living-room-tv", "Samsung Electronics Co.,Ltd", "Shared"),
            ["ipv4-c012-fra002-ix.1.oca.nflxvideo.net", "www.netflix.com", "www.youtube.com", "rr3---sn-4g5ednsz.googlevideo.com", "disney.api.edge.bamgrid.com", "osb-eu.samsungqbe.com", "time.google.com"]),
        (new("3c:22:fb:10:20:30", "Annas-iPhone", "Apple, Inc.", "Kids"),
            ["scontent-fra5-1.cdninstagram.com", "graph.facebook.com", "g.whatsapp.net", "courier.push.apple.com", "gateway.icloud.com", "p101-contentws.icloud.com", "spclient.wg.spotify.com", "www.youtube.com", "rr3---sn-4g5ednsz.googlevideo.com"]),
        (new("a4:83:e7:11:22:33", "LAPTOP-7K2J9QH", "Intel Corporate", "Parents"),
            ["teams.microsoft.com", "outlook.office.com", "login.microsoftonline.com", "www.google.com", "github.com", "www.heise.de", "www.wikipedia.org", "www.msftconnecttest.com", "time.windows.com", "d25xi40x97liuc.cloudfront.net"]),
        (new("8c:85:90:5a:6b:7c", "Annas-MacBook-Air", "Apple, Inc.", "Kids"),
            ["hls-svod.itunes.apple.com", "mesu.apple.com", "gateway.icloud.com", "www.youtube.com", "gateway.discord.gg", "www.google.com", "www.yahoo.co.jp"]),
        (new("d8:3a:dd:4e:5f:60", "Pixel-8", "Google, Inc.", "Parents"),
            ["www.google.com", "clients3.google.com", "graph.facebook.com", "g.whatsapp.net", "www.naver.com", "spclient.wg.spotify.com"]),
        (new("b8:27:eb:44:55:66", "raspberrypi", "Raspberry Pi Foundation", null),
            ["deb.debian.org", "archive.raspberrypi.com", "one.one.one.one", "github.com"]),
        (new("2c:f0:5d:71:82:93", "DESKTOP-9F3KQ2M", "Micro-Star INTL CO., LTD.", "Kids"),
            ["gateway.discord.gg", "d25xi40x97liuc.cloudfront.net", "www.youtube.com", "rr3---sn-4g5ednsz.googlevideo.com", "device-metrics-us.amazon.com", "time.windows.com"]),
        (new("f0:d2:f1:a4:b5:c6", "Bens-iPad", "Apple, Inc.", "Kids"),
            ["www.youtube.com", "rr3---sn-4g5ednsz.googlevideo.com", "courier.push.apple.com", "mesu.apple.com"]),
    ];

    public static Marker[] Markers()
    {
        var random = new Random(20261123);
        var markers = new List<Marker>();
        foreach (var (device, uses) in Household)
        {
            foreach (var name in uses)
            {
                var s = Services.Single(x => x.Name == name);
                long bytes = (long)(s.Scale * 1_000_000 * (0.3 + 1.4 * random.NextDouble()));
                long flows = Math.Max(1, (long)(Math.Sqrt(s.Scale) * 12 * (0.5 + random.NextDouble())));
                markers.Add(new Marker(s.Place, device.Id, s.Protocol, bytes, flows, [s.Name], [s.Org]));
            }
        }
        return markers.ToArray();
    }

    public static byte[] Report()
    {
        var node = ReportNode(Household.Select(h => h.Device).ToArray(), Markers());
        node["attribution"]!.AsArray().Add(new System.Text.Json.Nodes.JsonObject
        {
            ["text"] = "ASN data: RouteViews, NRO and DB-IP IP to ASN Lite, CC BY 4.0, via ip-location-db",
            ["url"] = "https://github.com/sapics/ip-location-db",
        });
        return JsonSerializer.SerializeToUtf8Bytes(node);
    }
}
