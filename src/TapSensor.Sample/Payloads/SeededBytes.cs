namespace TapSensor.Sample.Payloads;

/// <summary>
/// Bytes that look random but are a pure function of a seed (splitmix64 steps), so two packets of a flow written at
/// different times can agree on a value (a TLS session id, a QUIC connection id) without storing it.
/// </summary>
internal static class SeededBytes
{
    public static void Fill(Span<byte> destination, ulong seed)
    {
        for (int i = 0; i < destination.Length; i += 8)
        {
            ulong z = SampleRandom.SplitMix(ref seed);
            for (int b = 0; b < 8 && i + b < destination.Length; b++, z >>= 8)
                destination[i + b] = (byte)z;
        }
    }
}
