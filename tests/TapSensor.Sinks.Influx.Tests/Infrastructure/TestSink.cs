using Microsoft.Extensions.Time.Testing;

namespace TapSensor.Sinks.Influx.Tests.Infrastructure;

/// <summary>An <see cref="InfluxSink"/> on a fake clock and a scripted server, with its log.</summary>
internal sealed class TestSink : IDisposable
{
    public TestSink(Action<InfluxOptions>? configure = null, Func<ScriptedHandler.Request, int, HttpResponseMessage>? script = null,
        Func<double>? random = null)
    {
        Time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        Options = DefaultOptions();
        configure?.Invoke(Options);
        Handler = new ScriptedHandler(Time, script);
        Logger = new ListLogger();
        Sink = new InfluxSink(Options, Logger, Time, 7, null, Handler, random ?? (() => 1.0));
    }

    public FakeTimeProvider Time { get; }
    public InfluxOptions Options { get; }
    public ScriptedHandler Handler { get; }
    public ListLogger Logger { get; }
    public InfluxSink Sink { get; }
    public InfluxCounters Counters => Sink.Counters;

    public static InfluxOptions DefaultOptions() => new()
    {
        Url = "http://influx.test:8086",
        Database = "tap",
        Sensor = "attic",
        CreateDatabase = false,
        SensorInterval = TimeSpan.FromHours(1),
        // The delivery tests count points; first contacts would add some (their own tests are in Points/ and Dashboard/).
        Destinations = false,
    };

    /// <summary>Moves the fake clock in steps, letting the writer task run between them, until <paramref name="done"/> holds.</summary>
    public async Task AdvanceUntilAsync(Func<bool> done, TimeSpan step, int maxSteps = 10_000)
    {
        for (int i = 0; i < maxSteps && !done(); i++)
        {
            Time.Advance(step);
            await Task.Delay(1);
        }
        Assert.True(done(), "the condition did not hold after advancing the clock");
    }

    /// <summary>Completes the sink on the fake clock: advances it until the writer task has ended.</summary>
    public async Task CompleteAsync(TimeSpan? step = null)
    {
        var done = Sink.CompleteAsync();
        for (int i = 0; i < 100_000 && !done.IsCompleted; i++)
        {
            await Task.WhenAny(done, Task.Delay(2));
            if (!done.IsCompleted) Time.Advance(step ?? TimeSpan.FromMilliseconds(100));
        }
        await done;
    }

    public void Dispose() => Sink.Dispose();
}
