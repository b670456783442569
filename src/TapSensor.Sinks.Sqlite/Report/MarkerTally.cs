namespace TapSensor.Sinks.Sqlite.Report;

/// <summary>
/// Adds flow rows up into map markers, one per place (lat, lon), device and protocol: the household report and
/// <c>tapsensor query --map</c> both draw their maps from it. A marker's city, country and device name are the
/// values that carried the most bytes there (ties: the first in ordinal order); its names and providers are the
/// top ones by bytes. Markers come most bytes first.
/// </summary>
public sealed class MarkerTally
{
    private readonly Dictionary<(double Lat, double Lon, string Device, string Protocol), Place> _places = [];

    /// <summary>Adds one row (or an already summed group of <paramref name="flows"/> rows) at its place.</summary>
    public void Add(double lat, double lon, string device, string protocol, long bytes, long flows,
        string? city = null, string? country = null, string? deviceName = null, string? name = null, string? org = null)
    {
        var key = (lat, lon, device, protocol);
        if (!_places.TryGetValue(key, out var place)) _places[key] = place = new Place();
        place.Bytes += bytes;
        place.Flows += flows;
        Count(place.Cities, city, bytes);
        Count(place.Countries, country, bytes);
        Count(place.DeviceNames, deviceName, bytes);
        Count(place.Names, name, bytes);
        Count(place.Orgs, org, bytes);
    }

    /// <param name="maxNames">Names and providers listed per marker.</param>
    /// <param name="deviceName">The household's name for a device, preferred over the rows' names when known.</param>
    public List<MapMarker> Build(int maxNames, Func<string, string?>? deviceName = null) =>
    [
        .. _places.Select(p => new MapMarker
            {
                Lat = p.Key.Lat,
                Lon = p.Key.Lon,
                City = Top(p.Value.Cities, 1).FirstOrDefault(),
                Country = Top(p.Value.Countries, 1).FirstOrDefault(),
                Device = p.Key.Device,
                DeviceName = deviceName?.Invoke(p.Key.Device) ?? Top(p.Value.DeviceNames, 1).FirstOrDefault(),
                Protocol = p.Key.Protocol,
                Bytes = p.Value.Bytes,
                Flows = p.Value.Flows,
                Names = Top(p.Value.Names, maxNames),
                Orgs = Top(p.Value.Orgs, maxNames),
            })
            .OrderByDescending(m => m.Bytes).ThenBy(m => m.Device, StringComparer.Ordinal).ThenBy(m => m.Lat).ThenBy(m => m.Lon)
            .ThenBy(m => m.Protocol, StringComparer.Ordinal),
    ];

    private sealed class Place
    {
        public long Bytes, Flows;
        public readonly Dictionary<string, long> Cities = new(StringComparer.Ordinal);
        public readonly Dictionary<string, long> Countries = new(StringComparer.Ordinal);
        public readonly Dictionary<string, long> DeviceNames = new(StringComparer.Ordinal);
        public readonly Dictionary<string, long> Names = new(StringComparer.Ordinal);
        public readonly Dictionary<string, long> Orgs = new(StringComparer.Ordinal);
    }

    private static void Count(Dictionary<string, long> into, string? key, long bytes)
    {
        if (key is null) return;
        into[key] = into.GetValueOrDefault(key) + bytes;
    }

    private static string[] Top(Dictionary<string, long> values, int count) =>
        [.. values.OrderByDescending(v => v.Value).ThenBy(v => v.Key, StringComparer.Ordinal).Take(count).Select(v => v.Key)];
}
