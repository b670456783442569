namespace TapSensor.Testing.Pcap;

/// <summary>
/// Finds the shared capture corpus: <c>../shared/corpus</c> beside the repository root (the folder holding
/// TapSensor.sln, found by walking up from the test binaries). The corpus is never copied into the repository.
/// </summary>
public static class Corpus
{
    public const string MissingMessage =
        "The shared capture corpus is not present (expected at ../shared/corpus beside the folder holding TapSensor.sln).";

    /// <summary>The corpus folder, or null when it is not there (tests then skip and say so).</summary>
    public static string? Directory
    {
        get
        {
            string? root = RepositoryRoot;
            if (root is null) return null;
            string corpus = Path.GetFullPath(Path.Combine(root, "..", "shared", "corpus"));
            return System.IO.Directory.Exists(corpus) ? corpus : null;
        }
    }

    /// <summary>The folder holding TapSensor.sln above the test binaries, or null.</summary>
    public static string? RepositoryRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "TapSensor.sln"))) return dir.FullName;
            }
            return null;
        }
    }

    /// <summary>Every file below <paramref name="subfolder"/> of the corpus (all are captures), sorted; empty without a corpus.</summary>
    public static IReadOnlyList<string> Files(string subfolder)
    {
        string? corpus = Directory;
        if (corpus is null) return [];
        string folder = Path.Combine(corpus, subfolder);
        if (!System.IO.Directory.Exists(folder)) return [];
        var files = new List<string>(System.IO.Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories));
        files.Sort(StringComparer.Ordinal);
        return files;
    }
}
