using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;

namespace TapSensor.Host.Html;

/// <summary>
/// Writes the household report (or a query's result) as one self-contained HTML file: the report's JSON document
/// (docs: the report JSON contract) embedded as data, the world map as inline SVG, and the page's own CSS and
/// script, from which the browser draws the header, filters, markers and tables. Nothing is fetched: a
/// Content-Security-Policy of <c>default-src 'none'</c>, with the hashes of the page's one style and one script,
/// makes sure of it. The same input gives the same bytes.
/// </summary>
internal static class HtmlReportWriter
{
    /// <summary>The id of the <c>&lt;script type="application/json"&gt;</c> element that holds the document.</summary>
    public const string DataElementId = "report-data";

    private static readonly string Style = Resource("report.css");
    private static readonly string Script = Resource("report.js");
    private static readonly string Policy =
        $"default-src 'none'; style-src '{Sha256(Style)}'; script-src '{Sha256(Script)}'; base-uri 'none'; form-action 'none'";

    // Re-encoding escapes '<', '>', '&', quotes, U+2028 and U+2029 as \uXXXX; every other character stays as is.
    private static readonly JsonWriterOptions DataWriterOptions = new()
    {
        Encoder = JavaScriptEncoder.Create(UnicodeRanges.All),
        Indented = false,
    };

    /// <summary>
    /// Writes the page for <paramref name="reportJson"/> (a <c>report</c> or <c>query</c> document, UTF-8 JSON) to
    /// <paramref name="output"/>, with the country shapes of <paramref name="map"/>, or without them (places on a plain
    /// latitude/longitude grid and a note naming scripts/get-map-data.sh) when it is null. Throws
    /// <see cref="ArgumentException"/> when the document is not a JSON object.
    /// </summary>
    public static void Write(Stream output, ReadOnlySpan<byte> reportJson, WorldMap? map)
    {
        var data = EncodeForScript(reportJson);
        using var w = new StreamWriter(output, new UTF8Encoding(false), 64 * 1024, leaveOpen: true) { NewLine = "\n" };
        w.Write("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        w.Write($"<meta http-equiv=\"Content-Security-Policy\" content=\"{Policy}\">\n");
        w.Write("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        w.Write("<meta name=\"generator\" content=\"TapSensor\">\n<title>TapSensor report</title>\n");
        w.Write($"<style>{Style}</style>\n</head>\n<body>\n");
        w.Write($"<script type=\"application/json\" id=\"{DataElementId}\">");
        w.Flush();
        output.Write(data);
        w.Write("</script>\n");
        w.Write("""
            <header class="page-header">
            <h1 id="title"></h1>
            <p id="subtitle" class="muted"></p>
            <dl id="totals" class="totals"></dl>
            <p id="attribution" class="attribution"></p>
            </header>
            <nav id="filters" class="filters" aria-label="Filters">
            <label>Device <select id="filter-device"></select></label>
            <label>Country <select id="filter-country"></select></label>
            <label>Protocol <select id="filter-protocol"></select></label>
            <span id="filter-summary" class="muted"></span>
            </nav>
            <main>
            <section class="card map-card" aria-label="World map">

            """);
        WriteMap(w, map);
        w.Write("""
            <ul id="legend" class="legend"></ul>
            </section>
            <section id="query" class="card" hidden><h2>Result</h2><div id="query-table"></div></section>
            <section id="overview" class="card" hidden><h2>Devices</h2><div id="overview-table"></div></section>
            <div id="devices"></div>
            </main>
            <noscript><p class="note">This report draws its tables with JavaScript; the data is in the page source.</p></noscript>

            """);
        w.Write($"<script>{Script}</script>\n</body>\n</html>\n");
    }

    /// <summary>Writes the page to <paramref name="path"/> (creating its folder) through a temporary file and a rename.</summary>
    public static void WriteFile(string path, ReadOnlySpan<byte> reportJson, WorldMap? map)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var partial = full + ".partial";
        using (var file = new FileStream(partial, FileMode.Create, FileAccess.Write, FileShare.None))
            Write(file, reportJson, map);
        File.Move(partial, full, overwrite: true);
    }

    private static void WriteMap(StreamWriter w, WorldMap? map)
    {
        var inv = CultureInfo.InvariantCulture;
        w.Write($"<div class=\"map-frame\"><svg id=\"map\" class=\"map\" viewBox=\"{MapProjection.ViewBox}\" "
            + $"data-units-per-degree=\"{MapProjection.UnitsPerDegree.ToString(inv)}\" data-countries=\"{(map?.Countries.Count ?? 0).ToString(inv)}\" "
            + "role=\"img\" aria-label=\"World map of the places the household talked to\">\n");
        // The world's frame: shapes drawn past an edge (rings across the antimeridian, see TopoJsonDecoder) are clipped to it.
        string width = MapProjection.X(180).ToString(inv), height = MapProjection.Y(-90).ToString(inv);
        w.Write($"<svg class=\"world\" x=\"0\" y=\"0\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" overflow=\"hidden\">\n");
        w.Write($"<rect class=\"ocean\" x=\"0\" y=\"0\" width=\"{width}\" height=\"{height}\"/>\n");
        w.Write("<g id=\"countries\" class=\"countries\">\n");
        if (map is not null)
        {
            foreach (var c in map.Countries)
            {
                w.Write("<path d=\"");
                w.Write(c.PathData); // digits, spaces and the letters M l z only (TopoJsonDecoder)
                w.Write('"');
                if (c.Id is not null) w.Write($" data-id=\"{WebUtility.HtmlEncode(c.Id)}\"");
                w.Write('>');
                if (c.Name is not null) w.Write($"<title>{WebUtility.HtmlEncode(c.Name)}</title>");
                w.Write("</path>\n");
            }
        }
        w.Write("</g>\n<g class=\"graticule\">");
        for (int lon = -150; lon <= 150; lon += 30)
            w.Write($"<line x1=\"{MapProjection.X(lon).ToString(inv)}\" y1=\"0\" x2=\"{MapProjection.X(lon).ToString(inv)}\" y2=\"{MapProjection.Y(-90).ToString(inv)}\"/>");
        for (int lat = -60; lat <= 60; lat += 30)
            w.Write($"<line{(lat == 0 ? " class=\"equator\"" : "")} x1=\"0\" y1=\"{MapProjection.Y(lat).ToString(inv)}\" x2=\"{MapProjection.X(180).ToString(inv)}\" y2=\"{MapProjection.Y(lat).ToString(inv)}\"/>");
        w.Write("</g>\n</svg>\n<g id=\"markers\" class=\"markers\"></g>\n</svg>\n");
        w.Write("<p id=\"map-empty\" class=\"map-empty\" hidden>No places for this filter</p></div>\n");
        if (map is null)
        {
            w.Write("<p id=\"map-missing\" class=\"note\">Country shapes are missing, so the places are drawn on a plain "
                + "latitude/longitude grid: run <code>scripts/get-map-data.sh</code> and write the report again.</p>\n");
        }
        else
        {
            w.Write("<p class=\"credit muted\">Country shapes: <a href=\"https://www.naturalearthdata.com\">Natural Earth</a> 1:110m "
                + $"(public domain), via {WebUtility.HtmlEncode(map.Source)}. Drag to pan, wheel to zoom, double-click to reset.</p>\n");
        }
    }

    /// <summary>
    /// The document as it goes inside <c>&lt;script type="application/json"&gt;</c>: checked to be a JSON object and
    /// written again with every <c>&lt;</c>, <c>&gt;</c>, <c>&amp;</c>, U+2028 and U+2029 as a <c>\uXXXX</c> escape, so no
    /// string in it can end the script element (<c>&lt;/script&gt;</c>, <c>&lt;!--</c>) or break a JavaScript line.
    /// </summary>
    internal static byte[] EncodeForScript(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
        JsonDocument document;
        try
        {
            document = JsonDocument.ParseValue(ref reader);
            if (reader.Read()) throw new JsonException("more than one JSON value");
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"the report document is not valid JSON: {e.Message}", nameof(json), e);
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                throw new ArgumentException("the report document is not a JSON object", nameof(json));
            var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer, DataWriterOptions)) document.WriteTo(writer);
            var bytes = buffer.ToArray();
            // The encoder above already escapes these; this check keeps the guarantee if its defaults ever change.
            if (bytes.AsSpan().IndexOf((byte)'<') >= 0 || bytes.AsSpan().IndexOf("\u2028"u8) >= 0 || bytes.AsSpan().IndexOf("\u2029"u8) >= 0)
                throw new InvalidOperationException("the JSON encoder left a character that can end a script element");
            return bytes;
        }
    }

    private static string Resource(string name)
    {
        using var stream = typeof(HtmlReportWriter).Assembly.GetManifestResourceStream("TapSensor.Host.Html." + name)
            ?? throw new InvalidOperationException($"the page resource {name} is not embedded in {typeof(HtmlReportWriter).Assembly.GetName().Name}");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        // One newline convention whatever the checkout did, so the page and its hashes are the same everywhere.
        return reader.ReadToEnd().Replace("\r\n", "\n", StringComparison.Ordinal);
    }

    private static string Sha256(string text) => "sha256-" + Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
