using System.Globalization;

namespace TapSensor.Core.Devices;

/// <summary>
/// MAC vendor names from the IEEE registration authority's public listings (MA-L: 24-bit prefixes, MA-M:
/// 28-bit, MA-S and IAB: 36-bit; the CSV form Debian's ieee-data ships). A lookup tries the longest block
/// first, since MA-M and MA-S blocks are carved out of MA-L ones registered to the IEEE itself.
/// Organisation names are interned: one company holds hundreds of blocks.
/// </summary>
public sealed class OuiRegistry
{
    private readonly Dictionary<ulong, string> _l24 = [];
    private readonly Dictionary<ulong, string> _m28 = [];
    private readonly Dictionary<ulong, string> _s36 = [];
    private readonly Dictionary<string, string> _names = new(StringComparer.Ordinal);

    private Task? _loading;

    public static OuiRegistry Empty { get; } = new();

    /// <summary>
    /// A registry that <paramref name="load"/> fills on a background thread, so reading the listings (a few MB)
    /// overlaps the start of capture instead of delaying it. Anything that reads the registry waits for the load
    /// first; the first reader is the aggregator, at the first new device.
    /// </summary>
    public static OuiRegistry LoadInBackground(Action<OuiRegistry> load)
    {
        var registry = new OuiRegistry();
        registry._loading = Task.Run(() => load(registry));
        return registry;
    }

    public int Count
    {
        get
        {
            WaitForLoad();
            return _l24.Count + _m28.Count + _s36.Count;
        }
    }

    /// <summary>Blocks read so far, without waiting for a background load (for the loader itself).</summary>
    public int LoadedBlocks => _l24.Count + _m28.Count + _s36.Count;

    /// <summary>Lines that were not a registry row (counted, not fatal).</summary>
    public int SkippedLines
    {
        get
        {
            WaitForLoad();
            return _skippedLines;
        }
    }

    private int _skippedLines;

    /// <summary>Waits for a background load; a load that failed leaves what it had read.</summary>
    private void WaitForLoad()
    {
        var loading = _loading;
        if (loading is null || loading.IsCompleted && !loading.IsFaulted) return;
        try
        {
            loading.Wait();
        }
        catch (AggregateException)
        {
            // The loader reports its own problems; lookups go on with what is there.
        }
    }

    /// <summary>
    /// Reads one IEEE CSV listing (header row, then Registry,Assignment,Organization Name,Organization Address).
    /// The listing is parsed as spans of one string, so the only strings kept are the distinct organisation names:
    /// Debian's MA-L file (3 MB, 35k rows) loads in a few milliseconds, off the start of a run's critical path.
    /// </summary>
    public void Load(TextReader csv)
    {
        // Lines are cut out of a reused 64 KB block: reading the whole listing as one string would put megabytes on
        // the large-object heap, which stays committed until a full collection that a capture may never trigger.
        char[] block = new char[64 * 1024];
        int filled = 0;
        bool header = true;
        while (true)
        {
            int read = csv.Read(block, filled, block.Length - filled);
            filled += read;
            int start = 0, end;
            while ((end = Array.IndexOf(block, '\n', start, filled - start)) >= 0)
            {
                ReadLine(block.AsSpan(start, end - start), ref header);
                start = end + 1;
            }
            if (read == 0)
            {
                if (filled > start) ReadLine(block.AsSpan(start, filled - start), ref header); // no final newline
                return;
            }
            if (start == 0 && filled == block.Length)
            {
                // A line longer than the block is no registry row: count it and drop what was read of it.
                _skippedLines++;
                filled = 0;
                continue;
            }
            // Keep the unfinished line at the start of the block.
            Array.Copy(block, start, block, 0, filled - start);
            filled -= start;
        }
    }

    private void ReadLine(ReadOnlySpan<char> line, ref bool header)
    {
        if (line.EndsWith('\r')) line = line[..^1];
        if (header)
        {
            header = false;
            if (line.StartsWith("Registry", StringComparison.Ordinal)) return;
        }
        if (!TryReadRow(line, out var assignment, out var organisation, out bool escaped)
            || !ulong.TryParse(assignment, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ulong prefix))
        {
            _skippedLines++;
            return;
        }
        string name;
        if (escaped)
        {
            string unescaped = organisation.ToString().Replace("\"\"", "\"", StringComparison.Ordinal);
            if (!_names.TryGetValue(unescaped, out name!)) _names[unescaped] = name = unescaped;
        }
        else if (!_names.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(organisation, out name!))
        {
            name = organisation.ToString();
            _names[name] = name;
        }
        switch (assignment.Length)
        {
            case 6: _l24[prefix] = name; break;
            case 7: _m28[prefix] = name; break;
            default: _s36[prefix] = name; break; // 9: TryReadRow admits only 6, 7 and 9
        }
    }

    /// <summary>The organisation registered for the MAC's block, or null (unknown, or a locally administered address).</summary>
    public string? Lookup(ulong mac)
    {
        if (IsLocallyAdministered(mac)) return null;
        WaitForLoad();
        if (_s36.Count > 0 && _s36.TryGetValue(mac >> 12, out var s)) return s;
        if (_m28.Count > 0 && _m28.TryGetValue(mac >> 20, out var m)) return m;
        return _l24.TryGetValue(mac >> 24, out var l) ? l : null;
    }

    /// <summary>
    /// The U/L bit (IEEE 802 §8.2) of the first octet: set on addresses a host made up itself, such as the
    /// per-network random MACs of phones and laptops. Such an address has no vendor.
    /// </summary>
    public static bool IsLocallyAdministered(ulong mac) => ((mac >> 40) & 0x02) != 0;

    /// <summary>Group (multicast/broadcast) addresses: bit 0 of the first octet.</summary>
    public static bool IsGroup(ulong mac) => ((mac >> 40) & 0x01) != 0;

    /// <summary>
    /// Finds the assignment (second field) and organisation (third, trimmed) of a CSV row, honouring double-quoted
    /// fields; <paramref name="escaped"/> tells that the organisation holds "" escapes still to undo.
    /// </summary>
    private static bool TryReadRow(ReadOnlySpan<char> line, out ReadOnlySpan<char> assignment, out ReadOnlySpan<char> organisation,
        out bool escaped)
    {
        assignment = organisation = default;
        escaped = false;
        int field = 0;
        while (field < 3)
        {
            ReadOnlySpan<char> value;
            bool quotedEscapes = false;
            bool last = false;
            if (!line.IsEmpty && line[0] == '"')
            {
                // A quoted field ends at a quote not doubled; "" inside stands for one quote.
                int i = 1;
                while (i < line.Length)
                {
                    if (line[i] == '"')
                    {
                        if (i + 1 < line.Length && line[i + 1] == '"') { quotedEscapes = true; i += 2; continue; }
                        break;
                    }
                    i++;
                }
                value = line[1..Math.Min(i, line.Length)];
                int after = Math.Min(i + 1, line.Length);
                last = after >= line.Length || line[after] != ',';
                line = last ? default : line[(after + 1)..];
            }
            else
            {
                int comma = line.IndexOf(',');
                last = comma < 0;
                value = last ? line : line[..comma];
                line = last ? default : line[(comma + 1)..];
            }
            if (field == 1) assignment = value;
            else if (field == 2) { organisation = value.Trim(); escaped = quotedEscapes; }
            field++;
            if (last) break;
        }
        return field >= 3 && assignment.Length is 6 or 7 or 9 && !organisation.IsEmpty;
    }
}
