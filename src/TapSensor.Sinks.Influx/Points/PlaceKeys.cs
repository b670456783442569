namespace TapSensor.Sinks.Influx.Points;

/// <summary>
/// The <c>place</c> tag: where the remote end is, at city level (<c>Frankfurt am Main, DE</c>; the country code
/// alone when the database knows no city). InfluxQL can group by tags only, and coordinates are fields, so this
/// tag is what lets a map query sum bytes per place on the server (<c>GROUP BY place</c>, with <c>last(lat)</c>
/// and <c>last(lon)</c>) instead of fetching every flow. A household reaches a few hundred places at most, far
/// fewer than its destinations. Texts are cached per (country, city); bounded, past the bound built afresh.
/// Not thread-safe (the sink's aggregator thread).
/// </summary>
internal sealed class PlaceKeys
{
    private readonly Dictionary<(string? Country, string? City), string> _cache = new();
    private readonly int _capacity;

    public PlaceKeys(int capacity = 16_384) => _capacity = capacity;

    /// <summary>The place of a located remote end; null when neither country nor city is known.</summary>
    public string? PlaceOf(FlowPoint p)
    {
        string? country = p.Country, city = p.City;
        if (string.IsNullOrEmpty(country) && string.IsNullOrEmpty(city)) return null;
        if (_cache.TryGetValue((country, city), out var text)) return text;
        text = string.IsNullOrEmpty(city) ? country! : string.IsNullOrEmpty(country) ? city : $"{city}, {country}";
        if (_cache.Count < _capacity) _cache[(country, city)] = text;
        return text;
    }
}
