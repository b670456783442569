using Microsoft.Extensions.Time.Testing;

namespace TapSensor.Geo.Tests.Infrastructure;

/// <summary>A service over a fixture folder with a fake clock, and its log.</summary>
internal sealed class GeoTestService : IDisposable
{
    public static readonly DateTimeOffset Now = new(2026, 6, 20, 12, 0, 0, TimeSpan.Zero);

    public GeoTestService(string directory, Action<GeoOptions>? configure = null, DateTimeOffset? now = null)
    {
        Time = new FakeTimeProvider(now ?? Now);
        Options = new GeoOptions { DataDirectory = directory, WatchForChanges = false };
        configure?.Invoke(Options);
        Service = new GeoService(Options, Log, Time);
    }

    public FakeTimeProvider Time { get; }
    public GeoOptions Options { get; }
    public ListLogger<GeoService> Log { get; } = new();
    public GeoService Service { get; }

    public GeoResult Lookup(string address) => Service.Lookup(System.Net.IPAddress.Parse(address));

    public void Dispose() => Service.Dispose();
}
