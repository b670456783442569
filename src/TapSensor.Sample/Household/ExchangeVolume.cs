namespace TapSensor.Sample.Household;

/// <summary>Splits a session's planned volume over its exchanges, for TCP and QUIC alike.</summary>
internal static class ExchangeVolume
{
    /// <summary>
    /// Takes the next exchange's share of the remaining full-size segments and returns its response size in bytes:
    /// whole segments less a partial last one, or a single small answer when the share is empty.
    /// </summary>
    public static long Next(ref FlowState f, int segmentPayload, SizeClass size, SampleRandom random)
    {
        long segments = f.ExchangesLeft > 0 ? f.UnitsLeft / f.ExchangesLeft : 0;
        f.UnitsLeft -= segments;
        f.ExchangesLeft--;
        if (size == SizeClass.Persistent)
            return random.Between(30, 200);
        return segments > 0 ? (segments * segmentPayload) - random.Below(segmentPayload / 2) : random.Between(120, 1_300);
    }
}
