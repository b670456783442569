using Microsoft.Extensions.Logging;
using TapSensor.Core.Devices;
using TapSensor.Host.Logging;

namespace TapSensor.Host.Devices;

/// <summary>Loads the IEEE MAC listings the household's vendors come from, in the background (see <see cref="OuiRegistry.LoadInBackground"/>).</summary>
internal static class VendorListings
{
    public static readonly string[] DefaultFiles =
    [
        "/usr/share/ieee-data/oui.csv",
        "/usr/share/ieee-data/mam.csv",
        "/usr/share/ieee-data/oui36.csv",
    ];

    public static OuiRegistry Load(string[]? files, ILogger logger)
    {
        files = files is { Length: > 0 } ? files : DefaultFiles;
        return OuiRegistry.LoadInBackground(registry => Fill(registry, files, logger));
    }

    private static void Fill(OuiRegistry registry, string[] files, ILogger logger)
    {
        var loaded = new List<string>();
        foreach (var file in files)
        {
            try
            {
                using var reader = new StreamReader(file);
                // Debian's listings run to about 90 bytes a row.
                registry.Load(reader, expectedRows: (int)Math.Min(reader.BaseStream.Length / 80, 1_000_000));
                loaded.Add(file);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Reported below as one line: a missing listing only costs the vendor names.
            }
        }
        int blocks = registry.LoadedBlocks;
        if (blocks == 0) Log.VendorsMissing(logger, string.Join(", ", files));
        else Log.VendorsLoaded(logger, blocks, string.Join(", ", loaded));
    }
}
