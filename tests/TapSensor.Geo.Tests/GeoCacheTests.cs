namespace TapSensor.Geo.Tests;

public sealed class GeoCacheTests
{
    private static GeoResult Result(int i) => new(AddressClass.Public, null, new GeoProvider(i, null));

    [Fact]
    public void The_cache_never_holds_more_than_its_bound()
    {
        var cache = new GeoCache(1024);
        Assert.Equal(1024, cache.Capacity);
        int evictions = 0;
        for (int i = 0; i < 20_000; i++)
        {
            cache.GetOrAdd(0, 0xFFFF_0000_0000UL | (uint)i, Result(i), out bool evicted);
            if (evicted) evictions++;
        }
        Assert.True(cache.Count <= 1024);
        Assert.True(cache.Count > 900, $"a set-associative cache fills nearly all ways; held {cache.Count}");
        Assert.Equal(20_000 - cache.Count, evictions);
    }

    [Fact]
    public void A_hit_returns_the_stored_instance_and_a_second_add_keeps_the_first()
    {
        var cache = new GeoCache(64);
        var first = Result(1);
        Assert.Same(first, cache.GetOrAdd(1, 2, first, out _));
        Assert.Same(first, cache.GetOrAdd(1, 2, Result(2), out _));
        Assert.True(cache.TryGet(1, 2, out var hit));
        Assert.Same(first, hit);
        Assert.False(cache.TryGet(1, 3, out _));
    }

    [Fact]
    public void Entries_used_since_the_hand_passed_get_a_second_chance()
    {
        // One set of 8 ways: capacity 8.
        var cache = new GeoCache(8);
        for (uint i = 0; i < 8; i++) cache.GetOrAdd(0, i, Result((int)i), out _);
        Assert.True(cache.TryGet(0, 0, out _)); // reference entry 0
        cache.GetOrAdd(0, 100, Result(100), out bool evicted);
        Assert.True(evicted);
        Assert.True(cache.TryGet(0, 0, out _), "the referenced entry survives");
        Assert.False(cache.TryGet(0, 1, out _), "the first unreferenced entry is the victim");
    }

    [Fact]
    public void Concurrent_readers_and_writers_see_only_complete_entries()
    {
        var cache = new GeoCache(256);
        var results = Enumerable.Range(0, 4096).Select(Result).ToArray();
        Parallel.For(0, 4, worker =>
        {
            var random = new Random(worker);
            for (int n = 0; n < 50_000; n++)
            {
                int i = random.Next(results.Length);
                if (cache.TryGet(7, (ulong)i, out var r)) Assert.Same(results[i], r);
                else Assert.Same(results[i], cache.GetOrAdd(7, (ulong)i, results[i], out _));
            }
        });
        Assert.True(cache.Count <= 256);
    }
}
