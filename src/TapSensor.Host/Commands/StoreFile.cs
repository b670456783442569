using Microsoft.Extensions.Configuration;
using TapSensor.Geo;
using TapSensor.Host.Geo;
using TapSensor.Sinks.Sqlite;

namespace TapSensor.Host.Commands;

/// <summary>Which store <c>report</c> and <c>query</c> read: <c>--db</c>, else <c>TapSensor:Sqlite:Path</c>, else tapsensor.db in the data folder.</summary>
internal static class StoreFile
{
    public static string Resolve(FileInfo? db)
    {
        if (db is not null) return db.FullName;
        var options = new SqliteOptions();
        GeoConfiguration.Read().GetSection(SensorOptions.Section + ":" + SqliteOptions.SectionName).Bind(options);
        return options.ResolvePath(GeoDataDirectory.Root());
    }
}
