using System.Text.Json;

namespace TapSensor.Host.Html;

/// <summary>
/// What <c>report --html</c> and <c>query --map</c> share: the contract document serialised as the JSON output
/// writes it, the world map from the data folder (or <c>--map-dir</c>), one page written to the file.
/// </summary>
internal static class ReportPage
{
    /// <summary>Writes the page; returns the exit code (0, or 1 when the file cannot be written).</summary>
    public static int Write<T>(FileInfo file, T document, DirectoryInfo? mapDirectory, TextWriter messages)
    {
        byte[] json = JsonSerializer.SerializeToUtf8Bytes(document, JsonOutput.Options);
        if (!WorldMap.TryLoad(mapDirectory?.FullName, out var map, out string error))
            messages.WriteLine($"tapsensor: {error}; the page draws its places on a plain latitude/longitude grid");
        try
        {
            HtmlReportWriter.WriteFile(file.FullName, json, map);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            messages.WriteLine($"tapsensor: cannot write '{file.FullName}': {ex.Message}");
            return 1;
        }
        messages.WriteLine($"tapsensor: wrote {file.FullName}");
        return 0;
    }
}
