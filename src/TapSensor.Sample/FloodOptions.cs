namespace TapSensor.Sample;

/// <summary>Parameters of <see cref="FloodCapture"/>.</summary>
internal sealed record FloodOptions
{
    public ulong Seed { get; init; } = 1;

    /// <summary>Number of SYN frames, each opening a distinct 5-tuple.</summary>
    public long Packets { get; init; } = 2_000_000;

    public DateTimeOffset StartTime { get; init; } = new(2026, 6, 1, 18, 0, 0, TimeSpan.Zero);

    internal void Validate()
    {
        // Distinctness comes from a 27-bit address scramble times the source-port range (see FloodCapture).
        if (Packets is < 1 or > (1L << 27) * 60_000)
            throw new ArgumentOutOfRangeException(nameof(Packets), Packets, "Packets must be between 1 and 2^27 * 60000.");
    }
}
