using TapSensor.Sample;

namespace TapSensor.Replay;

/// <summary>Writes the benchmark captures: the household sample or the SYN flood.</summary>
internal static class SampleGenerator
{
    public static long Write(string kind, Stream output, long packets, int seed) => kind switch
    {
        "household" => HouseholdCapture.Write(output, new HouseholdOptions
        {
            Packets = packets > 0 ? packets : 5_000_000,
            Seed = (ulong)Math.Max(seed, 1),
        }).Packets,
        "flood" => FloodCapture.Write(output, new FloodOptions
        {
            Packets = packets > 0 ? packets : 2_000_000,
            Seed = (ulong)Math.Max(seed, 1),
        }).Packets,
        _ => throw new ArgumentException($"unknown capture kind '{kind}' (household or flood)", nameof(kind)),
    };
}
