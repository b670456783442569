using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace TapSensor.Sinks.Influx.Tests.Infrastructure;

/// <summary>Keeps every log entry, at every level, with its formatted message, its structured values and its exception.</summary>
internal sealed class ListLogger : ILogger
{
    public sealed record Entry(LogLevel Level, int EventId, string Message, string Values, string? Exception);

    public ConcurrentQueue<Entry> Entries { get; } = new();

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        string values = state is IEnumerable<KeyValuePair<string, object?>> pairs
            ? string.Join(" | ", pairs.Select(p => $"{p.Key}={p.Value}"))
            : state?.ToString() ?? "";
        Entries.Enqueue(new Entry(logLevel, eventId.Id, formatter(state, exception), values, exception?.ToString()));
    }

    /// <summary>Everything logged, as one text: messages, structured values and exceptions.</summary>
    public string AllText => string.Join("\n", Entries.Select(e => $"{e.Level} {e.EventId} {e.Message} [{e.Values}] {e.Exception}"));

    public IEnumerable<Entry> WithId(int eventId) => Entries.Where(e => e.EventId == eventId);
}
