using TapSensor.Host.Html;
using TapSensor.Testing;

namespace TapSensor.Host.Tests.Html;

/// <summary>
/// The real country shapes fetched by <c>scripts/get-map-data.sh</c>: found through <c>TAPSENSOR_MAP_DIR</c> (set by
/// scripts/test.sh), else in the repository's <c>artifacts/map</c>. Tests that need them fail, naming the script.
/// </summary>
internal static class MapData
{
    public const string Variable = "TAPSENSOR_MAP_DIR";

    private static readonly Lazy<(WorldMap? Map, string Error)> Loaded = new(() =>
    {
        var dir = Directory();
        return WorldMap.TryLoad(dir, out var map, out var error) ? (map, "") : (null, error);
    });

    public static string Directory()
    {
        var dir = Environment.GetEnvironmentVariable(Variable);
        if (!string.IsNullOrWhiteSpace(dir)) return dir;
        var repo = Corpus.FindRepositoryRoot(AppContext.BaseDirectory);
        return repo is null ? Path.Combine(AppContext.BaseDirectory, "map") : Path.Combine(repo, "artifacts", "map");
    }

    /// <summary>The decoded map, or a failed assertion saying how to fetch it.</summary>
    public static WorldMap Require()
    {
        var (map, error) = Loaded.Value;
        if (map is null)
            Assert.Fail($"no world map data ({error}); run scripts/get-map-data.sh DIR and set {Variable}=DIR (scripts/test.sh does)");
        return map!;
    }
}
