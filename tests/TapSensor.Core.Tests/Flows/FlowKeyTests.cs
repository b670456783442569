using TapSensor.Core.Flows;

namespace TapSensor.Core.Tests.Flows;

public sealed class FlowKeyTests
{
    private static readonly ulong Client = FlowKey.V4Lo(0xC0A8010A); // 192.168.1.10
    private static readonly ulong Server = FlowKey.V4Lo(0xCB007107); // 203.0.113.7

    [Fact]
    public void Both_directions_give_the_same_key_and_hash()
    {
        var forward = FlowKey.Create(0, Client, 51514, 0, Server, 443, 6, 4, 0, out bool fwdSrcIsA);
        var reverse = FlowKey.Create(0, Server, 443, 0, Client, 51514, 6, 4, 0, out bool revSrcIsA);

        Assert.Equal(forward, reverse);
        Assert.NotEqual(fwdSrcIsA, revSrcIsA);
        Assert.Equal(FlowHash.Compute(in forward, 42), FlowHash.Compute(in reverse, 42));
    }

    [Fact]
    public void Vlan_separates_otherwise_identical_conversations()
    {
        var a = FlowKey.Create(0, Client, 1000, 0, Server, 53, 17, 4, 10, out _);
        var b = FlowKey.Create(0, Client, 1000, 0, Server, 53, 17, 4, 20, out _);
        Assert.NotEqual(a, b);
    }

    [Fact]
    public void Seed_changes_the_hash()
    {
        var k = FlowKey.Create(0, Client, 1000, 0, Server, 53, 17, 4, 0, out _);
        Assert.NotEqual(FlowHash.Compute(in k, 1), FlowHash.Compute(in k, 2));
    }

    [Fact]
    public void Shard_is_always_in_range()
    {
        var rng = new Random(7);
        for (int i = 0; i < 10_000; i++)
        {
            ulong h = (ulong)rng.NextInt64();
            int shards = rng.Next(1, 9);
            int s = FlowHash.Shard(h, shards);
            Assert.InRange(s, 0, shards - 1);
        }
    }

    [Fact]
    public void Ipv4_address_round_trips_through_the_mapped_form()
    {
        var k = FlowKey.Create(0, Client, 1, 0, Server, 2, 17, 4, 0, out _);
        Assert.Equal("192.168.1.10", k.AddressA.ToString());
        Assert.Equal("203.0.113.7", k.AddressB.ToString());
    }
}
