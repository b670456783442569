using System.Globalization;

namespace TapSensor.Testing;

/// <summary>One capture of the corpus, as MANIFEST.tsv describes it.</summary>
public sealed class CorpusEntry
{
    private readonly HashSet<string> _features;

    public CorpusEntry(string path, string fullPath, long bytes, string format, IReadOnlyList<string> linkTypes,
        long? packets, IEnumerable<string> features)
    {
        Path = path;
        FullPath = fullPath;
        Bytes = bytes;
        Format = format;
        LinkTypes = linkTypes;
        Packets = packets;
        _features = new HashSet<string>(features, StringComparer.Ordinal);
    }

    /// <summary>Path relative to the corpus folder, with '/' separators, e.g. "real/ndpi/android.pcap".</summary>
    public string Path { get; }

    public string FullPath { get; }

    public long Bytes { get; }

    /// <summary>"pcap" or "pcapng".</summary>
    public string Format { get; }

    /// <summary>Link types as "name(number)", e.g. "ether(1)"; several for multi-interface pcapng files.</summary>
    public IReadOnlyList<string> LinkTypes { get; }

    /// <summary>Packet count from <c>capinfos -c -M</c>; null for files capinfos cannot open.</summary>
    public long? Packets { get; }

    /// <summary>Protocols and markers from one tshark dissection (see the corpus README).</summary>
    public IReadOnlySet<string> Features => _features;

    public bool Has(string feature) => _features.Contains(feature);

    /// <summary>True when the entry sits under <paramref name="folder"/> ("real", "edge/zeek", "real/ndpi/").</summary>
    public bool IsUnder(string folder)
    {
        string prefix = folder.EndsWith('/') ? folder : folder + "/";
        return Path.StartsWith(prefix, StringComparison.Ordinal);
    }

    /// <summary>The manifest path: short and stable in theory display names.</summary>
    public override string ToString() => Path;

    /// <summary>Reads MANIFEST.tsv: a header line naming the columns, then one tab-separated line per capture.</summary>
    public static List<CorpusEntry> ParseManifest(TextReader reader, string corpusRoot)
    {
        string header = reader.ReadLine() ?? throw new FormatException("empty manifest");
        string[] names = header.Split('\t');
        int Column(string name)
        {
            int i = Array.IndexOf(names, name);
            return i >= 0 ? i : throw new FormatException($"manifest has no '{name}' column");
        }
        int path = Column("path"), bytes = Column("bytes"), format = Column("format"), link = Column("linktype"),
            packets = Column("packets"), features = Column("features");

        var entries = new List<CorpusEntry>();
        for (string? line = reader.ReadLine(); line is not null; line = reader.ReadLine())
        {
            if (line.Length == 0) continue;
            string[] c = line.Split('\t');
            if (c.Length < names.Length) throw new FormatException($"manifest line has {c.Length} columns, expected {names.Length}: {line}");
            entries.Add(new CorpusEntry(
                c[path],
                System.IO.Path.Combine(corpusRoot, c[path].Replace('/', System.IO.Path.DirectorySeparatorChar)),
                long.Parse(c[bytes], CultureInfo.InvariantCulture),
                c[format],
                SplitList(c[link]),
                c[packets].Length == 0 ? null : long.Parse(c[packets], CultureInfo.InvariantCulture),
                SplitList(c[features])));
        }
        return entries;
    }

    private static string[] SplitList(string value) =>
        value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
