using TapSensor.Core.Flows;
using static TapSensor.Core.Tests.Flows.FlowTestPackets;

namespace TapSensor.Core.Tests.Flows;

public sealed class FlowTableOptionsTests
{
    [Fact]
    public void Defaults_are_valid_and_match_the_documented_values()
    {
        var o = new FlowTableOptions();

        Assert.Empty(o.Validate());
        Assert.Equal(250_000, o.MaxFlows);
        Assert.Equal(TimeSpan.FromSeconds(300), o.TcpEstablishedIdle);
        Assert.Equal(TimeSpan.FromSeconds(5), o.TcpClosedLinger);
        Assert.Equal(TimeSpan.FromSeconds(30), o.TcpNotEstablished);
        Assert.Equal(TimeSpan.FromSeconds(60), o.UdpIdle);
        Assert.Equal(TimeSpan.FromSeconds(60), o.OtherIdle);
        Assert.Equal(TimeSpan.FromSeconds(10), o.ReportInterval);
        Assert.Equal(TimeSpan.FromMinutes(30), o.ActiveTimeout);
        Assert.Equal((TimeSpan.FromSeconds(100), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(5)),
            (o.EmergencyEstablishedIdle, o.EmergencyNew, o.EmergencyClosedLinger));
    }

    [Fact]
    public void Too_few_max_flows_is_reported_with_the_option_name()
    {
        var o = new FlowTableOptions { MaxFlows = 10 };
        Assert.Equal(["Flows:MaxFlows must be at least 1024; got 10"], o.Validate());
    }

    [Fact]
    public void Zero_idle_timeout_is_reported_with_the_option_name_and_range()
    {
        var o = new FlowTableOptions { UdpIdle = TimeSpan.Zero };
        var message = Assert.Single(o.Validate());
        Assert.StartsWith("Flows:UdpIdle must be between 00:00:01 and 1.00:00:00; got 00:00:00", message);
    }

    [Fact]
    public void Related_settings_are_checked_together()
    {
        var o = new FlowTableOptions
        {
            EmergencyExitPercent = 95,
            ActiveTimeout = TimeSpan.FromMinutes(1),
            ReportInterval = TimeSpan.FromMinutes(5),
            EmergencySweepInterval = TimeSpan.FromSeconds(2),
        };
        var errors = o.Validate().ToList();

        Assert.Contains(errors, e => e.StartsWith("Flows:EmergencyExitPercent must be at least 1 and below Flows:EmergencyEnterPercent (90); got 95", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Flows:ActiveTimeout must be at least Flows:ReportInterval", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Flows:EmergencySweepInterval must not exceed Flows:SweepInterval", StringComparison.Ordinal));
        Assert.Equal(3, errors.Count);
    }

    [Fact]
    public void Max_flows_is_split_across_shards_rounding_up()
    {
        Assert.Equal(83_334, new FlowShard(Options(maxFlows: 250_000), 2, 3).Bound);
        Assert.Equal(250_000, new FlowShard(Options(maxFlows: 250_000), 0, 1).Bound);
    }

    [Fact]
    public void Shard_index_outside_the_shard_count_is_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new FlowShard(Options(), 3, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => new FlowShard(Options(), 0, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new FlowShard(Options(), 0, 257));
    }

    [Fact]
    public void Counters_enumerate_every_value_under_a_unique_dotted_name()
    {
        var shard = new FlowShard(Options(), 0, 1);
        var writer = new RecordingWriter();
        var web = new Conversation("192.168.1.10", 51514, "203.0.113.7", 443);
        foreach (var p in new[] { web.FromClient(T0, Syn), web.FromServer(T0 + Ms, (byte)(Rst | Ack)) })
            shard.OnPacket(in p, writer);
        shard.Advance(T0 + 10 * Second, writer);

        var counters = shard.Counters.Enumerate().ToList();
        var names = counters.Select(c => c.Name).ToList();

        Assert.Equal(names.Count, names.Distinct().Count());
        Assert.All(names, n => Assert.Matches("^flow\\.[a-z_]+(\\.[a-z_]+)?$", n));
        Assert.Contains(("flow.created", 1L), counters);
        Assert.Contains(("flow.closed.rst", 1L), counters);
        Assert.Contains(("flow.closed.end_of_capture", 0L), counters);
        Assert.Contains(("flow.active", 0L), counters);
        Assert.Contains("flow.closed.evicted", names);
        Assert.Contains("flow.refused_packets", names);
        Assert.Contains("flow.emergency_entered", names);
        Assert.DoesNotContain("flow.closed.none", names);
    }
}
