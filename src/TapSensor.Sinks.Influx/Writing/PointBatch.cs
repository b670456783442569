using TapSensor.Sinks.Influx.LineProtocol;

namespace TapSensor.Sinks.Influx.Writing;

/// <summary>Lines of line protocol waiting to be sent together, in a pooled buffer.</summary>
internal sealed class PointBatch : IDisposable
{
    public PointBatch(TimestampPrecision precision, int initialBytes = 64 * 1024)
    {
        Precision = precision;
        Lines = new PointBuffer(initialBytes);
    }

    public PointBuffer Lines { get; }
    public int Points { get; set; }
    public TimestampPrecision Precision { get; }

    /// <summary><see cref="TimeProvider.GetTimestamp"/> when the first point went in.</summary>
    public long FirstPointTimestamp { get; set; }

    /// <summary>
    /// Splits the batch into two halves at a line boundary (for HTTP 413). The halves hold copies; this batch is
    /// left as it was.
    /// </summary>
    public (PointBatch First, PointBatch Second) Split()
    {
        var span = Lines.WrittenSpan;
        int wanted = Math.Max(1, Points / 2), cut = 0;
        for (int n = 0; n < wanted && cut < span.Length; n++) cut = LineScanner.NextLineEnd(span, cut);
        var first = new PointBatch(Precision, Math.Max(256, cut)) { Points = wanted, FirstPointTimestamp = FirstPointTimestamp };
        first.Lines.Write(span[..cut]);
        var second = new PointBatch(Precision, Math.Max(256, span.Length - cut)) { Points = Points - wanted, FirstPointTimestamp = FirstPointTimestamp };
        second.Lines.Write(span[cut..]);
        return (first, second);
    }

    public void Dispose() => Lines.Dispose();
}
