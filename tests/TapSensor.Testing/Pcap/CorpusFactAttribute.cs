using Xunit;

namespace TapSensor.Testing.Pcap;

/// <summary>
/// A fact that needs the shared capture corpus: skipped, with the reason shown, when ../shared/corpus is not
/// beside the repository. (xunit 2 decides skips when it discovers tests, so the check happens here.)
/// </summary>
public sealed class CorpusFactAttribute : FactAttribute
{
    public CorpusFactAttribute()
    {
        if (Corpus.Directory is null) Skip = Corpus.MissingMessage;
    }
}

/// <summary>A theory that needs the shared capture corpus; see <see cref="CorpusFactAttribute"/>.</summary>
public sealed class CorpusTheoryAttribute : TheoryAttribute
{
    public CorpusTheoryAttribute()
    {
        if (Corpus.Directory is null) Skip = Corpus.MissingMessage;
    }
}
