using System.Text.Json.Nodes;
using TapSensor.Host.Html;
using static TapSensor.Host.Tests.Html.ReportDocuments;

namespace TapSensor.Host.Tests.Html;

/// <summary>
/// Writes report and query pages with the real world-atlas shapes and loads them in headless Chromium (one browser
/// run for all, see <see cref="PageBrowser"/>), then checks what the page drew against the documents.
/// </summary>
public sealed class HtmlReportBrowserTests(HtmlReportBrowserTests.Pages pages) : IClassFixture<HtmlReportBrowserTests.Pages>
{
    /// <summary>The filter states applied to the report page, in order (device, country, protocol).</summary>
    private static readonly (string Device, string Country, string Protocol)[] ReportStates =
    [
        ("", "", ""),
        (Laptop, "", ""),
        ("", "US", ""),
        ("", "", "udp"),
        (Tv, "JP", ""),
        (Laptop, "", "udp"),
        (Odd, "", ""),
    ];

    private static readonly (string Device, string Country, string Protocol)[] QueryStates = [("", "", ""), ("", "DE", ""), (Phone, "", "")];

    public sealed class Pages
    {
        public Pages()
        {
            Directory = Path.Combine(AppContext.BaseDirectory, "html-report");
            System.IO.Directory.CreateDirectory(Directory);
            Map = MapData.Require();
            HtmlReportWriter.WriteFile(Path.Combine(Directory, "report.html"), Report(), Map);
            HtmlReportWriter.WriteFile(Path.Combine(Directory, "report-no-map.html"), Report(), null);
            HtmlReportWriter.WriteFile(Path.Combine(Directory, "query.html"), Query(), Map);
            HtmlReportWriter.WriteFile(Path.Combine(Directory, "preview.html"), PreviewDocument.Report(), Map);
            Screenshot = Path.Combine(Directory, "report.png");
            PreviewScreenshot = Path.Combine(Directory, "preview.png");
            File.Delete(Screenshot);
            File.Delete(PreviewScreenshot);
            var result = PageBrowser.Run(
            [
                Spec("report.html", Screenshot, ReportStates, zoom: true),
                Spec("report-no-map.html", null, [("", "", "")]),
                Spec("query.html", null, QueryStates),
                Spec("preview.html", PreviewScreenshot, [("", "", "")]),
            ], TimeSpan.FromSeconds(60));
            var all = result["pages"]!.AsArray();
            Report = all[0]!.AsObject();
            NoMap = all[1]!.AsObject();
            QueryPage = all[2]!.AsObject();
            Preview = all[3]!.AsObject();
            // The README's picture is regenerated on request only: TAPSENSOR_WRITE_README_IMAGES=1 dotnet test ...
            if (Environment.GetEnvironmentVariable("TAPSENSOR_WRITE_README_IMAGES") == "1" && File.Exists(PreviewScreenshot))
            {
                var repo = TapSensor.Testing.Corpus.FindRepositoryRoot(AppContext.BaseDirectory)!;
                System.IO.Directory.CreateDirectory(Path.Combine(repo, "docs", "images"));
                File.Copy(PreviewScreenshot, Path.Combine(repo, "docs", "images", "report-map.png"), overwrite: true);
            }
        }

        public string Directory { get; }
        internal WorldMap Map { get; }
        public string Screenshot { get; }
        public JsonObject Report { get; }
        public JsonObject NoMap { get; }
        public JsonObject QueryPage { get; }
        public JsonObject Preview { get; }
        public string PreviewScreenshot { get; }

        public JsonObject[] All => [Report, NoMap, QueryPage, Preview];

        private JsonObject Spec(string html, string? screenshot, (string Device, string Country, string Protocol)[] states, bool zoom = false)
        {
            var list = new JsonArray();
            foreach (var (d, c, p) in states) list.Add(new JsonObject { ["device"] = d, ["country"] = c, ["protocol"] = p });
            return new JsonObject
            {
                ["html"] = Path.Combine(Directory, html), ["screenshot"] = screenshot, ["fullPage"] = false, ["states"] = list, ["zoom"] = zoom,
            };
        }
    }

    private JsonObject State(JsonObject page, int index) => page["states"]![index]!.AsObject();

    private static JsonObject[] MarkersOf(JsonObject state) => state["markers"]!.AsArray().Select(m => m!.AsObject()).ToArray();

    private static void AssertMarkers(JsonObject state, Dictionary<(double Lat, double Lon), long> expected)
    {
        var drawn = MarkersOf(state);
        Assert.Equal(expected.Count, drawn.Length);
        foreach (var m in drawn)
        {
            var key = ((double)m["lat"]!, (double)m["lon"]!);
            Assert.True(expected.TryGetValue(key, out var bytes), $"a marker at {key} that the data does not place there");
            Assert.Equal(bytes, (long)(double)m["bytes"]!);
            Assert.Equal((key.Item2 + 180) * MapProjection.UnitsPerDegree, (double)m["cx"]!, 6);
            Assert.Equal((90 - key.Item1) * MapProjection.UnitsPerDegree, (double)m["cy"]!, 6);
        }
        Assert.Equal(drawn.Length == 0, (bool)state["emptyShown"]!);
    }

    private static string[] Sections(JsonObject state) => PageBrowser.Strings(state["sections"], n => (string)n!);

    [Fact]
    public void Every_page_loads_with_no_request_leaving_the_file_and_no_script_error()
    {
        foreach (var page in pages.All)
        {
            var name = (string)page["html"]!;
            Assert.True(page["failed"]!.AsArray().Count == 0, $"{name}: failed requests {PageBrowser.Describe(page["failed"])}");
            Assert.True(page["pageErrors"]!.AsArray().Count == 0, $"{name}: page errors {PageBrowser.Describe(page["pageErrors"])}");
            Assert.True(page["consoleErrors"]!.AsArray().Count == 0, $"{name}: console errors {PageBrowser.Describe(page["consoleErrors"])}");
            Assert.All(PageBrowser.Strings(page["requests"], n => (string)n!), url => Assert.StartsWith("file:", url, StringComparison.Ordinal));
            Assert.True((bool)page["info"]!["ready"]!, $"{name}: the page script did not finish");
        }
    }

    [Fact]
    public void The_map_draws_every_country_of_the_110m_shapes()
    {
        int countries = (int)pages.Report["info"]!["countries"]!;
        Assert.True(countries > 150, $"only {countries} country paths drawn");
        Assert.Equal(pages.Map.Countries.Count, countries);
        Assert.False((bool)pages.Report["info"]!["mapMissing"]!);
    }

    [Fact]
    public void One_marker_per_place_with_the_bytes_of_all_its_markers_added_up()
    {
        var all = State(pages.Report, 0);
        AssertMarkers(all, ExpectedPlaces());
        Assert.Equal(9, MarkersOf(all).Length); // eight cities and one country-level place
        Assert.Equal(ReportDocuments.Devices.Select(d => d.Id).Order(), Sections(all).Order());
        Assert.Equal(ReportDocuments.Devices.Length, (int)all["overviewRows"]!);
        Assert.Equal(0, (int)all["noDataRows"]!);
    }

    [Fact]
    public void Marker_radius_grows_with_bytes()
    {
        var byBytes = MarkersOf(State(pages.Report, 0)).OrderBy(m => (double)m["bytes"]!).Select(m => (double)m["r"]!).ToArray();
        for (int i = 1; i < byBytes.Length; i++) Assert.True(byBytes[i] >= byBytes[i - 1], $"radius {byBytes[i]} after {byBytes[i - 1]}");
        Assert.True(byBytes[^1] > 3 * byBytes[0], "the largest place should stand out from the smallest");
    }

    [Fact]
    public void Marker_titles_name_the_place_the_volume_the_names_and_the_devices()
    {
        var frankfurt = MarkersOf(State(pages.Report, 0)).Single(m => (double)m["lat"]! == 50.1109);
        var title = (string)frankfurt["title"]!;
        Assert.StartsWith("Frankfurt am Main, Germany (DE)\n861 MB in 532 flows", title, StringComparison.Ordinal);
        Assert.Contains("www.youtube.com", title, StringComparison.Ordinal);
        Assert.Contains("Google LLC", title, StringComparison.Ordinal);
        Assert.Contains("LAPTOP-7K2J9QH", title, StringComparison.Ordinal);
        Assert.Contains("Annas-iPhone", title, StringComparison.Ordinal);
    }

    [Fact]
    public void The_device_filter_leaves_exactly_that_devices_markers_and_sections()
    {
        var laptop = State(pages.Report, 1);
        AssertMarkers(laptop, ExpectedPlaces(device: Laptop));
        Assert.All(MarkersOf(laptop), m => Assert.Equal([Laptop], PageBrowser.Strings(m["devices"], n => (string)n!)));
        Assert.Equal([Laptop], Sections(laptop));
        Assert.Equal(1, (int)laptop["overviewRows"]!);
    }

    [Fact]
    public void The_country_filter_changes_the_markers_and_the_rows_that_have_a_country()
    {
        var us = State(pages.Report, 2);
        AssertMarkers(us, ExpectedPlaces(country: "US"));
        Assert.All(MarkersOf(us), m => Assert.Equal("US", (string)m["country"]!));
        Assert.Equal(ReportDocuments.Devices.Length, Sections(us).Length); // sections stay; their country rows follow the filter
        foreach (var d in ReportDocuments.Devices)
        {
            var rows = us["tableRows"]![d.Id]!;
            Assert.Equal(RowsFor(d.Id, "countries", "US"), (int)rows["countries"]!);
            Assert.Equal(RowsFor(d.Id, "top_destinations", "US"), (int)rows["top_destinations"]!);
            Assert.Equal(RowsFor(d.Id, "services", ""), (int)rows["services"]!); // no country: unfiltered
        }
    }

    [Fact]
    public void The_protocol_filter_changes_the_markers()
    {
        var udp = State(pages.Report, 3);
        AssertMarkers(udp, ExpectedPlaces(protocol: "udp"));
        Assert.All(MarkersOf(udp), m => Assert.Equal(["udp"], PageBrowser.Strings(m["protocols"], n => (string)n!)));

        var laptopUdp = State(pages.Report, 5);
        AssertMarkers(laptopUdp, ExpectedPlaces(device: Laptop, protocol: "udp"));
        Assert.Equal(2, MarkersOf(laptopUdp).Length);
    }

    [Fact]
    public void A_filter_that_leaves_nothing_shows_the_no_data_state()
    {
        var none = State(pages.Report, 4); // the TV never talked to Japan
        Assert.Empty(MarkersOf(none));
        Assert.True((bool)none["emptyShown"]!);
        Assert.Equal([Tv], Sections(none));
        Assert.Equal(0, (int)none["tableRows"]![Tv]!["countries"]!);
        Assert.Equal(3, (int)none["noDataRows"]!); // top destinations, countries and new countries say so
        Assert.False((bool)State(pages.Report, 0)["emptyShown"]!);
    }

    [Fact]
    public void A_hostile_device_name_is_shown_as_text_and_runs_nothing()
    {
        var odd = State(pages.Report, 6);
        var marker = Assert.Single(MarkersOf(odd));
        Assert.Contains(HostileName, (string)marker["title"]!, StringComparison.Ordinal);
        Assert.Equal(0, (int)pages.Report["info"]!["injected"]!);
        Assert.Equal(2, (int)pages.Report["info"]!["scripts"]!);
    }

    [Fact]
    public void The_filters_offer_all_and_every_device_country_and_protocol_in_the_data()
    {
        var options = pages.Report["info"]!["options"]!;
        var devices = PageBrowser.Strings(options["device"], n => (string)n!);
        Assert.Equal("", devices[0]);
        Assert.Equal(ReportDocuments.Devices.Select(d => d.Id).Order(), devices.Skip(1).Order());
        Assert.Equal(["", .. AllCountries], PageBrowser.Strings(options["country"], n => (string)n!));
        Assert.Equal(["", "tcp", "udp"], PageBrowser.Strings(options["protocol"], n => (string)n!));
    }

    [Fact]
    public void The_db_ip_attribution_is_a_link()
    {
        var links = pages.Report["info"]!["attribution"]!.AsArray();
        Assert.Contains(links, l => (string)l!["text"]! == "IP Geolocation by DB-IP" && (string)l["href"]! == "https://db-ip.com");
        Assert.Equal("TapSensor household report", (string)pages.Report["info"]!["title"]!);
    }

    [Fact]
    public void Without_country_shapes_the_places_are_still_drawn_on_the_grid_with_a_note()
    {
        var info = pages.NoMap["info"]!;
        Assert.Equal(0, (int)info["countries"]!);
        Assert.True((bool)info["mapMissing"]!);
        AssertMarkers(State(pages.NoMap, 0), ExpectedPlaces());
        Assert.Equal(ReportDocuments.Devices.Length, Sections(State(pages.NoMap, 0)).Length);
    }

    [Fact]
    public void A_query_page_shows_the_result_table_and_the_map_and_its_filters_apply_to_rows_with_that_column()
    {
        var all = State(pages.QueryPage, 0);
        Assert.Equal(Markers.Length, (int)all["queryRows"]!);
        Assert.Equal(-1, (int)all["overviewRows"]!);
        Assert.Empty(Sections(all));
        AssertMarkers(all, ExpectedPlaces());

        var de = State(pages.QueryPage, 1);
        Assert.Equal(Markers.Count(m => m.Place.Country == "DE"), (int)de["queryRows"]!);
        AssertMarkers(de, ExpectedPlaces(country: "DE"));

        var phone = State(pages.QueryPage, 2);
        Assert.Equal(Markers.Count(m => m.Device == Phone), (int)phone["queryRows"]!);
        AssertMarkers(phone, ExpectedPlaces(device: Phone));
        Assert.Equal("Bytes per device, country and protocol", (string)pages.QueryPage["info"]!["title"]!);
    }

    [Fact]
    public void A_screenshot_of_the_report_is_written()
    {
        var png = File.ReadAllBytes(pages.Screenshot);
        Assert.True(png.Length > 20_000, $"screenshot of only {png.Length} bytes");
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png[..4]);
    }

    [Fact]
    public void The_realistic_preview_draws_one_marker_per_place_of_the_household()
    {
        var places = PreviewDocument.Markers().Select(m => (m.Place.Lat, m.Place.Lon)).Distinct().Count();
        Assert.Equal(places, MarkersOf(State(pages.Preview, 0)).Length);
        Assert.True(new FileInfo(pages.PreviewScreenshot).Length > 20_000);
    }

    [Fact]
    public void The_wheel_zooms_in_with_markers_keeping_their_screen_size_and_a_double_click_shows_the_world_again()
    {
        var zoom = pages.Report["zoom"]!;
        double Width(JsonNode? viewBox) => double.Parse(((string)viewBox!).Split(' ')[2], System.Globalization.CultureInfo.InvariantCulture);
        double before = Width(zoom["before"]!["viewBox"]), after = Width(zoom["after"]!["viewBox"]);
        Assert.True(after < before, $"the viewBox did not narrow: {before} -> {after}");
        var rBefore = PageBrowser.Strings(zoom["before"]!["r"], n => (double)n);
        var rAfter = PageBrowser.Strings(zoom["after"]!["r"], n => (double)n);
        Assert.Equal(rBefore.Length, rAfter.Length);
        for (int i = 0; i < rBefore.Length; i++) Assert.Equal(rBefore[i] * after / before, rAfter[i], 6);
        Assert.Equal(MapProjection.ViewBox, (string)zoom["reset"]!);
    }
}
