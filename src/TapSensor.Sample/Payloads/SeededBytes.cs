namespace TapSensor.Sample.Payloads;

/// <summary>
/// Bytes that look random but are a pure function of a seed (splitmix64), so two packets of a flow written at
/// different times can agree on a value (a TLS session id, a QUIC connection id) without storing it.
/// </summary>
internal static class SeededBytes
{
    public static void Fill(Span<byte> destination, ulong seed)
    {
        for (int i = 0; i < destination.Length; i += 8)
        {
            ulong z = seed += 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            z ^= z >> 31;
            for (int b = 0; b < 8 && i + b < destination.Length; b++, z >>= 8)
                destination[i + b] = (byte)z;
        }
    }
}
