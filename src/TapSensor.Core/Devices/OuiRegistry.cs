using System.Globalization;
using System.Text;

namespace TapSensor.Core.Devices;

/// <summary>
/// MAC vendor names from the IEEE registration authority's public listings (MA-L: 24-bit prefixes, MA-M:
/// 28-bit, MA-S and IAB: 36-bit; the CSV form Debian's ieee-data ships). A lookup tries the longest block
/// first, since MA-M and MA-S blocks are carved out of MA-L ones registered to the IEEE itself.
/// The ~42 000 blocks of Debian's listings sit in one sorted array of keys with the names as UTF-8 in one byte
/// array (about 2 MB in all, against 5 MB for dictionaries of strings); a lookup, made once per new device, builds
/// the name's string.
/// </summary>
public sealed class OuiRegistry
{
    // Key of an entry: block size class (1: 24 bits, 2: 28, 3: 36) in bits 56-57, the prefix in bits 20-55 and the
    // row's load sequence in bits 0-19, so sorting orders blocks and, within a block listed twice, rows by age.
    private const int SequenceBits = 20;
    private const int MaxRows = 1 << SequenceBits;
    private ulong[] _keys = [];
    private long[] _names = []; // parallel to _keys: text offset << 16 | UTF-8 length
    private byte[] _text = [];
    private int _entries, _textUsed, _rowsLoaded;

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
            return _entries;
        }
    }

    /// <summary>Blocks read so far, without waiting for a background load (for the loader itself).</summary>
    public int LoadedBlocks => _entries;

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
    /// The listing is parsed as spans of a reused block and no string is kept: Debian's MA-L file (3 MB, 32k rows)
    /// loads in tens of milliseconds, in the background (<see cref="LoadInBackground"/>).
    /// </summary>
    /// <param name="expectedRows">
    /// Rows the listing probably holds (from its size): the arrays are sized once instead of doubling, since each
    /// outgrown array of a 30k-row listing is large-object-heap garbage that stays committed.
    /// </param>
    public void Load(TextReader csv, int expectedRows = 0)
    {
        if (expectedRows > 0) Reserve(expectedRows, expectedRows * 32);
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
                SortAndMerge();
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
            || !ulong.TryParse(assignment, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ulong prefix)
            || _rowsLoaded >= MaxRows)
        {
            _skippedLines++;
            return;
        }
        ulong sizeClass = assignment.Length switch
        {
            6 => 1,
            7 => 2,
            _ => 3, // 9: TryReadRow admits only 6, 7 and 9
        };
        string? unescaped = escaped ? organisation.ToString().Replace("\"\"", "\"", StringComparison.Ordinal) : null;
        var name = unescaped is null ? organisation : unescaped.AsSpan();
        int maxBytes = Encoding.UTF8.GetMaxByteCount(name.Length);
        Reserve(1, maxBytes);
        int length = Math.Min(Encoding.UTF8.GetBytes(name, _text.AsSpan(_textUsed)), ushort.MaxValue);
        _keys[_entries] = Key(sizeClass, prefix) | (uint)_rowsLoaded++;
        _names[_entries++] = ((long)_textUsed << 16) | (uint)length;
        _textUsed += length;
    }

    private static ulong Key(ulong sizeClass, ulong prefix) => (sizeClass << 56) | (prefix << SequenceBits);

    /// <summary>Room for <paramref name="entries"/> more entries and <paramref name="textBytes"/> more name bytes.</summary>
    private void Reserve(int entries, int textBytes)
    {
        if (_entries + entries > _keys.Length)
        {
            int size = Math.Max(_entries + entries, _keys.Length * 2);
            Array.Resize(ref _keys, size);
            Array.Resize(ref _names, size);
        }
        if (_textUsed + textBytes > _text.Length) Array.Resize(ref _text, Math.Max(_textUsed + textBytes, _text.Length * 2));
    }

    /// <summary>Sorts the entries and keeps, of a block listed more than once, the row loaded last.</summary>
    private void SortAndMerge()
    {
        Array.Sort(_keys, _names, 0, _entries);
        int kept = 0;
        for (int i = 0; i < _entries; i++)
        {
            if (i + 1 < _entries && _keys[i + 1] >> SequenceBits == _keys[i] >> SequenceBits) continue; // a later row follows
            _keys[kept] = _keys[i];
            _names[kept++] = _names[i];
        }
        _entries = kept;
    }

    /// <summary>The organisation registered for the MAC's block, or null (unknown, or a locally administered address).</summary>
    public string? Lookup(ulong mac)
    {
        if (IsLocallyAdministered(mac)) return null;
        WaitForLoad();
        return Find(3, mac >> 12) ?? Find(2, mac >> 20) ?? Find(1, mac >> 24);
    }

    private string? Find(ulong sizeClass, ulong prefix)
    {
        ulong wanted = Key(sizeClass, prefix & ((1UL << 36) - 1));
        int lo = 0, hi = _entries - 1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >>> 1;
            ulong block = _keys[mid] >> SequenceBits << SequenceBits;
            if (block == wanted)
            {
                long name = _names[mid];
                return Encoding.UTF8.GetString(_text, (int)(name >> 16), (int)(name & 0xFFFF));
            }
            if (block < wanted) lo = mid + 1;
            else hi = mid - 1;
        }
        return null;
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
