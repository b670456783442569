using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Spectre.Console;
using TapSensor.Sinks.Sqlite.Report;
using TapSensor.Sinks.Sqlite.Store;

namespace TapSensor.Host.Commands;

/// <summary>
/// <c>tapsensor query "SQL" [--db FILE] [--json | --csv] [--max-rows N] [--map FILE [--map-dir DIR]]</c>: one read-only SELECT over the store
/// (README, "tapsensor query"), printed as a table, a JSON document (<c>columns</c>, <c>rows</c>) or CSV.
/// Exit 2 for SQL that is refused or does not compile, 1 when the store cannot be read.
/// </summary>
internal static class QueryCommand
{
    public static Command Create()
    {
        var sql = new Argument<string>("sql") { Description = "One SELECT (or WITH ... SELECT) statement over the tables flows, devices, names, meta" };
        var db = new Option<FileInfo?>("--db") { Description = "The store to read (default: TapSensor:Sqlite:Path, else tapsensor.db in the data folder)" };
        var json = new Option<bool>("--json") { Description = "Write {\"columns\": [...], \"rows\": [[...]]} to stdout instead of a table" };
        var csv = new Option<bool>("--csv") { Description = "Write CSV (RFC 4180, header row) to stdout instead of a table" };
        var maxRows = new Option<int>("--max-rows") { Description = "Stop after this many rows", DefaultValueFactory = _ => 100_000 };
        var map = new Option<FileInfo?>("--map") { Description = "Also plot the rows that have lat and lon on the HTML world map, written to this file" };
        var mapDir = new Option<DirectoryInfo?>("--map-dir") { Description = "Folder of the world map's country shapes (default: the data folder's map/; scripts/get-map-data.sh)" };
        var command = new Command("query", "Run a read-only SQL query over the store") { sql, db, json, csv, maxRows, map, mapDir };
        command.SetAction(result =>
        {
            if (result.GetValue(json) && result.GetValue(csv))
            {
                Console.Error.WriteLine("tapsensor: give --json or --csv, not both");
                return 2;
            }
            int limit = result.GetValue(maxRows);
            if (limit < 1)
            {
                Console.Error.WriteLine($"tapsensor: --max-rows must be at least 1; got {limit}");
                return 2;
            }
            string path = StoreFile.Resolve(result.GetValue(db));
            QueryResult rows;
            IReadOnlyList<Attribution> credits;
            try
            {
                using var connection = StoreConnection.OpenReadOnly(path);
                rows = StoreQuery.Run(connection, result.GetValue(sql) ?? "", limit);
                credits = HouseholdReport.ReadAttribution(connection, ReportCommand.DefaultAttribution);
            }
            catch (StoreException ex)
            {
                Console.Error.WriteLine($"tapsensor: {ex.Message}");
                return 1;
            }
            catch (QueryRefusedException ex)
            {
                Console.Error.WriteLine($"tapsensor: query refused: {ex.Message}");
                return 2;
            }
            var mapFile = result.GetValue(map);
            if (mapFile is not null && QueryMarkers.Problem(rows) is { } problem)
            {
                Console.Error.WriteLine($"tapsensor: --map: {problem}");
                return 2;
            }
            if (result.GetValue(json)) WriteJson(rows);
            else if (result.GetValue(csv)) WriteCsv(rows);
            else WriteTable(rows);
            if (mapFile is null) return 0;
            var page = Document(rows) with { Attribution = credits, Markers = QueryMarkers.Build(rows) };
            return Html.ReportPage.Write(mapFile, page, result.GetValue(mapDir), Console.Error);
        });
        return command;
    }

    /// <summary>The report contract's query part: title, generated, columns, rows.</summary>
    internal static ReportDocument Document(QueryResult rows) => new()
    {
        Title = "TapSensor query",
        Generated = HouseholdReport.Iso(DateTimeOffset.UtcNow),
        Attribution = [],
        Columns = rows.Columns,
        Rows = [.. rows.Rows.Select(r => (IReadOnlyList<object?>)[.. r.Select(v => v is byte[] b ? Convert.ToBase64String(b) : v)])],
    };

    private static void WriteJson(QueryResult rows)
    {
        var options = new JsonSerializerOptions(JsonOutput.Options) { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.Never };
        var doc = Document(rows);
        // Nulls inside rows are kept (a column without a value); absent document fields are left out.
        using var stdout = Console.OpenStandardOutput();
        using (var w = new Utf8JsonWriter(stdout, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("title", doc.Title);
            w.WriteString("generated", doc.Generated);
            w.WritePropertyName("columns");
            JsonSerializer.Serialize(w, doc.Columns, options);
            w.WritePropertyName("rows");
            JsonSerializer.Serialize(w, doc.Rows, options);
            w.WriteEndObject();
        }
        stdout.Write("\n"u8);
    }

    private static void WriteCsv(QueryResult rows)
    {
        var text = new StringBuilder();
        text.AppendJoin(',', rows.Columns.Select(Csv)).Append("\r\n");
        foreach (var row in rows.Rows) text.AppendJoin(',', row.Select(v => Csv(Text(v)))).Append("\r\n");
        Console.Out.Write(text.ToString());
    }

    private static void WriteTable(QueryResult rows)
    {
        var console = AnsiConsole.Console;
        if (Console.IsOutputRedirected)
            console.Profile.Width = int.TryParse(Environment.GetEnvironmentVariable("COLUMNS"), out int columns) && columns > 40 ? columns : 200;
        var table = new Table();
        foreach (var c in rows.Columns) table.AddColumn(Markup.Escape(c));
        foreach (var row in rows.Rows) table.AddRow([.. row.Select(v => Markup.Escape(Text(v)))]);
        console.Write(table);
        console.WriteLine($"{rows.Rows.Count:N0} rows");
    }

    private static string Text(object? v) => v switch
    {
        null => "",
        byte[] b => Convert.ToBase64String(b),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => v.ToString() ?? "",
    };

    private static string Csv(string s) =>
        s.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : s;
}
