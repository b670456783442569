namespace TapSensor.Sinks.Influx.LineProtocol;

/// <summary>
/// A measurement, tag key or field key, escaped to UTF-8 once and reused for every line (schema constants).
/// Keys a server would refuse are refused here: an empty name, the key <c>time</c> (InfluxDB drops a point
/// whose tag or field is called time), and a measurement starting with <c>#</c> (the line would be a comment).
/// </summary>
internal sealed class LineKey
{
    private LineKey(string name, byte[] escaped)
    {
        Name = name;
        Escaped = escaped;
    }

    public string Name { get; }

    internal byte[] Escaped { get; }

    public static LineKey Measurement(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (name[0] == '#') throw new ArgumentException($"a measurement cannot start with '#' (the line would be a comment): '{name}'", nameof(name));
        return new LineKey(name, LineEscaper.EscapeName(name, measurement: true));
    }

    /// <summary>A tag key or a field key (both escape alike).</summary>
    public static LineKey Key(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (name == "time") throw new ArgumentException("InfluxDB does not accept a tag or field named 'time'", nameof(name));
        return new LineKey(name, LineEscaper.EscapeName(name, measurement: false));
    }

    public override string ToString() => Name;
}
