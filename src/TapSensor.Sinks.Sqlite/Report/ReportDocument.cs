namespace TapSensor.Sinks.Sqlite.Report;

// The household report's document (report-json contract): written with snake_case names and nulls left out,
// so an unknown value is absent. Times are ISO 8601 UTC strings ("2026-11-23T10:00:00Z").

public sealed record ReportDocument
{
    public required string Title { get; init; }
    public required string Generated { get; init; }
    public ReportWindow? Window { get; init; }
    public required IReadOnlyList<Attribution> Attribution { get; init; }
    public ReportTotals? Totals { get; init; }
    public IReadOnlyList<DeviceReport>? Devices { get; init; }
    /// <summary><c>tapsensor query</c> only: the result set's column names, as returned.</summary>
    public IReadOnlyList<string>? Columns { get; init; }
    /// <summary><c>tapsensor query</c> only: the rows (numbers, strings, nulls).</summary>
    public IReadOnlyList<IReadOnlyList<object?>>? Rows { get; init; }
    public IReadOnlyList<MapMarker>? Markers { get; init; }
}

public sealed record ReportWindow(string From, string To, string QuietHours);

public sealed record Attribution(string Text, string Url);

public sealed record ReportTotals(long BytesUp, long BytesDown, long Flows, int Devices, int Destinations);

public sealed record DeviceReport
{
    public required string Id { get; init; }
    public string? Name { get; init; }
    public string? Vendor { get; init; }
    public string? Group { get; init; }
    public required long BytesUp { get; init; }
    public required long BytesDown { get; init; }
    public required long Flows { get; init; }
    public required string FirstSeen { get; init; }
    public required string LastSeen { get; init; }
    public required IReadOnlyList<DestinationTotal> TopDestinations { get; init; }
    public required IReadOnlyList<CountryTotal> Countries { get; init; }
    public required IReadOnlyList<ProviderTotal> Providers { get; init; }
    public required IReadOnlyList<ServiceTotal> Services { get; init; }
    public required Concentration ProviderConcentration { get; init; }
    public required IReadOnlyList<RecurringDestination> Recurring { get; init; }
    public required IReadOnlyList<OneOffDestination> OneOff { get; init; }
    public required IReadOnlyList<NewDestination> NewDestinations { get; init; }
    public required IReadOnlyList<NewProvider> NewProviders { get; init; }
    public required IReadOnlyList<NewCountry> NewCountries { get; init; }
    public required IdleChatter IdleChatter { get; init; }
}

public sealed record DestinationTotal(string Name, long Bytes, long Flows, string? Country, string? Org, int Days, int Intervals);

public sealed record CountryTotal(string Country, long Bytes, long Flows);

public sealed record ProviderTotal(long Asn, string? Org, long Bytes, long Flows, double Share);

public sealed record ServiceTotal(string Service, long Bytes, long Flows);

public sealed record Concentration(int Top, double Share);

public sealed record RecurringDestination(string Name, int Days, int Intervals, long Bytes);

public sealed record OneOffDestination(string Name, long Bytes, string FirstSeen);

public sealed record NewDestination(string Name, string FirstSeen, long Bytes);

public sealed record NewProvider(long Asn, string? Org, string FirstSeen);

public sealed record NewCountry(string Country, string FirstSeen);

public sealed record IdleChatter(long Bytes, long Flows, IReadOnlyList<ChatterDestination> Destinations);

public sealed record ChatterDestination(string Name, long Bytes, long Flows);

public sealed record MapMarker
{
    public required double Lat { get; init; }
    public required double Lon { get; init; }
    public string? City { get; init; }
    public string? Country { get; init; }
    public required string Device { get; init; }
    public string? DeviceName { get; init; }
    public required string Protocol { get; init; }
    public required long Bytes { get; init; }
    public required long Flows { get; init; }
    public required IReadOnlyList<string> Names { get; init; }
    public required IReadOnlyList<string> Orgs { get; init; }
}
