namespace TapSensor.Sample;

/// <summary>Parameters of <see cref="HouseholdCapture"/>. The same options and seed always give the same bytes.</summary>
internal sealed record HouseholdOptions
{
    /// <summary>10 minutes of household traffic per 5 million packets.</summary>
    private static readonly TimeSpan DurationPerFiveMillion = TimeSpan.FromMinutes(10);

    public ulong Seed { get; init; } = 1;

    /// <summary>Exact number of packets written.</summary>
    public long Packets { get; init; } = 1_000_000;

    /// <summary>Number of devices; the catalogue has 20 and repeats with numbered host names beyond that.</summary>
    public int Devices { get; init; } = 20;

    /// <summary>Conversations to open; null scales with <see cref="Packets"/> (50 000 per 5 million).</summary>
    public long? Flows { get; init; }

    /// <summary>Target share of IPv6 packets, reached by choosing the family of each dual-stack session.</summary>
    public double Ipv6Share { get; init; } = 0.2;

    public int SnapLength { get; init; } = 65535;

    public DateTimeOffset StartTime { get; init; } = new(2026, 6, 1, 18, 0, 0, TimeSpan.Zero);

    /// <summary>Span over which sessions start; null scales with <see cref="Packets"/> (at least 30 s).</summary>
    public TimeSpan? Duration { get; init; }

    internal long EffectiveFlows => Flows ?? Math.Max(1, Packets / 100);

    internal TimeSpan EffectiveDuration => Duration ?? TimeSpan.FromTicks(Math.Max(
        TimeSpan.FromSeconds(30).Ticks,
        (long)(DurationPerFiveMillion.Ticks * (Packets / 5_000_000.0))));

    internal void Validate()
    {
        if (Packets < 1)
            throw new ArgumentOutOfRangeException(nameof(Packets), Packets, "Packets must be at least 1.");
        if (Devices is < 1 or > 200)
            throw new ArgumentOutOfRangeException(nameof(Devices), Devices, "Devices must be between 1 and 200 (one /24 LAN).");
        if (Flows is < 1)
            throw new ArgumentOutOfRangeException(nameof(Flows), Flows, "Flows must be at least 1 when given.");
        if (Ipv6Share is < 0 or > 1 || double.IsNaN(Ipv6Share))
            throw new ArgumentOutOfRangeException(nameof(Ipv6Share), Ipv6Share, "Ipv6Share must be between 0 and 1.");
        if (SnapLength is < 60 or > 262_144)
            throw new ArgumentOutOfRangeException(nameof(SnapLength), SnapLength, "SnapLength must be between 60 and 262144.");
        if (Duration is { } d && d <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(Duration), d, "Duration must be positive when given.");
    }
}
