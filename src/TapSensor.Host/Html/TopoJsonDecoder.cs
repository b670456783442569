using System.Globalization;
using System.Text;
using System.Text.Json;

namespace TapSensor.Host.Html;

/// <summary>
/// Turns the polygons of one object of a TopoJSON topology (https://github.com/topojson/topojson-specification)
/// into SVG path data in <see cref="MapProjection"/> units.
/// <list type="bullet">
/// <item>Arcs (§2.1.3) are shared line strings. In a quantized topology (§2.1.2, a <c>transform</c> is present) each
///   arc's first position is absolute and every later one a delta from the previous; both are integers, scaled and
///   translated into longitude/latitude by the transform. Without a transform, positions are plain coordinates.</item>
/// <item>A polygon is a list of rings, a ring a list of arc indexes (§2.2.5); index <c>i</c> &lt; 0 means arc
///   <c>~i</c> (−1 is arc 0) walked backwards. Each arc after the first starts where the previous one ended, so its
///   first position is skipped. A MultiPolygon is a list of polygons.</item>
/// </list>
/// Simplification is by precision: every position is rounded to a tenth of a degree, and points that then repeat
/// are dropped, as are rings left with fewer than three points. Rings that cross the antimeridian are drawn on both
/// edges of the map (see <see cref="AppendRing"/>). The path of a shape is one subpath per ring:
/// <c>M x y</c>, then relative <c>l dx dy</c> steps, then <c>z</c>; holes come out right with <c>fill-rule: evenodd</c>.
/// Throws <see cref="FormatException"/> for anything that is not such a topology.
/// </summary>
internal static class TopoJsonDecoder
{
    /// <summary>Caps that do not come from the data: world-atlas 1:10m, the largest it ships, has about 10 000 arcs.</summary>
    private const int MaxArcs = 1_000_000, MaxPositions = 10_000_000;

    public static IReadOnlyList<CountryShape> Decode(ReadOnlyMemory<byte> topology, string objectName)
    {
        if (topology.Span.StartsWith("\uFEFF"u8)) topology = topology[3..]; // a byte order mark from an editor
        JsonDocument document;
        try { document = JsonDocument.Parse(topology); }
        catch (JsonException e) { throw new FormatException($"not JSON: {e.Message}", e); }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String
                || type.GetString() != "Topology")
                throw new FormatException("not a TopoJSON topology (no \"type\": \"Topology\")");
            var arcs = DecodeArcs(root);
            if (!root.TryGetProperty("objects", out var objects) || objects.ValueKind != JsonValueKind.Object
                || !objects.TryGetProperty(objectName, out var obj))
                throw new FormatException($"the topology has no object \"{objectName}\"");

            var shapes = new List<CountryShape>();
            if (String(obj, "type") == "GeometryCollection")
            {
                if (!obj.TryGetProperty("geometries", out var geometries) || geometries.ValueKind != JsonValueKind.Array)
                    throw new FormatException($"\"{objectName}\" is a GeometryCollection without a geometries array");
                foreach (var g in geometries.EnumerateArray()) AddShape(g, arcs, shapes);
            }
            else
            {
                AddShape(obj, arcs, shapes);
            }
            return shapes;
        }
    }

    private static List<Point[]> DecodeArcs(JsonElement root)
    {
        double sx = 1, sy = 1, tx = 0, ty = 0;
        bool quantized = root.TryGetProperty("transform", out var transform) && transform.ValueKind == JsonValueKind.Object;
        if (quantized)
        {
            (sx, sy) = Pair(transform, "scale");
            (tx, ty) = Pair(transform, "translate");
        }
        if (!root.TryGetProperty("arcs", out var arcsElement) || arcsElement.ValueKind != JsonValueKind.Array)
            throw new FormatException("the topology has no arcs array");
        if (arcsElement.GetArrayLength() > MaxArcs) throw new FormatException($"more than {MaxArcs} arcs");

        var arcs = new List<Point[]>(arcsElement.GetArrayLength());
        long positions = 0;
        foreach (var arc in arcsElement.EnumerateArray())
        {
            if (arc.ValueKind != JsonValueKind.Array) throw new FormatException($"arc {arcs.Count} is not an array");
            positions += arc.GetArrayLength();
            if (positions > MaxPositions) throw new FormatException($"more than {MaxPositions} arc positions");
            var points = new Point[arc.GetArrayLength()];
            double x = 0, y = 0;
            int i = 0;
            foreach (var position in arc.EnumerateArray())
            {
                if (position.ValueKind != JsonValueKind.Array || position.GetArrayLength() < 2
                    || position[0].ValueKind != JsonValueKind.Number || position[1].ValueKind != JsonValueKind.Number
                    || !position[0].TryGetDouble(out var px) || !position[1].TryGetDouble(out var py))
                    throw new FormatException($"arc {arcs.Count} position {i} is not a [x, y] pair of numbers");
                if (quantized) { x += px; y += py; } // delta-encoded quantized integers (§2.1.3)
                else { x = px; y = py; }
                double lon = quantized ? x * sx + tx : x, lat = quantized ? y * sy + ty : y;
                points[i++] = new Point(MapProjection.X(lon), MapProjection.Y(lat));
            }
            arcs.Add(points);
        }
        return arcs;
    }

    private static void AddShape(JsonElement geometry, List<Point[]> arcs, List<CountryShape> shapes)
    {
        var path = new StringBuilder();
        switch (String(geometry, "type"))
        {
            case "Polygon":
                AppendPolygon(geometry.GetProperty("arcs"), arcs, path);
                break;
            case "MultiPolygon":
                var polygons = geometry.GetProperty("arcs");
                if (polygons.ValueKind != JsonValueKind.Array) throw new FormatException("a MultiPolygon's arcs is not an array");
                foreach (var polygon in polygons.EnumerateArray()) AppendPolygon(polygon, arcs, path);
                break;
            default:
                return; // points, lines and null geometries have no area to fill
        }
        if (path.Length == 0) return; // everything smaller than the map's precision

        string? id = geometry.TryGetProperty("id", out var idElement)
            ? idElement.ValueKind switch
            {
                JsonValueKind.String => idElement.GetString(),
                JsonValueKind.Number => idElement.GetRawText(),
                _ => null,
            }
            : null;
        string? name = geometry.TryGetProperty("properties", out var properties) && properties.ValueKind == JsonValueKind.Object
            ? String(properties, "name")
            : null;
        shapes.Add(new CountryShape(id, name, path.ToString()));
    }

    private static void AppendPolygon(JsonElement rings, List<Point[]> arcs, StringBuilder path)
    {
        if (rings.ValueKind != JsonValueKind.Array) throw new FormatException("a polygon is not an array of rings");
        var ring = new List<Point>();
        foreach (var arcIndexes in rings.EnumerateArray())
        {
            if (arcIndexes.ValueKind != JsonValueKind.Array) throw new FormatException("a ring is not an array of arc indexes");
            ring.Clear();
            foreach (var indexElement in arcIndexes.EnumerateArray())
            {
                if (indexElement.ValueKind != JsonValueKind.Number || !indexElement.TryGetInt32(out var index)) throw new FormatException("an arc index is not an integer");
                bool reversed = index < 0;
                int arcIndex = reversed ? ~index : index;
                if (arcIndex >= arcs.Count) throw new FormatException($"arc index {index} is out of range ({arcs.Count} arcs)");
                var arc = arcs[arcIndex];
                for (int k = ring.Count == 0 ? 0 : 1; k < arc.Length; k++)
                    Append(ring, reversed ? arc[arc.Length - 1 - k] : arc[k]);
            }
            if (ring.Count > 1 && ring[^1] == ring[0]) ring.RemoveAt(ring.Count - 1); // "z" closes it
            if (ring.Count < 3) continue;
            AppendRing(ring, path);
        }
    }

    private static void Append(List<Point> ring, Point p)
    {
        if (ring.Count == 0 || ring[^1] != p) ring.Add(p);
    }

    /// <summary>
    /// Appends a ring, cut at the antimeridian. world-atlas stitches the polygons that Natural Earth cuts at ±180°
    /// (Russia's Chukotka, Fiji, Antarctica), so a ring may jump from one edge of the map to the other. Such a ring
    /// is unwrapped (a step of more than half the world's width is taken the short way round, past the edge), then
    /// drawn again one world-width over, and the map's frame clips both copies. A ring that goes once round the world
    /// (around a pole) is closed along the map's top or bottom edge.
    /// </summary>
    private static void AppendRing(List<Point> ring, StringBuilder path)
    {
        const int world = 360 * MapProjection.UnitsPerDegree, half = world / 2;
        int offset = 0, minX = int.MaxValue, maxX = int.MinValue;
        bool wrapped = false;
        for (int i = 0; i < ring.Count; i++)
        {
            if (i > 0)
            {
                int step = ring[i].X + offset - ring[i - 1].X;
                if (step > half) offset -= world;
                else if (step < -half) offset += world;
            }
            if (offset != 0)
            {
                ring[i] = ring[i] with { X = ring[i].X + offset };
                wrapped = true;
            }
            minX = Math.Min(minX, ring[i].X);
            maxX = Math.Max(maxX, ring[i].X);
        }
        bool roundTheWorld = Math.Abs(ring[0].X - ring[^1].X) > half; // its closing step would cross the whole map
        if (!wrapped && !roundTheWorld)
        {
            AppendSubpath(ring, 0, path);
            return;
        }
        if (roundTheWorld) // around a pole: close along the map's edge nearer to it
        {
            double meanY = ring.Average(p => p.Y);
            int poleY = meanY > MapProjection.Y(0) ? MapProjection.Y(-90) : MapProjection.Y(90);
            ring.Add(new Point(ring[^1].X, poleY));
            ring.Add(new Point(ring[0].X, poleY));
        }
        AppendSubpath(ring, 0, path);
        if (minX < 0) AppendSubpath(ring, world, path);
        if (maxX > world) AppendSubpath(ring, -world, path);
    }

    private static void AppendSubpath(List<Point> ring, int shiftX, StringBuilder path)
    {
        var inv = CultureInfo.InvariantCulture;
        path.Append('M').Append((ring[0].X + shiftX).ToString(inv)).Append(' ').Append(ring[0].Y.ToString(inv)).Append('l');
        for (int i = 1; i < ring.Count; i++)
        {
            if (i > 1) path.Append(' ');
            path.Append((ring[i].X - ring[i - 1].X).ToString(inv)).Append(' ').Append((ring[i].Y - ring[i - 1].Y).ToString(inv));
        }
        path.Append('z');
    }

    private static (double, double) Pair(JsonElement parent, string name)
    {
        if (!parent.TryGetProperty(name, out var pair) || pair.ValueKind != JsonValueKind.Array || pair.GetArrayLength() != 2
            || pair[0].ValueKind != JsonValueKind.Number || pair[1].ValueKind != JsonValueKind.Number
            || !pair[0].TryGetDouble(out var a) || !pair[1].TryGetDouble(out var b))
            throw new FormatException($"the transform's {name} is not a pair of numbers");
        return (a, b);
    }

    private static string? String(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private readonly record struct Point(int X, int Y);
}
