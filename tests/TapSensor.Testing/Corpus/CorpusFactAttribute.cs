using TapSensor.Testing.Tshark;
using Xunit;

namespace TapSensor.Testing;

/// <summary>
/// A fact that needs the shared capture corpus and, with <see cref="RequiresTshark"/>, tshark. xunit 2
/// has no dynamic skip, but it reads <see cref="FactAttribute.Skip"/> from the attribute instance at
/// discovery, so computing it here turns a missing prerequisite into a visible skip with its reason
/// instead of a failure or a silent pass.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class CorpusFactAttribute : FactAttribute
{
    public bool RequiresTshark { get; set; }

    public override string? Skip
    {
        get => base.Skip ?? Prerequisites.SkipReason(RequiresTshark);
        set => base.Skip = value;
    }
}

/// <summary>The theory form of <see cref="CorpusFactAttribute"/>; skipped theories do not enumerate their data.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class CorpusTheoryAttribute : TheoryAttribute
{
    public bool RequiresTshark { get; set; }

    public override string? Skip
    {
        get => base.Skip ?? Prerequisites.SkipReason(RequiresTshark);
        set => base.Skip = value;
    }
}

internal static class Prerequisites
{
    public static string? SkipReason(bool requiresTshark) =>
        Corpus.SkipReason ?? (requiresTshark ? TsharkOracle.SkipReason : null);
}
