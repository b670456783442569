using TapSensor.Testing;

namespace TapSensor.Capture.Tests.Infrastructure;

/// <summary>The link types the decoder reads, as the corpus manifest names them.</summary>
internal static class DecodedLinkTypes
{
    private static readonly string[] Names = ["ether(1)", "linux_sll(113)", "linux_sll2(276)", "raw(101)", "null(0)", "ipv4(228)", "ipv6(229)"];

    /// <summary>The capture has link types, and the decoder reads every one of them.</summary>
    public static bool AllDecoded(CorpusEntry entry) => entry.LinkTypes.Count > 0 && entry.LinkTypes.All(Names.Contains);
}
