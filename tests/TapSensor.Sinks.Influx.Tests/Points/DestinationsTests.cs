using TapSensor.Sinks.Influx.Points;
using TapSensor.Sinks.Influx.Tests.Infrastructure;

namespace TapSensor.Sinks.Influx.Tests.Points;

public sealed class DestinationsTests
{
    private static FlowPoint Point(string resp, string? name = null, bool? local = false)
    {
        var r = Records.Final(orig: resp.Contains(':') ? "fe80::10" : "192.168.1.10", resp: resp);
        var p = new FlowPoint();
        new FlowPointMapper().Map(in r, p);
        p.RemoteName = name;
        p.Local = local;
        return p;
    }

    [Fact]
    public void A_destination_is_new_once_per_device()
    {
        var d = new Destinations();
        Assert.True(d.IsNew(Point("203.0.113.7", "example.org"), "a"));
        Assert.False(d.IsNew(Point("203.0.113.8", "example.org"), "a"));
        Assert.True(d.IsNew(Point("203.0.113.7", "example.org"), "b"));
        Assert.True(d.IsNew(Point("203.0.113.7"), "a"));
        Assert.False(d.IsNew(Point("203.0.113.7"), "a"));
        Assert.True(d.IsNew(Point("2001:db8::1"), "a"));
    }

    [Theory]
    [InlineData("192.168.1.1", false)]
    [InlineData("10.0.0.5", false)]
    [InlineData("224.0.0.251", false)]
    [InlineData("255.255.255.255", false)]
    [InlineData("ff02::fb", false)]
    [InlineData("fe80::1", false)]
    [InlineData("198.51.100.1", true)]
    public void Only_remote_ends_outside_the_household_are_destinations(string address, bool counted)
    {
        Assert.Equal(counted, new Destinations().IsNew(Point(address), "a"));
    }

    [Fact]
    public void Flows_between_two_household_devices_are_not_destinations()
    {
        Assert.False(new Destinations().IsNew(Point("198.51.100.1", local: true), "a"));
    }

    [Fact]
    public void A_full_set_starts_over_and_counts_it()
    {
        var d = new Destinations(capacity: 2);
        d.IsNew(Point("198.51.100.1"), "a");
        d.IsNew(Point("198.51.100.2"), "a");
        Assert.True(d.IsNew(Point("198.51.100.3"), "a"));
        Assert.Equal(1, d.Forgotten);
        Assert.Equal(1, d.Count);
    }
}

public sealed class PlaceKeysTests
{
    [Fact]
    public void A_place_is_the_city_and_country_or_the_country_alone()
    {
        var places = new PlaceKeys();
        var p = new FlowPoint { Country = "DE", City = "Frankfurt am Main" };
        string first = places.PlaceOf(p)!;
        Assert.Equal("Frankfurt am Main, DE", first);
        Assert.Same(first, places.PlaceOf(new FlowPoint { Country = "DE", City = "Frankfurt am Main" }));
        Assert.Equal("NL", places.PlaceOf(new FlowPoint { Country = "NL" }));
        Assert.Null(places.PlaceOf(new FlowPoint()));
    }
}
