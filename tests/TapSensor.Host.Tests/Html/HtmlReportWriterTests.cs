using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using TapSensor.Host.Html;

namespace TapSensor.Host.Tests.Html;

public sealed partial class HtmlReportWriterTests
{
    private const string DataOpen = "<script type=\"application/json\" id=\"report-data\">";

    private static readonly WorldMap TinyMap = WorldMap.FromTopology(Encoding.UTF8.GetBytes("""
        {"type":"Topology","arcs":[[[0,0],[5,0],[5,5],[0,0]]],
         "objects":{"countries":{"type":"GeometryCollection","geometries":[
           {"type":"Polygon","arcs":[[0]],"id":"<x>","properties":{"name":"<b>Land</b> & \"Sea\""}}]}}}
        """), "world-atlas 2.0.2 countries-110m.json");

    private static string Page(byte[] document, WorldMap? map)
    {
        using var output = new MemoryStream();
        HtmlReportWriter.Write(output, document, map);
        return Encoding.UTF8.GetString(output.ToArray());
    }

    private static string DataBlock(string page)
    {
        int start = page.IndexOf(DataOpen, StringComparison.Ordinal);
        Assert.True(start >= 0, "the page has no data script");
        start += DataOpen.Length;
        return page[start..page.IndexOf("</script>", start, StringComparison.Ordinal)];
    }

    [Fact]
    public void Hostile_strings_in_the_document_cannot_end_the_data_script_and_come_back_unchanged()
    {
        var page = Page(ReportDocuments.Report(), TinyMap);
        var data = DataBlock(page);

        Assert.DoesNotContain("<", data, StringComparison.Ordinal);
        Assert.DoesNotContain(">", data, StringComparison.Ordinal);
        Assert.DoesNotContain("\u2028", data, StringComparison.Ordinal);
        Assert.DoesNotContain("\u2029", data, StringComparison.Ordinal);
        Assert.Contains("\\u003C/script\\u003E", data, StringComparison.OrdinalIgnoreCase);
        // Two script elements: the data and the page's own code, and the hostile name nowhere as markup.
        Assert.Equal(2, Regex.Count(page, "</script>"));
        Assert.DoesNotContain("<img", page, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<!--", page, StringComparison.Ordinal);

        using var parsed = JsonDocument.Parse(data);
        var names = parsed.RootElement.GetProperty("devices").EnumerateArray().Select(d => d.GetProperty("name").GetString()).ToList();
        Assert.Contains(ReportDocuments.HostileName, names);
        var marker = parsed.RootElement.GetProperty("markers").EnumerateArray().Single(m => m.GetProperty("device").GetString() == ReportDocuments.Odd);
        Assert.Equal(ReportDocuments.HostileName, marker.GetProperty("names")[0].GetString());
    }

    [Fact]
    public void Non_ascii_text_stays_readable_and_numbers_stay_exact()
    {
        var data = DataBlock(Page(ReportDocuments.Report(), null));
        Assert.Contains("São Paulo", data, StringComparison.Ordinal);
        Assert.Contains("\"lat\":50.1109", data, StringComparison.Ordinal);
        Assert.Contains("\"bytes\":1200000000", data, StringComparison.Ordinal);
    }

    [Fact]
    public void The_page_references_nothing_on_the_network_except_attribution_links()
    {
        var page = Page(ReportDocuments.Report(), TinyMap);
        var outsideData = page.Replace(DataBlock(page), "", StringComparison.Ordinal);

        foreach (Match m in UrlScheme().Matches(outsideData))
        {
            var before = outsideData[Math.Max(0, m.Index - 9)..m.Index];
            Assert.True(before == "<a href=\"", $"a network reference outside an anchor: ...{outsideData[Math.Max(0, m.Index - 60)..(m.Index + 40)]}...");
        }
        Assert.Equal(["https://www.naturalearthdata.com"],
            AnchorUrl().Matches(outsideData).Select(m => m.Groups[1].Value).ToArray());
        Assert.DoesNotMatch(@"\s(src|srcset|poster|action|formaction|xlink:href)\s*=", outsideData);
        Assert.DoesNotMatch("<(img|iframe|object|embed|link|audio|video|source|image|use)[\\s>]", outsideData);
        Assert.DoesNotContain("<link", outsideData, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("@import", outsideData, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("url(", outsideData, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("fetch(", outsideData, StringComparison.Ordinal);
        Assert.DoesNotContain("XMLHttpRequest", outsideData, StringComparison.Ordinal);
        // The attribution the licence asks for travels in the data, where the page builds its link.
        Assert.Contains("\"url\":\"https://db-ip.com\"", DataBlock(page), StringComparison.Ordinal);
    }

    [Fact]
    public void The_content_security_policy_allows_only_the_pages_own_style_and_script_by_hash()
    {
        var page = Page(ReportDocuments.Report(), TinyMap);
        var policy = Regex.Match(page, "http-equiv=\"Content-Security-Policy\" content=\"([^\"]*)\"").Groups[1].Value;
        Assert.StartsWith("default-src 'none';", policy, StringComparison.Ordinal);

        var style = Regex.Match(page, "<style>(.*?)</style>", RegexOptions.Singleline).Groups[1].Value;
        var scripts = Regex.Matches(page, "<script>(.*?)</script>", RegexOptions.Singleline);
        var script = Assert.Single(scripts).Groups[1].Value;
        Assert.Contains($"style-src 'sha256-{Hash(style)}'", policy, StringComparison.Ordinal);
        Assert.Contains($"script-src 'sha256-{Hash(script)}'", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", policy, StringComparison.Ordinal);
    }

    [Fact]
    public void Country_names_and_ids_from_the_map_file_are_html_escaped()
    {
        var page = Page(ReportDocuments.Report(), TinyMap);
        Assert.Contains("<path d=\"M1800 900l50 0 0 -50z\" data-id=\"&lt;x&gt;\"><title>&lt;b&gt;Land&lt;/b&gt; &amp; &quot;Sea&quot;</title></path>", page,
            StringComparison.Ordinal);
        Assert.Contains("via world-atlas 2.0.2 countries-110m.json", page, StringComparison.Ordinal);
    }

    [Fact]
    public void The_same_document_and_map_give_the_same_bytes()
    {
        var again = WorldMap.FromTopology(Encoding.UTF8.GetBytes("""
            {"type":"Topology","arcs":[[[0,0],[5,0],[5,5],[0,0]]],
             "objects":{"countries":{"type":"GeometryCollection","geometries":[
               {"type":"Polygon","arcs":[[0]],"id":"<x>","properties":{"name":"<b>Land</b> & \"Sea\""}}]}}}
            """), "world-atlas 2.0.2 countries-110m.json");
        var first = Page(ReportDocuments.Report(), TinyMap);
        Assert.Equal(first, Page(ReportDocuments.Report(), again));
        Assert.NotEqual(first, Page(ReportDocuments.Query(), TinyMap));
    }

    [Fact]
    public void Without_map_data_the_page_says_so_and_names_the_fetch_script()
    {
        var page = Page(ReportDocuments.Report(), null);
        Assert.Contains("data-countries=\"0\"", page, StringComparison.Ordinal);
        Assert.Contains("id=\"map-missing\"", page, StringComparison.Ordinal);
        Assert.Contains("scripts/get-map-data.sh", page, StringComparison.Ordinal);
        Assert.DoesNotContain("<path", page, StringComparison.Ordinal);
        Assert.Contains("class=\"graticule\"", page, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"title\": ", "not valid JSON")]
    [InlineData("[1, 2]", "not a JSON object")]
    [InlineData("{} {}", "not valid JSON")]
    [InlineData("", "not valid JSON")]
    public void A_document_that_is_not_one_json_object_is_refused(string json, string reason)
    {
        var e = Assert.Throws<ArgumentException>(() => Page(Encoding.UTF8.GetBytes(json), null));
        Assert.Contains(reason, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WriteFile_creates_the_folder_and_leaves_no_partial_file()
    {
        var dir = Directory.CreateTempSubdirectory("tapsensor-html-").FullName;
        try
        {
            var path = Path.Combine(dir, "sub", "report.html");
            HtmlReportWriter.WriteFile(path, ReportDocuments.Report(), TinyMap);
            Assert.Equal(Page(ReportDocuments.Report(), TinyMap), File.ReadAllText(path));
            Assert.Equal(["report.html"], Directory.GetFiles(Path.Combine(dir, "sub")).Select(f => Path.GetFileName(f)!).ToArray());
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static string Hash(string text) => Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    [GeneratedRegex("https?:", RegexOptions.IgnoreCase)]
    private static partial Regex UrlScheme();

    [GeneratedRegex("<a href=\"([^\"]*)\"")]
    private static partial Regex AnchorUrl();
}
