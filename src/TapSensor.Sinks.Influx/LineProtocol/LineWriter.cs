using System.Globalization;

namespace TapSensor.Sinks.Influx.LineProtocol;

/// <summary>
/// Writes points as line protocol, UTF-8, straight into a <see cref="PointBuffer"/>: no string per point.
/// <code>
/// writer.Begin(buffer, Measurement);             // measurement
/// writer.Tag(SensorKey, "attic");                // tags in any order; sorted by key on output
/// writer.Field(BytesKey, 1234L);                 // fields (the tags are written before the first one)
/// writer.End(timestampNs);                       // timestamp and newline; false if the point had no field
/// </code>
/// <para>
/// Tags are written sorted by key (byte order), as InfluxDB recommends: the server then need not sort them.
/// Empty tag values are skipped (InfluxDB has no empty tags). Integers are written with the <c>i</c> suffix,
/// never <c>u</c> (not every 1.x server accepts unsigned fields); floats in the shortest form that reads back
/// to the same double; NaN and infinities are skipped (line protocol has no way to write them). A point left
/// without fields is rolled back. With a <see cref="SeriesTimestamps"/>, the timestamp of each point is
/// claimed for its series so two points of a series never share one.
/// </para>
/// Not thread-safe; one writer per thread.
/// </summary>
internal sealed class LineWriter
{
    private const int MaxTags = 32;

    private readonly TimestampPrecision _precision;
    private readonly SeriesTimestamps? _timestamps;
    private readonly TagSlot[] _tags = new TagSlot[MaxTags];
    private PointBuffer? _output;
    private int _tagCount;
    private int _lineStart;
    private int _seriesEnd;
    private int _fields;
    private bool _inFields;

    public LineWriter(TimestampPrecision precision, SeriesTimestamps? timestamps = null)
    {
        _precision = precision;
        _timestamps = timestamps;
    }

    public TimestampPrecision Precision => _precision;

    /// <summary>The timestamp (in units of the precision) the last completed point was written with.</summary>
    public long LastTimestamp { get; private set; }

    public void Begin(PointBuffer output, LineKey measurement)
    {
        _output = output;
        _lineStart = output.Length;
        _tagCount = 0;
        _fields = 0;
        _inFields = false;
        output.Write(measurement.Escaped);
    }

    public void Tag(LineKey key, string? value)
    {
        if (string.IsNullOrEmpty(value)) return;
        AddTag(new TagSlot(key, value, 0));
    }

    /// <summary>An integer-valued tag (an AS number), formatted when the tags are written.</summary>
    public void Tag(LineKey key, long? value)
    {
        if (value is null) return;
        AddTag(new TagSlot(key, null, value.Value));
    }

    public void Field(LineKey key, long value)
    {
        var o = FieldKey(key);
        value.TryFormat(o.GetSpan(21), out int n, default, CultureInfo.InvariantCulture);
        o.Advance(n);
        o.WriteByte((byte)'i');
    }

    public void Field(LineKey key, double value)
    {
        if (!double.IsFinite(value)) return;
        var o = FieldKey(key);
        // "R" is the shortest text that parses back to the same double (.NET Core 3.0+), e.g. 0.1, 1E+20, 5E-324.
        value.TryFormat(o.GetSpan(32), out int n, "R", CultureInfo.InvariantCulture);
        o.Advance(n);
    }

    public void Field(LineKey key, bool value)
    {
        var o = FieldKey(key);
        o.Write(value ? "true"u8 : "false"u8);
    }

    public void Field(LineKey key, string? value)
    {
        if (value is null) return;
        LineEscaper.WriteString(FieldKey(key), value);
    }

    /// <summary>A string field from UTF-8 bytes (ids formatted without a string).</summary>
    public void FieldUtf8(LineKey key, ReadOnlySpan<byte> utf8) => LineEscaper.WriteString(FieldKey(key), utf8);

    public void Field(LineKey key, long? value)
    {
        if (value.HasValue) Field(key, value.Value);
    }

    public void Field(LineKey key, double? value)
    {
        if (value.HasValue) Field(key, value.Value);
    }

    /// <summary>
    /// Ends the point at <paramref name="timestampNs"/> (Unix nanoseconds, converted to the precision). Returns
    /// false and removes the point if it has no field.
    /// </summary>
    public bool End(long timestampNs)
    {
        var o = _output ?? throw new InvalidOperationException("Begin was not called");
        if (!_inFields) WriteTags();
        if (_fields == 0)
        {
            o.Truncate(_lineStart);
            _output = null;
            return false;
        }
        long t = TimestampPrecisions.FromNanoseconds(timestampNs, _precision);
        if (_timestamps is not null)
            t = _timestamps.Claim(SeriesTimestamps.Hash(o.WrittenSpan[_lineStart.._seriesEnd]), t);
        LastTimestamp = t;
        o.WriteByte((byte)' ');
        t.TryFormat(o.GetSpan(21), out int n, default, CultureInfo.InvariantCulture);
        o.Advance(n);
        o.WriteByte((byte)'\n');
        _output = null;
        return true;
    }

    private void AddTag(TagSlot slot)
    {
        if (_inFields) throw new InvalidOperationException("tags must come before fields");
        if (_tagCount == MaxTags) throw new InvalidOperationException($"a point has at most {MaxTags} tags here");
        _tags[_tagCount++] = slot;
    }

    private PointBuffer FieldKey(LineKey key)
    {
        var o = _output ?? throw new InvalidOperationException("Begin was not called");
        if (!_inFields) WriteTags();
        o.WriteByte(_fields++ == 0 ? (byte)' ' : (byte)',');
        o.Write(key.Escaped);
        o.WriteByte((byte)'=');
        return o;
    }

    private void WriteTags()
    {
        var o = _output!;
        // Insertion sort: a handful of tags, usually already in order.
        for (int i = 1; i < _tagCount; i++)
        {
            var slot = _tags[i];
            int j = i - 1;
            while (j >= 0 && _tags[j].Key.Escaped.AsSpan().SequenceCompareTo(slot.Key.Escaped) > 0)
            {
                _tags[j + 1] = _tags[j];
                j--;
            }
            _tags[j + 1] = slot;
        }
        for (int i = 0; i < _tagCount; i++)
        {
            ref readonly var slot = ref _tags[i];
            o.WriteByte((byte)',');
            o.Write(slot.Key.Escaped);
            o.WriteByte((byte)'=');
            if (slot.Text is not null) LineEscaper.WriteName(o, slot.Text, measurement: false);
            else
            {
                slot.Number.TryFormat(o.GetSpan(21), out int n, default, CultureInfo.InvariantCulture);
                o.Advance(n);
            }
            _tags[i] = default;
        }
        _seriesEnd = o.Length;
        _inFields = true;
    }

    private readonly record struct TagSlot(LineKey Key, string? Text, long Number);
}
