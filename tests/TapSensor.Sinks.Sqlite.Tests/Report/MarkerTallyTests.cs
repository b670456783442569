using TapSensor.Sinks.Sqlite.Report;

namespace TapSensor.Sinks.Sqlite.Tests.Report;

public class MarkerTallyTests
{
    [Fact]
    public void Rows_add_up_per_place_device_and_protocol_and_the_biggest_place_comes_first()
    {
        var tally = new MarkerTally();
        tally.Add(48.85, 2.35, "aa:aa:aa:aa:aa:01", "tcp", 100, 1, "Paris", "FR", name: "a.example");
        tally.Add(48.85, 2.35, "aa:aa:aa:aa:aa:01", "tcp", 50, 1, "Paris", "FR", name: "a.example");
        tally.Add(48.85, 2.35, "aa:aa:aa:aa:aa:01", "udp", 10, 1);
        tally.Add(48.85, 2.35, "aa:aa:aa:aa:aa:02", "tcp", 1000, 3);
        tally.Add(40.71, -74.0, "aa:aa:aa:aa:aa:01", "tcp", 1, 1);

        var markers = tally.Build(maxNames: 5);

        Assert.Equal(4, markers.Count);
        Assert.Equal([1000L, 150, 10, 1], markers.Select(m => m.Bytes));
        Assert.Equal("aa:aa:aa:aa:aa:02", markers[0].Device);
        Assert.Equal(3, markers[0].Flows);
        Assert.Equal(2, markers[1].Flows);
        Assert.Equal(["a.example"], markers[1].Names);
        Assert.Empty(markers[2].Names);
    }

    [Fact]
    public void A_markers_city_country_and_names_are_those_that_carried_the_most_bytes()
    {
        var tally = new MarkerTally();
        // One place, rows that disagree (a city database may name nearby places): bytes decide, then ordinal order.
        tally.Add(1, 2, "d", "tcp", 10, 1, "Small", "XA", "laptop", "one.example", "Org B");
        tally.Add(1, 2, "d", "tcp", 90, 1, "Big", "XB", "Laptop", "two.example", "Org A");
        tally.Add(1, 2, "d", "tcp", 10, 1, "Alpha", "XA", null, "three.example", "Org B");
        tally.Add(1, 2, "d", "tcp", 5, 1, null, null, null, "four.example", null);

        var m = Assert.Single(tally.Build(maxNames: 2));
        Assert.Equal("Big", m.City);
        Assert.Equal("XB", m.Country);
        Assert.Equal("Laptop", m.DeviceName);
        Assert.Equal(["two.example", "one.example"], m.Names); // top 2; ties (10 and 10) in ordinal order
        Assert.Equal(["Org A", "Org B"], m.Orgs);
    }

    [Fact]
    public void The_households_device_name_wins_over_the_rows()
    {
        var tally = new MarkerTally();
        tally.Add(1, 2, "d", "tcp", 10, 1, deviceName: "old name");
        tally.Add(1, 2, "e", "tcp", 5, 1, deviceName: "kept");
        var markers = tally.Build(10, device => device == "d" ? "Kitchen tablet" : null);
        Assert.Equal("Kitchen tablet", markers[0].DeviceName);
        Assert.Equal("kept", markers[1].DeviceName);
    }
}
