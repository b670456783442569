namespace TapSensor.Sample;

/// <summary>
/// Seeded xoshiro256** generator (Blackman and Vigna), seeded through splitmix64. The sample captures must be
/// reproducible from a seed alone, so every random choice goes through one instance in a fixed order; System.Random
/// is avoided because its algorithm for a given seed is not a documented contract.
/// </summary>
internal sealed class SampleRandom
{
    private ulong _s0, _s1, _s2, _s3;

    public SampleRandom(ulong seed)
    {
        _s0 = SplitMix(ref seed);
        _s1 = SplitMix(ref seed);
        _s2 = SplitMix(ref seed);
        _s3 = SplitMix(ref seed);
    }

    /// <summary>One splitmix64 step (Steele, Lea and Flood): advances the state and returns a well-mixed value.</summary>
    internal static ulong SplitMix(ref ulong state)
    {
        ulong z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    public ulong NextUInt64()
    {
        ulong result = ulong.RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = ulong.RotateLeft(_s3, 45);
        return result;
    }

    public uint NextUInt32() => (uint)(NextUInt64() >> 32);

    public ushort NextUInt16() => (ushort)(NextUInt64() >> 48);

    /// <summary>Uniform in [0, n) by multiply-shift; the bias for n far below 2^32 does not matter here.</summary>
    public int Below(int n) => (int)(((NextUInt64() >> 32) * (ulong)(uint)n) >> 32);

    /// <summary>Uniform in [low, high], both inclusive.</summary>
    public int Between(int low, int high) => low + Below(high - low + 1);

    /// <summary>Uniform in [low, high) microseconds.</summary>
    public long Micros(long low, long high) => low + (long)(NextDouble() * (high - low));

    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    public bool Chance(double probability) => NextDouble() < probability;

    public double Exponential(double mean) => -mean * Math.Log(1.0 - NextDouble());

    /// <summary>Standard normal by Box-Muller; the second value is dropped so no state is carried.</summary>
    public double Normal()
    {
        double u1 = 1.0 - NextDouble();
        double u2 = NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    public double LogNormal(double median, double sigma) => median * Math.Exp(sigma * Normal());

    /// <summary>
    /// Pareto with shape <paramref name="alpha"/> truncated to [low, high], by inverting its distribution function
    /// F(x) = (1 - (low/x)^alpha) / (1 - (low/high)^alpha).
    /// </summary>
    public double BoundedPareto(double alpha, double low, double high)
    {
        double tail = 1.0 - Math.Pow(low / high, alpha);
        return low / Math.Pow(1.0 - NextDouble() * tail, 1.0 / alpha);
    }

    public void Fill(Span<byte> destination)
    {
        int i = 0;
        for (; i + 8 <= destination.Length; i += 8)
            System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(destination[i..], NextUInt64());
        if (i < destination.Length)
        {
            ulong last = NextUInt64();
            for (; i < destination.Length; i++, last >>= 8)
                destination[i] = (byte)last;
        }
    }
}
