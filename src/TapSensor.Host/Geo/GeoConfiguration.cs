using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TapSensor.Geo;

namespace TapSensor.Host.Geo;

/// <summary>
/// The <c>TapSensor:Geo</c> section (appsettings.json, <c>TAPSENSOR__GEO__DATADIRECTORY</c> and friends) bound to
/// <see cref="GeoOptions"/>, and the <see cref="GeoService"/> registration the sensor's composition root can use.
/// </summary>
internal static class GeoConfiguration
{
    public static GeoOptions Bind(IConfiguration configuration)
    {
        var options = new GeoOptions();
        configuration.GetSection(GeoOptions.Section).Bind(options);
        return options;
    }

    /// <summary>Configuration as the sensor reads it: appsettings.json beside the executable, then environment variables.</summary>
    public static IConfiguration Read() => new ConfigurationBuilder()
        .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true)
        .AddEnvironmentVariables()
        .Build();

    /// <summary>Registers one <see cref="GeoService"/> for the process, created on first use; invalid settings fail at start.</summary>
    public static IServiceCollection AddGeo(this IServiceCollection services, IConfiguration configuration)
    {
        var options = Bind(configuration);
        services.AddSingleton(options);
        services.AddSingleton(sp => new GeoService(options, sp.GetRequiredService<ILogger<GeoService>>(),
            sp.GetService<TimeProvider>() ?? TimeProvider.System));
        return services;
    }
}
