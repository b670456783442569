namespace TapSensor.Testing;

/// <summary>
/// The shared capture corpus: real pcap/pcapng files described by MANIFEST.tsv (see README.md in the
/// corpus folder). It lives outside the repository, in <c>../shared/corpus</c> beside the repository
/// root, or wherever the <c>TAPSENSOR_CORPUS</c> environment variable points.
/// Tests that need it use <see cref="CorpusFactAttribute"/>, which skips them with <see cref="SkipReason"/>
/// when the folder is absent.
/// </summary>
public sealed class Corpus
{
    public const string EnvironmentVariable = "TAPSENSOR_CORPUS";
    public const string ManifestName = "MANIFEST.tsv";
    public const string NotFoundMessage = "../shared/corpus not found: clone the shared folder beside the repository";

    private readonly Dictionary<string, CorpusEntry> _byPath;

    private Corpus(string root, IReadOnlyList<CorpusEntry> entries)
    {
        Root = root;
        Entries = entries;
        _byPath = entries.ToDictionary(e => e.Path, StringComparer.Ordinal);
    }

    /// <summary>Absolute path of the corpus folder (the one holding MANIFEST.tsv).</summary>
    public string Root { get; }

    /// <summary>Every capture listed in the manifest, in manifest order.</summary>
    public IReadOnlyList<CorpusEntry> Entries { get; }

    /// <summary>Null when the corpus is present; otherwise why corpus tests are skipped.</summary>
    public static string? SkipReason => FindRoot() is null ? NotFoundMessage : null;

    /// <summary>Loads the corpus, or throws with <see cref="NotFoundMessage"/> when it is absent.</summary>
    public static Corpus Open() =>
        Load(FindRoot() ?? throw new DirectoryNotFoundException(NotFoundMessage));

    /// <summary>Loads the manifest of the corpus folder <paramref name="root"/>.</summary>
    public static Corpus Load(string root)
    {
        string full = Path.GetFullPath(root);
        using var reader = new StreamReader(Path.Combine(full, ManifestName));
        return new Corpus(full, CorpusEntry.ParseManifest(reader, full));
    }

    /// <summary>
    /// The corpus folder: <c>TAPSENSOR_CORPUS</c> if set, else <c>../shared/corpus</c> relative to the
    /// repository root found from <see cref="AppContext.BaseDirectory"/>. Null unless it holds a manifest.
    /// </summary>
    public static string? FindRoot() =>
        FindRoot(Environment.GetEnvironmentVariable(EnvironmentVariable), AppContext.BaseDirectory);

    public static string? FindRoot(string? overridePath, string startDirectory)
    {
        string? candidate = !string.IsNullOrWhiteSpace(overridePath)
            ? overridePath
            : FindRepositoryRoot(startDirectory) is { } repo ? Path.Combine(repo, "..", "shared", "corpus") : null;
        if (candidate is null) return null;
        candidate = Path.GetFullPath(candidate);
        return File.Exists(Path.Combine(candidate, ManifestName)) ? candidate : null;
    }

    /// <summary>The nearest directory at or above <paramref name="startDirectory"/> that holds TapSensor.sln.</summary>
    public static string? FindRepositoryRoot(string startDirectory)
    {
        for (DirectoryInfo? d = new(startDirectory); d is not null; d = d.Parent)
        {
            if (File.Exists(Path.Combine(d.FullName, "TapSensor.sln"))) return d.FullName;
        }
        return null;
    }

    /// <summary>
    /// Captures under <paramref name="folder"/> (a manifest path prefix such as "real/ndpi"; null for all)
    /// that carry every one of <paramref name="features"/> (manifest feature names such as "tls-sni").
    /// </summary>
    public IEnumerable<CorpusEntry> Select(string? folder = null, params string[] features) =>
        Entries.Where(e => (folder is null || e.IsUnder(folder)) && features.All(e.Has));

    /// <summary>The entry for a manifest path such as "real/ndpi/android.pcap".</summary>
    public CorpusEntry Get(string path) =>
        _byPath.TryGetValue(path, out CorpusEntry? e) ? e : throw new KeyNotFoundException($"{path} is not in {ManifestName}");
}
