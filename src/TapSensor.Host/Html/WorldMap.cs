using System.Diagnostics.CodeAnalysis;
using TapSensor.Geo;

namespace TapSensor.Host.Html;

/// <summary>
/// The country shapes the HTML report draws its world map with: Natural Earth's 1:110m Admin 0 countries (public
/// domain) in the TopoJSON that the npm package world-atlas ships (<c>countries-110m.json</c>), fetched by
/// <c>scripts/get-map-data.sh</c> into <see cref="GeoDataDirectory.Map"/>. Decoded once into SVG path data
/// (about 60 KB for the 177 countries of 1:110m) and shared by every page written with it.
/// </summary>
internal sealed class WorldMap
{
    public const string FileName = "countries-110m.json";
    public const string ObjectName = "countries";
    public const string FetchHint = "run scripts/get-map-data.sh [DIR] to fetch them (Natural Earth country shapes via the npm package world-atlas)";

    public WorldMap(IReadOnlyList<CountryShape> countries, string source)
    {
        Countries = countries;
        Source = source;
    }

    public IReadOnlyList<CountryShape> Countries { get; }

    /// <summary>Where the shapes came from, for the page's credit line: "world-atlas 2.0.2 countries-110m.json".</summary>
    public string Source { get; }

    /// <summary>Decodes a TopoJSON topology with a <c>countries</c> object; throws <see cref="FormatException"/> if it is none.</summary>
    public static WorldMap FromTopology(ReadOnlyMemory<byte> topology, string source) =>
        new(TopoJsonDecoder.Decode(topology, ObjectName), source);

    /// <summary>
    /// Loads <c>countries-110m.json</c> from <paramref name="directory"/> (the default: <see cref="GeoDataDirectory.Map"/>).
    /// False with a message that names the file and <c>scripts/get-map-data.sh</c> when it is missing or unreadable;
    /// the report is then still written, with its places on a plain latitude/longitude grid.
    /// </summary>
    public static bool TryLoad(string? directory, [NotNullWhen(true)] out WorldMap? map, out string error)
    {
        directory ??= GeoDataDirectory.Map();
        var path = Path.Combine(directory, FileName);
        map = null;
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            error = $"no country shapes at {path}: {FetchHint}";
            return false;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error = $"cannot read the country shapes {path}: {e.Message}";
            return false;
        }
        try
        {
            map = FromTopology(bytes, SourceOf(directory));
        }
        catch (FormatException e)
        {
            error = $"the country shapes {path} are damaged ({e.Message}): {FetchHint}";
            return false;
        }
        error = "";
        return true;
    }

    /// <summary>The package line that get-map-data.sh wrote to versions.txt ("world-atlas 2.0.2 countries-110m.json"), else the file name.</summary>
    private static string SourceOf(string directory)
    {
        try
        {
            foreach (var line in File.ReadLines(Path.Combine(directory, "versions.txt")))
            {
                var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length >= 2 && fields[0] == "world-atlas") return $"world-atlas {fields[1]} {FileName}";
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // no record of the version: the file name still says what it is
        }
        return FileName;
    }
}
