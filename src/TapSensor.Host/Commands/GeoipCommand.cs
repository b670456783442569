using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Spectre.Console;
using TapSensor.Geo;
using TapSensor.Host.Geo;

namespace TapSensor.Host.Commands;

/// <summary>
/// <c>tapsensor geoip [IP…] [--json] [--geoip-dir DIR]</c>: the databases found (file, kind, type, build date, age,
/// records) and the place and provider of each address given, with the attribution lines the data sets require.
/// Loading problems are logged to stderr; stdout carries only the tables or the JSON document.
/// </summary>
internal static class GeoipCommand
{
    public static Command Create()
    {
        var addresses = new Argument<string[]>("address") { Description = "IP addresses to look up (IPv4 or IPv6)", Arity = ArgumentArity.ZeroOrMore };
        var json = new Option<bool>("--json") { Description = "Write one JSON object (databases, lookups, attributions) instead of tables" };
        var directory = new Option<DirectoryInfo?>("--geoip-dir")
        {
            Description = "Folder with the databases (default: TapSensor:Geo:DataDirectory, else the platform data folder)",
        };
        var command = new Command("geoip", "Show the geolocation databases and look up addresses on this machine")
            { addresses, json, directory };
        command.SetAction(result => Run(result.GetValue(addresses) ?? [], result.GetValue(json), result.GetValue(directory)));
        return command;
    }

    private static int Run(string[] arguments, bool json, DirectoryInfo? directory)
    {
        var addresses = new List<IPAddress>();
        foreach (var a in arguments)
        {
            if (!IPAddress.TryParse(a, out var ip) || a.Contains('/', StringComparison.Ordinal))
            {
                Console.Error.WriteLine($"tapsensor: '{a}' is not an IP address");
                return 2;
            }
            addresses.Add(ip);
        }

        var options = GeoConfiguration.Bind(GeoConfiguration.Read());
        if (directory is not null) options.DataDirectory = directory.FullName;
        options.WatchForChanges = false; // one look, no watching
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            foreach (var e in errors) Console.Error.WriteLine($"tapsensor: {e}");
            return 2;
        }

        using (var logging = LoggerFactory.Create(b => b
                   .SetMinimumLevel(LogLevel.Warning)
                   .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace)
                   .AddSimpleConsole(o => o.SingleLine = true)))
        using (var geo = new GeoService(options, logging.CreateLogger<GeoService>(), TimeProvider.System))
        {
            var lookups = addresses.Select(a => (Address: a, Result: geo.Lookup(a))).ToList();
            if (json) WriteJson(geo, lookups);
            else WriteTables(geo, lookups);
        }
        return 0;
    }

    private static void WriteJson(GeoService geo, List<(IPAddress Address, GeoResult Result)> lookups)
    {
        using var stdout = Console.OpenStandardOutput();
        using (var w = new Utf8JsonWriter(stdout, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("data_directory", geo.DataDirectory);
            w.WriteStartArray("databases");
            foreach (var d in geo.Databases)
            {
                w.WriteStartObject();
                w.WriteString("file", d.FileName);
                w.WriteString("path", d.Path);
                Nullable(w, "kind", d.Kind?.Name());
                Nullable(w, "database_type", d.DatabaseType);
                Nullable(w, "build_date", d.BuildDate?.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
                Nullable(w, "build_date_source", d.BuildDateSource);
                Nullable(w, "version", d.Version);
                Nullable(w, "records", d.RecordCount);
                Nullable(w, "skipped_records", d.SkippedRecords);
                Nullable(w, "memory_bytes", d.MemoryBytes);
                if (d.Age is { } age) w.WriteNumber("age_days", Math.Round(age.TotalDays, 1));
                else w.WriteNull("age_days");
                w.WriteBoolean("stale", d.Stale);
                w.WriteBoolean("loaded", d.Loaded);
                Nullable(w, "error", d.Error);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartArray("lookups");
            foreach (var (address, r) in lookups)
            {
                w.WriteStartObject();
                w.WriteString("ip", address.ToString());
                w.WriteString("class", r.Class.Name());
                Nullable(w, "country", r.Place?.CountryCode);
                Nullable(w, "region", r.Place?.Region);
                Nullable(w, "city", r.Place?.City);
                Nullable(w, "latitude", r.Place?.Latitude);
                Nullable(w, "longitude", r.Place?.Longitude);
                Nullable(w, "accuracy_km", r.Place?.AccuracyKm);
                Nullable(w, "asn", r.Provider?.Asn);
                Nullable(w, "org", r.Provider?.Organisation);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartArray("attributions");
            foreach (var a in geo.Attributions)
            {
                w.WriteStartObject();
                w.WriteString("text", a.Text);
                w.WriteString("url", a.Url);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        stdout.Write("\n"u8);
    }

    private static void Nullable(Utf8JsonWriter w, string name, string? value)
    {
        if (value is null) w.WriteNull(name);
        else w.WriteString(name, value);
    }

    private static void Nullable(Utf8JsonWriter w, string name, double? value)
    {
        if (value is { } v && double.IsFinite(v)) w.WriteNumber(name, v);
        else w.WriteNull(name);
    }

    private static void Nullable(Utf8JsonWriter w, string name, long? value)
    {
        if (value is { } v) w.WriteNumber(name, v);
        else w.WriteNull(name);
    }

    private static void WriteTables(GeoService geo, List<(IPAddress Address, GeoResult Result)> lookups)
    {
        var console = AnsiConsole.Console;
        if (Console.IsOutputRedirected)
        {
            // Piped or captured: no terminal width to fit, so do not wrap cells at 80 columns (COLUMNS wins when set).
            console.Profile.Width = int.TryParse(Environment.GetEnvironmentVariable("COLUMNS"), out int columns) && columns > 40 ? columns : 200;
        }
        console.WriteLine($"GeoIP data folder: {geo.DataDirectory}");
        if (geo.Databases.Count == 0)
        {
            console.WriteLine("No databases found. Get the free DB-IP data with: scripts/get-geoip-data.sh " + geo.DataDirectory);
        }
        else
        {
            var table = new Table().AddColumns("file", "kind", "type", "built", "age", "records", "status");
            foreach (var d in geo.Databases)
            {
                string records = d.RecordCount is { } n
                    ? n.ToString("N0", CultureInfo.InvariantCulture) + (d.MemoryBytes is { } m
                        ? string.Create(CultureInfo.InvariantCulture, $" (ASN table {m / 1048576.0:F1} MiB)")
                        : "")
                    : "";
                string status = d.Error ?? (d.Stale ? "stale: update it" : "ok");
                table.AddRow(Markup.Escape(d.FileName), d.Kind?.Name() ?? "", Markup.Escape(d.DatabaseType ?? ""),
                    d.BuildDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "",
                    d.Age is { } age ? $"{(int)age.TotalDays} d" : "", records, Markup.Escape(status));
            }
            console.Write(table);
        }

        if (lookups.Count > 0)
        {
            var table = new Table().AddColumns("address", "class", "country", "region", "city", "lat, lon", "±km", "ASN", "organisation");
            foreach (var (address, r) in lookups)
            {
                var p = r.Place;
                string coordinates = p?.Latitude is { } lat && p.Longitude is { } lon
                    ? string.Create(CultureInfo.InvariantCulture, $"{lat:0.####}, {lon:0.####}")
                    : "";
                table.AddRow(Markup.Escape(address.ToString()), r.Class.Name(), Markup.Escape(p?.CountryCode ?? ""), Markup.Escape(p?.Region ?? ""),
                    Markup.Escape(p?.City ?? ""), coordinates, p?.AccuracyKm?.ToString(CultureInfo.InvariantCulture) ?? "",
                    r.Provider is { } pr ? "AS" + pr.Asn.ToString(CultureInfo.InvariantCulture) : "", Markup.Escape(r.Provider?.Organisation ?? ""));
            }
            console.Write(table);
        }

        foreach (var a in geo.Attributions) console.WriteLine($"{a.Text} <{a.Url}>");
    }
}
