using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace TapSensor.Sinks.Influx.Tests.Dashboard;

/// <summary>
/// Replaces the variables of an InfluxQL query the way Grafana's InfluxDB data source does before it sends it:
/// <c>$timeFilter</c> becomes <c>time &gt;= {from}ms and time &lt;= {to}ms</c>; <c>$__interval</c> and
/// <c>$interval</c> the interval Grafana works out from the range (range / max data points, at least the panel's
/// or the data source's minimum, rounded to a whole unit); a template variable inside a regex its values
/// regex-escaped, one value alone, several as <c>(a|b)</c>, and "All" as the variable's allValue when it has one,
/// else every value as <c>(a|b|...)</c>.
/// </summary>
internal static partial class GrafanaInfluxQl
{
    /// <summary>The provisioned data source's minimum interval (jsonData.timeInterval).</summary>
    public static readonly TimeSpan DataSourceMinInterval = TimeSpan.FromSeconds(10);
    public const int MaxDataPoints = 1000;
    public const string AllValue = "$__all";

    public sealed record TimeRange(DateTimeOffset From, DateTimeOffset To);

    /// <summary>The selection of one variable: its values, or <see cref="AllValue"/> alone.</summary>
    public sealed record Selection(IReadOnlyList<string> Values)
    {
        public static Selection All { get; } = new([AllValue]);
        public bool IsAll => Values.Count == 1 && Values[0] == AllValue;
    }

    public static string Substitute(string query, TimeRange range, TimeSpan interval, IEnumerable<JsonObject> variables,
        IReadOnlyDictionary<string, Selection> selections, IReadOnlyDictionary<string, IReadOnlyList<string>> allValues)
    {
        string text = query.Replace("$timeFilter", TimeFilter(range), StringComparison.Ordinal)
            .Replace("$__interval_ms", ((long)interval.TotalMilliseconds).ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("$__interval", Duration(interval), StringComparison.Ordinal)
            .Replace("$interval", Duration(interval), StringComparison.Ordinal);
        foreach (var v in variables.OrderByDescending(v => ((string)v["name"]!).Length))
        {
            string name = (string)v["name"]!;
            if (!selections.TryGetValue(name, out var selection)) continue;
            string value = Format(v, selection, allValues.GetValueOrDefault(name) ?? []);
            text = text.Replace("${" + name + "}", value, StringComparison.Ordinal).Replace("$" + name, value, StringComparison.Ordinal);
        }
        return text;
    }

    public static string TimeFilter(TimeRange r) =>
        $"time >= {r.From.ToUnixTimeMilliseconds()}ms and time <= {r.To.ToUnixTimeMilliseconds()}ms";

    /// <summary>The interval Grafana uses for a range: range / max data points, not below the minimum, rounded.</summary>
    public static TimeSpan Interval(TimeRange r, TimeSpan? panelMinInterval = null)
    {
        var min = panelMinInterval ?? DataSourceMinInterval;
        var raw = (r.To - r.From) / MaxDataPoints;
        if (raw <= min) return min;
        // Grafana rounds to the nearest of a fixed ladder; whole seconds, minutes and hours are close enough here.
        if (raw < TimeSpan.FromMinutes(1)) return TimeSpan.FromSeconds(Math.Ceiling(raw.TotalSeconds));
        if (raw < TimeSpan.FromHours(1)) return TimeSpan.FromMinutes(Math.Ceiling(raw.TotalMinutes));
        return TimeSpan.FromHours(Math.Ceiling(raw.TotalHours));
    }

    public static string Duration(TimeSpan t) =>
        t.TotalHours >= 1 && t.TotalHours % 1 == 0 ? $"{(long)t.TotalHours}h"
        : t.TotalMinutes >= 1 && t.TotalMinutes % 1 == 0 ? $"{(long)t.TotalMinutes}m"
        : t.TotalSeconds >= 1 && t.TotalSeconds % 1 == 0 ? $"{(long)t.TotalSeconds}s"
        : $"{(long)t.TotalMilliseconds}ms";

    /// <summary>A variable's selection as Grafana writes it into an InfluxQL regex.</summary>
    public static string Format(JsonObject variable, Selection selection, IReadOnlyList<string> allValues)
    {
        IReadOnlyList<string> values = selection.Values;
        if (selection.IsAll)
        {
            if ((string?)variable["allValue"] is { Length: > 0 } custom) return custom;
            values = allValues;
        }
        var escaped = values.Select(EscapeRegex).ToList();
        return escaped.Count == 1 ? escaped[0] : "(" + string.Join('|', escaped) + ")";
    }

    /// <summary>Grafana's escapeRegex: a backslash before every regex metacharacter and the slash.</summary>
    public static string EscapeRegex(string value) => Metacharacters().Replace(value, @"\$0");

    /// <summary>Every <c>$name</c> or <c>${name}</c> a text refers to, Grafana's built-ins left out.</summary>
    public static IEnumerable<string> ReferencedVariables(string text) =>
        VariableReference().Matches(text).Select(m => m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Value)
            .Where(n => !n.StartsWith("__", StringComparison.Ordinal) && n is not "timeFilter" and not "interval" and not "tag_device_label"
                        and not "tag_sensor" and not "col" && !n.StartsWith("tag_", StringComparison.Ordinal))
            .Distinct();

    [GeneratedRegex(@"[\\^$*+?.()|\[\]{}/]")]
    private static partial Regex Metacharacters();

    [GeneratedRegex(@"\$\{(\w+)(?::\w+)?\}|\$(\w+)")]
    private static partial Regex VariableReference();
}
