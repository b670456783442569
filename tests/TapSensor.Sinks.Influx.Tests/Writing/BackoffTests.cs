using TapSensor.Sinks.Influx.Writing;

namespace TapSensor.Sinks.Influx.Tests.Writing;

public sealed class BackoffTests
{
    [Fact]
    public void The_ceiling_doubles_from_the_base_up_to_the_maximum()
    {
        var b = new Backoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60));
        Assert.Equal([1, 2, 4, 8, 16, 32, 60, 60], Enumerable.Range(1, 8).Select(n => b.Ceiling(n).TotalSeconds));
    }

    [Fact]
    public void The_wait_is_drawn_between_zero_and_the_ceiling()
    {
        Assert.Equal(TimeSpan.Zero, new Backoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60), () => 0).Delay(5));
        Assert.Equal(TimeSpan.FromSeconds(16), new Backoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60), () => 1).Delay(5));
        Assert.Equal(TimeSpan.FromSeconds(4), new Backoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60), () => 0.5).Delay(4));
        var random = new Backoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60));
        for (int i = 0; i < 1000; i++) Assert.InRange(random.Delay(3), TimeSpan.Zero, TimeSpan.FromSeconds(4));
    }

    [Fact]
    public void Retry_after_wins_when_it_asks_for_longer()
    {
        var b = new Backoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60), () => 1);
        Assert.Equal(TimeSpan.FromSeconds(30), b.Delay(1, TimeSpan.FromSeconds(30)));
        Assert.Equal(TimeSpan.FromSeconds(2), b.Delay(2, TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public void No_wait_exceeds_the_limit_whatever_the_server_says() =>
        Assert.Equal(Backoff.RetryAfterLimit, new Backoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60)).Delay(1, TimeSpan.FromDays(1)));
}
