using System.Text;
using TapSensor.Host.Html;

namespace TapSensor.Host.Tests.Html;

public sealed class WorldMapTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tapsensor-map-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void A_folder_without_the_shapes_gives_an_error_naming_the_file_and_the_fetch_script()
    {
        Assert.False(WorldMap.TryLoad(_dir, out var map, out var error));
        Assert.Null(map);
        Assert.Contains(Path.Combine(_dir, WorldMap.FileName), error, StringComparison.Ordinal);
        Assert.Contains("scripts/get-map-data.sh", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_damaged_file_is_reported_as_damaged_with_the_fetch_script()
    {
        File.WriteAllText(Path.Combine(_dir, WorldMap.FileName), "{\"type\":\"Topology\",\"arcs\":[");
        Assert.False(WorldMap.TryLoad(_dir, out _, out var error));
        Assert.Contains("damaged", error, StringComparison.Ordinal);
        Assert.Contains("scripts/get-map-data.sh", error, StringComparison.Ordinal);
    }

    [Fact]
    public void The_source_line_names_the_package_version_from_versions_txt()
    {
        File.WriteAllText(Path.Combine(_dir, WorldMap.FileName), """
            {"type":"Topology","arcs":[[[0,0],[5,0],[5,5],[0,0]]],"objects":{"countries":{"type":"GeometryCollection","geometries":[{"type":"Polygon","arcs":[[0]]}]}}}
            """, Encoding.UTF8);
        File.WriteAllText(Path.Combine(_dir, "versions.txt"), "# package version files...\nworld-atlas 2.0.2 countries-110m.json\n");
        Assert.True(WorldMap.TryLoad(_dir, out var map, out var error), error);
        Assert.Equal("world-atlas 2.0.2 countries-110m.json", map.Source);
        Assert.Single(map.Countries);
    }

    [Fact]
    public void The_real_110m_countries_decode_to_every_country_in_a_few_dozen_kilobytes_of_path_data()
    {
        var map = MapData.Require();
        Assert.Equal(177, map.Countries.Count); // world-atlas 2.0.2 countries-110m.json
        long size = map.Countries.Sum(c => (long)c.PathData.Length);
        Assert.InRange(size, 20_000, 400_000);
        var germany = Assert.Single(map.Countries, c => c.Id == "276");
        Assert.Equal("Germany", germany.Name);
        // Frankfurt (50.11° N, 8.68° E) lies inside Germany's bounding box in map units.
        var (minX, minY, maxX, maxY) = Bounds(germany.PathData);
        Assert.InRange(MapProjection.X(8.68), minX, maxX);
        Assert.InRange(MapProjection.Y(50.11), minY, maxY);
        Assert.InRange(maxX - minX, 80, 120); // Germany spans about 5.9° to 15.0° E
    }

    /// <summary>The bounding box of a path made of M (absolute) and l (relative) steps.</summary>
    private static (int MinX, int MinY, int MaxX, int MaxY) Bounds(string path)
    {
        int minX = int.MaxValue, minY = int.MaxValue, maxX = int.MinValue, maxY = int.MinValue;
        foreach (var sub in path.Split('z', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = sub.TrimStart('M').Split('l');
            var start = parts[0].Split(' ').Select(int.Parse).ToArray();
            int x = start[0], y = start[1];
            var steps = parts.Length > 1 ? parts[1].Split(' ').Select(int.Parse).ToArray() : [];
            for (int i = -2; i < steps.Length; i += 2)
            {
                if (i >= 0) { x += steps[i]; y += steps[i + 1]; }
                minX = Math.Min(minX, x); maxX = Math.Max(maxX, x); minY = Math.Min(minY, y); maxY = Math.Max(maxY, y);
            }
        }
        return (minX, minY, maxX, maxY);
    }
}
