using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using TapSensor.Geo;
using TapSensor.Sinks.Sqlite.Report;
using TapSensor.Sinks.Sqlite.Store;

namespace TapSensor.Host.Commands;

/// <summary>
/// <c>tapsensor report [--db FILE] [--from T --to T | --last 24h] [--device ID|NAME]... [--quiet-hours 01:00-06:00]
/// [--top N] [--utc] [--json FILE] [--html FILE [--map-dir DIR]]</c>: where each device's traffic went over a window of the stored flows
/// (README, "The household report"). Tables on stdout; <c>--json</c> writes the report document, <c>--html</c> the page with the world map drawn from it.
/// </summary>
internal static class ReportCommand
{
    /// <summary>The credit lines for a store that recorded none: the free data sets' (README, "Attribution").</summary>
    internal static readonly IReadOnlyList<Attribution> DefaultAttribution =
        [new(GeoAttribution.DbIp.Text, GeoAttribution.DbIp.Url), new(GeoAttribution.AsnData.Text, GeoAttribution.AsnData.Url)];

    public static Command Create()
    {
        var db = new Option<FileInfo?>("--db") { Description = "The store to read (default: TapSensor:Sqlite:Path, else tapsensor.db in the data folder)" };
        var from = new Option<string?>("--from") { Description = "Start of the window, ISO 8601 (e.g. 2026-11-23T00:00); local time unless it names a zone or --utc" };
        var to = new Option<string?>("--to") { Description = "End of the window (exclusive); default: just after the newest stored flow" };
        var last = new Option<string?>("--last") { Description = "Length of the window ending at --to: 90m, 24h, 7d, 2w (default 24h)" };
        var device = new Option<string[]>("--device") { Description = "Only this device (id, MAC or name); repeatable", AllowMultipleArgumentsPerToken = false };
        var quiet = new Option<string?>("--quiet-hours") { Description = "Idle hours of the household, HH:MM-HH:MM, may cross midnight (default 01:00-06:00)" };
        var top = new Option<int>("--top") { Description = "Rows per list (destinations, countries, providers, ...)", DefaultValueFactory = _ => 10 };
        var utc = new Option<bool>("--utc") { Description = "Days and quiet hours in UTC instead of this machine's time zone" };
        var json = new Option<FileInfo?>("--json") { Description = "Also write the report as a JSON document to this file" };
        var html = new Option<FileInfo?>("--html") { Description = "Also write the report as one self-contained HTML page with a world map" };
        var mapDir = new Option<DirectoryInfo?>("--map-dir") { Description = "Folder of the world map's country shapes (default: the data folder's map/; scripts/get-map-data.sh)" };
        var command = new Command("report", "Where each device's traffic went: destinations, countries, providers, new and idle-time traffic, from the store")
            { db, from, to, last, device, quiet, top, utc, json, html, mapDir };
        command.SetAction(result =>
        {
            bool inUtc = result.GetValue(utc);
            var zone = inUtc ? TimeZoneInfo.Utc : TimeZoneInfo.Local;
            if (!TryTime(result.GetValue(from), zone, "--from", out var fromTime)
                || !TryTime(result.GetValue(to), zone, "--to", out var toTime))
                return 2;
            var window = TimeSpan.FromHours(24);
            if (result.GetValue(last) is { } lastText && !TryDuration(lastText, out window))
            {
                Console.Error.WriteLine($"tapsensor: --last must be a positive length such as 90m, 24h, 7d or 2w; got '{lastText}'");
                return 2;
            }
            if (fromTime is not null && result.GetValue(last) is not null)
            {
                Console.Error.WriteLine("tapsensor: give --from or --last, not both");
                return 2;
            }
            var quietHours = QuietHours.Default;
            if (result.GetValue(quiet) is { } quietText && !QuietHours.TryParse(quietText, out quietHours))
            {
                Console.Error.WriteLine($"tapsensor: --quiet-hours must look like 01:00-06:00 (start and end differ); got '{quietText}'");
                return 2;
            }
            int n = result.GetValue(top);
            if (n is < 1 or > 10_000)
            {
                Console.Error.WriteLine($"tapsensor: --top must be between 1 and 10000; got {n}");
                return 2;
            }
            var request = new ReportRequest
            {
                From = fromTime,
                To = toTime,
                Last = window,
                Devices = result.GetValue(device) ?? [],
                QuietHours = quietHours,
                Top = n,
                TimeZone = zone,
                FallbackAttribution = DefaultAttribution,
            };
            return Run(StoreFile.Resolve(result.GetValue(db)), request, result.GetValue(json), result.GetValue(html), result.GetValue(mapDir));
        });
        return command;
    }

    private static int Run(string path, ReportRequest request, FileInfo? json, FileInfo? html, DirectoryInfo? mapDir)
    {
        ReportDocument report;
        try
        {
            using var connection = StoreConnection.OpenReadOnly(path);
            report = HouseholdReport.Build(connection, request, DateTimeOffset.UtcNow);
        }
        catch (StoreException ex)
        {
            Console.Error.WriteLine($"tapsensor: {ex.Message}");
            return 1;
        }
        catch (HouseholdReport.UnknownDeviceException ex)
        {
            Console.Error.WriteLine($"tapsensor: {ex.Message}");
            return 2;
        }
        catch (Microsoft.Data.Sqlite.SqliteException ex)
        {
            Console.Error.WriteLine($"tapsensor: cannot read the store '{path}': {ex.Message}");
            return 1;
        }
        ReportPrinter.Print(report, request.TimeZone, AnsiConsole.Console);
        if (json is not null)
        {
            try
            {
                JsonOutput.Write(json.FullName, report);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine($"tapsensor: cannot write '{json.FullName}': {ex.Message}");
                return 1;
            }
        }
        return html is null ? 0 : Html.ReportPage.Write(html, report, mapDir, Console.Error);
    }

    internal static bool TryTime(string? text, TimeZoneInfo zone, string option, out DateTimeOffset? time)
    {
        time = null;
        if (text is null) return true;
        if (DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces | DateTimeStyles.RoundtripKind, out var t))
        {
            time = t.Kind switch
            {
                DateTimeKind.Utc => new DateTimeOffset(t, TimeSpan.Zero),
                DateTimeKind.Local => new DateTimeOffset(t),
                _ => new DateTimeOffset(t, zone.GetUtcOffset(t)),
            };
            return true;
        }
        Console.Error.WriteLine($"tapsensor: {option} must be an ISO 8601 time such as 2026-11-23T08:00 or 2026-11-23T08:00:00Z; got '{text}'");
        return false;
    }

    /// <summary>90s, 30m, 24h, 7d, 2w.</summary>
    internal static bool TryDuration(string text, out TimeSpan span)
    {
        span = default;
        text = text.Trim();
        if (text.Length < 2 || !double.TryParse(text[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out double v) || v <= 0) return false;
        span = char.ToLowerInvariant(text[^1]) switch
        {
            's' => TimeSpan.FromSeconds(v),
            'm' => TimeSpan.FromMinutes(v),
            'h' => TimeSpan.FromHours(v),
            'd' => TimeSpan.FromDays(v),
            'w' => TimeSpan.FromDays(7 * v),
            _ => TimeSpan.Zero,
        };
        return span > TimeSpan.Zero;
    }
}
