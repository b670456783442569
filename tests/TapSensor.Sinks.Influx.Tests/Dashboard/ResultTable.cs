using System.Text.Json;
using System.Text.Json.Nodes;

namespace TapSensor.Sinks.Influx.Tests.Dashboard;

/// <summary>
/// A query result as Grafana's table format shows it: one table with a <c>Time</c> column, the series' tags as
/// columns (a query grouped by tags), then the selected columns; one row per value of every series.
/// </summary>
internal sealed class ResultTable
{
    public ResultTable(IReadOnlyList<string> columns, List<object?[]> rows)
    {
        Columns = columns;
        Rows = rows;
    }

    public IReadOnlyList<string> Columns { get; }
    public List<object?[]> Rows { get; }

    /// <summary>Series names/tags of a time-series result (one entry per series), for the filter checks.</summary>
    public List<IReadOnlyDictionary<string, string>> SeriesTags { get; } = [];

    public int Index(string column)
    {
        int i = Columns.ToList().IndexOf(column);
        Assert.True(i >= 0, $"no column '{column}' in [{string.Join(", ", Columns)}]");
        return i;
    }

    public IEnumerable<object?> Column(string column)
    {
        int i = Index(column);
        return Rows.Select(r => r[i]);
    }

    public double Sum(string column) => Column(column).Sum(v => v is double d ? d : 0);

    /// <summary>Builds the table from an InfluxDB /query result (one statement).</summary>
    public static ResultTable FromInflux(JsonElement result)
    {
        var columns = new List<string>();
        var rows = new List<object?[]>();
        var tags = new List<IReadOnlyDictionary<string, string>>();
        if (result.TryGetProperty("series", out var series))
        {
            foreach (var s in series.EnumerateArray())
            {
                var tagMap = new Dictionary<string, string>();
                if (s.TryGetProperty("tags", out var t))
                    foreach (var p in t.EnumerateObject()) tagMap[p.Name] = p.Value.GetString() ?? "";
                tags.Add(tagMap);
                var cols = s.GetProperty("columns").EnumerateArray().Select(c => c.GetString()!).ToList();
                var names = tagMap.Keys.Concat(cols.Select(c => c == "time" ? "Time" : c)).ToList();
                if (columns.Count == 0) columns.AddRange(names);
                Assert.Equal(columns, names);
                foreach (var v in s.GetProperty("values").EnumerateArray())
                {
                    var row = tagMap.Values.Cast<object?>().Concat(v.EnumerateArray().Select(Value)).ToArray();
                    rows.Add(row);
                }
            }
        }
        var table = new ResultTable(columns, rows);
        table.SeriesTags.AddRange(tags);
        return table;
    }

    private static object? Value(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Number => e.GetDouble(),
        JsonValueKind.String => e.GetString(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => null,
    };

    /// <summary>Applies a panel's transformations as Grafana would (the ones the dashboard uses).</summary>
    public ResultTable Transform(JsonArray? transformations)
    {
        var t = this;
        foreach (var x in transformations ?? [])
        {
            var options = x!["options"]!.AsObject();
            t = (string)x["id"]! switch
            {
                "groupBy" => t.GroupBy(options),
                "sortBy" => t.SortBy(options),
                "limit" => new ResultTable(t.Columns, t.Rows.Take((int)options["limitField"]!).ToList()),
                "organize" => t.Organize(options),
                var other => throw new NotSupportedException($"transformation '{other}' is not emulated"),
            };
        }
        return t;
    }

    /// <summary>
    /// Grafana's groupBy: one row per distinct combination of the "groupby" fields (in order of first appearance),
    /// then each "aggregate" field's calculations, named "field (calc)". Other fields are dropped.
    /// </summary>
    private ResultTable GroupBy(JsonObject options)
    {
        var fields = options["fields"]!.AsObject();
        var keys = fields.Where(f => (string)f.Value!["operation"]! == "groupby").Select(f => f.Key).Where(Columns.Contains).ToList();
        var aggregates = fields.Where(f => (string)f.Value!["operation"]! == "aggregate" && Columns.Contains(f.Key))
            .SelectMany(f => f.Value!["aggregations"]!.AsArray().Select(a => (Field: f.Key, Calc: (string)a!))).ToList();
        var groups = new Dictionary<string, (object?[] Key, List<object?[]> Rows)>();
        var order = new List<string>();
        foreach (var row in Rows)
        {
            var key = keys.Select(k => row[Index(k)]).ToArray();
            string id = string.Join('\u0001', key.Select(k => k?.ToString() ?? "\u0000"));
            if (!groups.TryGetValue(id, out var g))
            {
                groups[id] = g = (key, []);
                order.Add(id);
            }
            g.Rows.Add(row);
        }
        var columns = keys.Concat(aggregates.Select(a => $"{a.Field} ({a.Calc})")).ToList();
        var rows = order.Select(id =>
        {
            var g = groups[id];
            var values = aggregates.Select(a =>
            {
                var numbers = g.Rows.Select(r => r[Index(a.Field)]).ToList();
                return (object?)(a.Calc switch
                {
                    "sum" => numbers.Sum(v => v is double d ? d : 0),
                    "count" => (double)numbers.Count,
                    "max" => numbers.OfType<double>().DefaultIfEmpty().Max(),
                    var c => throw new NotSupportedException($"calculation '{c}' is not emulated"),
                });
            });
            return g.Key.Concat(values).ToArray();
        }).ToList();
        return new ResultTable(columns, rows);
    }

    private ResultTable SortBy(JsonObject options)
    {
        var sort = options["sort"]!.AsArray()[0]!;
        int i = Index((string)sort["field"]!);
        bool desc = (bool?)sort["desc"] ?? false;
        var rows = Rows.OrderBy(r => r[i] is double d ? d : Convert.ToDouble(r[i] ?? 0, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        if (desc) rows.Reverse();
        return new ResultTable(Columns, rows);
    }

    private ResultTable Organize(JsonObject options)
    {
        var exclude = options["excludeByName"]?.AsObject().Where(e => (bool)e.Value!).Select(e => e.Key).ToHashSet() ?? [];
        var rename = options["renameByName"]?.AsObject().ToDictionary(e => e.Key, e => (string)e.Value!) ?? [];
        var kept = Columns.Select((c, i) => (c, i)).Where(x => !exclude.Contains(x.c)).ToList();
        var index = options["indexByName"]?.AsObject().ToDictionary(e => e.Key, e => (int)e.Value!) ?? [];
        kept = kept.OrderBy(x => index.TryGetValue(x.c, out int n) ? n : int.MaxValue).ToList();
        return new ResultTable(kept.Select(x => rename.GetValueOrDefault(x.c, x.c)).ToList(),
            Rows.Select(r => kept.Select(x => r[x.i]).ToArray()).ToList());
    }
}
