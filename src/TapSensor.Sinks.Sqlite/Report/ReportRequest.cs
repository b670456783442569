using System.Globalization;

namespace TapSensor.Sinks.Sqlite.Report;

/// <summary>What a household report covers and how it judges time.</summary>
public sealed record ReportRequest
{
    /// <summary>Start of the window (inclusive); null: <see cref="To"/> minus <see cref="Last"/>.</summary>
    public DateTimeOffset? From { get; init; }
    /// <summary>End of the window (exclusive); null: just after the newest flow in the store.</summary>
    public DateTimeOffset? To { get; init; }
    /// <summary>Length of the window when <see cref="From"/> is not given.</summary>
    public TimeSpan Last { get; init; } = TimeSpan.FromHours(24);
    /// <summary>Device ids (MAC or address) or names; empty: every device.</summary>
    public IReadOnlyList<string> Devices { get; init; } = [];
    public QuietHours QuietHours { get; init; } = QuietHours.Default;
    /// <summary>Rows per list (destinations, countries, providers, ...); totals always cover everything.</summary>
    public int Top { get; init; } = 10;
    /// <summary>The zone of calendar days and quiet hours: the machine's, or UTC.</summary>
    public TimeZoneInfo TimeZone { get; init; } = TimeZoneInfo.Local;
    /// <summary>Credit lines to show when the store recorded none (data written before it kept them).</summary>
    public IReadOnlyList<Attribution> FallbackAttribution { get; init; } = [];
}

/// <summary>
/// A daily stretch of local time when the household is expected to be quiet, e.g. 01:00-06:00, or 23:00-06:00
/// across midnight. A flow record belongs to it when its first packet does; the end is exclusive.
/// </summary>
public readonly record struct QuietHours(TimeOnly Start, TimeOnly End)
{
    public static readonly QuietHours Default = new(new TimeOnly(1, 0), new TimeOnly(6, 0));

    public bool Contains(TimeOnly t) => Start <= End ? t >= Start && t < End : t >= Start || t < End;

    public override string ToString() =>
        Start.ToString("HH:mm", CultureInfo.InvariantCulture) + "-" + End.ToString("HH:mm", CultureInfo.InvariantCulture);

    public static bool TryParse(string? text, out QuietHours hours)
    {
        hours = default;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var parts = text.Split('-', StringSplitOptions.TrimEntries);
        if (parts.Length != 2
            || !TimeOnly.TryParseExact(parts[0], ["H:mm", "HH:mm"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var start)
            || !TimeOnly.TryParseExact(parts[1], ["H:mm", "HH:mm"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var end)
            || start == end)
            return false;
        hours = new QuietHours(start, end);
        return true;
    }
}
