using TapSensor.Core.Names;

namespace TapSensor.Core.Tests.Names;

public class NamePoolTests
{
    [Fact]
    public void A_name_seen_before_is_the_same_string_and_a_full_pool_starts_over()
    {
        var pool = new NamePool(capacity: 2);
        string a = pool.Get("a.example");
        Assert.Same(a, pool.Get("a.example".AsSpan()));
        string b = pool.Get("b.example");
        Assert.Same(b, pool.Get("b.example"));

        pool.Get("c.example"); // full: the pool starts over with this name
        Assert.NotSame(a, pool.Get("a.example"));
        Assert.Equal("a.example", pool.Get("a.example"));
    }
}
