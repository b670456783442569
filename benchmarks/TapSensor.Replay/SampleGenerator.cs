using TapSensor.Sample;

namespace TapSensor.Replay;

/// <summary>Writes the benchmark captures with the sample generators (the same ones <c>tapsensor sample</c> uses).</summary>
internal static class SampleGenerator
{
    /// <summary>
    /// Writes a <paramref name="kind"/> capture ("household" or "flood") of <paramref name="packets"/> packets
    /// (0 or less: the generator's default) and returns the packets written.
    /// </summary>
    public static long Write(string kind, Stream output, long packets, int seed)
    {
        ulong s = (ulong)Math.Max(0, seed);
        SampleStats stats = kind switch
        {
            "household" => HouseholdCapture.Write(output, packets > 0
                ? new HouseholdOptions { Packets = packets, Seed = s }
                : new HouseholdOptions { Seed = s }),
            "flood" => FloodCapture.Write(output, packets > 0
                ? new FloodOptions { Packets = packets, Seed = s }
                : new FloodOptions { Seed = s }),
            _ => throw new ArgumentException($"unknown capture kind '{kind}'; expected household or flood", nameof(kind)),
        };
        return stats.Packets;
    }
}
