using TapSensor.Core.Flows;
using TapSensor.Sinks.Sqlite.Report;
using TapSensor.Sinks.Sqlite.Tests.Infrastructure;
using static TapSensor.Sinks.Sqlite.Tests.Infrastructure.Records;

namespace TapSensor.Sinks.Sqlite.Tests.Report;

/// <summary>
/// One handcrafted household with known answers. Device aa ("LAPTOP") talked to old.example on day 0 (the history);
/// the window is day 2 (UTC), where it has 8 flows worth 27 300 bytes; device bb has one big flow in the window
/// and one after it.
/// </summary>
public sealed class HouseholdReportTests : IDisposable
{
    private static readonly long W = T0 + 2 * Day;
    private readonly TempStore _store = new();

    public HouseholdReportTests()
    {
        var aa = Device("aa", "LAPTOP");
        var bb = Device("bb", "PHONE", mac: 0x0200_0000_0002);
        var de = Place("DE", 1, "OldNet");
        var us = Place("US", 2, "NewNet", 37.4, -122.1, "Mountain View");
        var fr = Place("FR", 3, "FrNet", 48.85, 2.35, "Paris");
        var nl = Place("NL", 4, "NlNet", 52.37, 4.9, "Amsterdam");
        ushort port = 40000;
        FlowRecord F(FlowRecordArgs a) => Final(a.Device, a.At, a.Up, a.Down, localPort: port++, remote: a.Remote, name: a.Name, place: a.Place);
        _store.Write(
            F(new(aa, T0 + 10 * Hour, 1000, 9000, "old.example", de, "198.51.100.1")),              // history
            F(new(aa, W + 10 * Hour, 1000, 9000, "old.example", de, "198.51.100.1")),               // 10 000
            F(new(aa, W + 9 * Hour, 500, 4500, "new.example", us, "198.51.100.2")),                 // 3 intervals: recurring
            F(new(aa, W + 12 * Hour, 500, 4500, "new.example", us, "198.51.100.2")),
            F(new(aa, W + 15 * Hour, 500, 4500, "new.example", us, "198.51.100.2")),
            F(new(aa, W + 20 * Hour, 100, 900, "once.example", de, "198.51.100.3")),                // 1 000
            F(new(aa, W + 23 * Hour + 30 * 60 * Second, 300, 700, "quiet.example", fr, "198.51.100.4")), // quiet (23:30)
            F(new(aa, W + 30 * 60 * Second, 50, 150, "night.example", nl, "198.51.100.5")),         // quiet (00:30)
            F(new(aa, W + 2 * Hour, 50, 50, "edge.example", nl, "198.51.100.6")),                   // 02:00: the end is exclusive
            F(new(bb, W + Hour, 40000, 60000, null, null, "192.0.2.77")),                            // no name: the IP is the destination
            F(new(bb, T0 + 5 * Day, 1, 1, null, null, "192.0.2.77")));                               // after the window
    }

    private readonly record struct FlowRecordArgs(TapSensor.Core.Devices.Device Device, long At, long Up, long Down, string? Name,
        TapSensor.Core.Devices.RemoteLocation? Place, string Remote);

    private ReportDocument Build(ReportRequest? request = null)
    {
        using var db = _store.OpenReadOnly();
        return HouseholdReport.Build(db, request ?? Day2(), DateTimeOffset.UnixEpoch);
    }

    private static ReportRequest Day2() => new()
    {
        From = DateTimeOffset.UnixEpoch.AddTicks(W / 100),
        To = DateTimeOffset.UnixEpoch.AddTicks((W + Day) / 100),
        TimeZone = TimeZoneInfo.Utc,
        QuietHours = new QuietHours(new TimeOnly(23, 0), new TimeOnly(2, 0)),
    };

    private DeviceReport Laptop(ReportDocument? report = null) => (report ?? Build()).Devices!.Single(d => d.Id == "aa");

    [Fact]
    public void Totals_and_device_sums_cover_every_flow_of_the_window_and_nothing_else()
    {
        var report = Build();
        Assert.Equal(new ReportTotals(1000 + 1500 + 100 + 300 + 50 + 50 + 40000, 9000 + 13500 + 900 + 700 + 150 + 50 + 60000, 9, 2, 7), report.Totals);
        var laptop = Laptop(report);
        Assert.Equal(1000 + 3 * 500 + 100 + 300 + 50 + 50, laptop.BytesUp);
        Assert.Equal(9000 + 3 * 4500 + 900 + 700 + 150 + 50, laptop.BytesDown);
        Assert.Equal(8, laptop.Flows);
        Assert.Equal("LAPTOP", laptop.Name);
        Assert.Equal(["bb", "aa"], report.Devices!.Select(d => d.Id));
        Assert.Equal("192.0.2.77", report.Devices![0].TopDestinations.Single().Name);
    }

    [Fact]
    public void Top_destinations_providers_countries_and_services_are_ranked_by_bytes()
    {
        var laptop = Laptop();
        Assert.Equal(new DestinationTotal("new.example", 15_000, 3, "US", "NewNet", 1, 3), laptop.TopDestinations[0]);
        Assert.Equal(new DestinationTotal("old.example", 10_000, 1, "DE", "OldNet", 1, 1), laptop.TopDestinations[1]);
        Assert.Equal([2L, 1, 3, 4], laptop.Providers.Select(p => p.Asn));
        Assert.Equal(Math.Round(15_000 / 27_300.0, 4), laptop.Providers[0].Share);
        Assert.Equal(["US", "DE", "FR", "NL"], laptop.Countries.Select(c => c.Country));
        Assert.Equal(new ServiceTotal("https", 27_300, 8), laptop.Services.Single());
    }

    [Fact]
    public void Provider_concentration_is_the_share_of_all_bytes_going_to_the_top_three_providers()
    {
        Assert.Equal(new Concentration(3, Math.Round((15_000 + 11_000 + 1_000) / 27_300.0, 4)), Laptop().ProviderConcentration);
    }

    [Fact]
    public void Recurring_destinations_span_three_hours_and_one_off_destinations_a_single_hour()
    {
        var laptop = Laptop();
        Assert.Equal(new RecurringDestination("new.example", 1, 3, 15_000), laptop.Recurring.Single());
        Assert.Equal(["old.example", "once.example", "quiet.example", "night.example", "edge.example"], laptop.OneOff.Select(o => o.Name));
    }

    [Fact]
    public void New_destinations_providers_and_countries_are_those_the_device_never_used_before_the_window()
    {
        var laptop = Laptop();
        Assert.DoesNotContain(laptop.NewDestinations, d => d.Name == "old.example");
        Assert.Equal(["new.example", "once.example", "quiet.example", "night.example", "edge.example"], laptop.NewDestinations.Select(d => d.Name));
        Assert.Equal("2026-01-03T09:00:00Z", laptop.NewDestinations[0].FirstSeen);
        Assert.Equal([4L, 2, 3], laptop.NewProviders.Select(p => p.Asn)); // by first seen: 00:30 NL, 09:00 US, 23:30 FR
        Assert.Equal(["NL", "US", "FR"], laptop.NewCountries.Select(c => c.Country));
    }

    [Fact]
    public void Quiet_hours_across_midnight_catch_the_late_and_the_early_flow_but_not_the_one_at_the_end()
    {
        var idle = Laptop().IdleChatter;
        Assert.Equal(1_200, idle.Bytes);
        Assert.Equal(2, idle.Flows);
        Assert.Equal(["quiet.example", "night.example"], idle.Destinations.Select(d => d.Name));
    }

    [Fact]
    public void Markers_add_up_per_place_device_and_protocol()
    {
        var report = Build();
        var us = report.Markers!.Single(m => m.Country == "US");
        Assert.Equal((37.4, -122.1, "aa", "LAPTOP", "tcp", 15_000L, 3L), (us.Lat, us.Lon, us.Device, us.DeviceName, us.Protocol, us.Bytes, us.Flows));
        Assert.Equal(["new.example"], us.Names);
        Assert.Equal(["NewNet"], us.Orgs);
        Assert.Equal(27_300, report.Markers!.Sum(m => m.Bytes)); // bb's flow has no place
    }

    [Fact]
    public void Without_times_the_window_is_the_last_24_hours_of_the_data()
    {
        var report = Build(new ReportRequest { TimeZone = TimeZoneInfo.Utc });
        Assert.Equal(new ReportWindow("2026-01-05T00:00:03Z", "2026-01-06T00:00:03Z", "01:00-06:00"), report.Window);
        Assert.Equal(1, report.Totals!.Flows);
    }

    [Fact]
    public void A_device_can_be_chosen_by_name_and_an_unknown_one_is_an_error()
    {
        var report = Build(Day2() with { Devices = ["laptop"] });
        Assert.Equal("aa", report.Devices!.Single().Id);
        Assert.Throws<HouseholdReport.UnknownDeviceException>(() => Build(Day2() with { Devices = ["toaster"] }));
    }

    [Theory]
    [InlineData("01:00-06:00", "03:00", true)]
    [InlineData("01:00-06:00", "06:00", false)]
    [InlineData("23:00-02:00", "23:59", true)]
    [InlineData("23:00-02:00", "01:59", true)]
    [InlineData("23:00-02:00", "12:00", false)]
    public void Quiet_hours_parse_and_contain(string text, string time, bool inside)
    {
        Assert.True(QuietHours.TryParse(text, out var hours));
        Assert.Equal(inside, hours.Contains(TimeOnly.Parse(time, System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal(text, hours.ToString());
    }

    public void Dispose() => _store.Dispose();
}
