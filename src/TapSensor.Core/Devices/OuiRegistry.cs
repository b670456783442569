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

    public static OuiRegistry Empty { get; } = new();

    public int Count => _l24.Count + _m28.Count + _s36.Count;

    /// <summary>Lines that were not a registry row (counted, not fatal).</summary>
    public int SkippedLines { get; private set; }

    /// <summary>Reads one IEEE CSV listing (header row, then Registry,Assignment,Organization Name,Organization Address).</summary>
    public void Load(TextReader csv)
    {
        string? line;
        bool header = true;
        while ((line = csv.ReadLine()) is not null)
        {
            if (header) { header = false; if (line.StartsWith("Registry", StringComparison.Ordinal)) continue; }
            if (!TryReadRow(line, out string assignment, out string organisation)) { SkippedLines++; continue; }
            if (!ulong.TryParse(assignment, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ulong prefix))
            {
                SkippedLines++;
                continue;
            }
            if (!_names.TryGetValue(organisation, out var name)) _names[organisation] = name = organisation;
            switch (assignment.Length)
            {
                case 6: _l24[prefix] = name; break;
                case 7: _m28[prefix] = name; break;
                case 9: _s36[prefix] = name; break;
                default: SkippedLines++; break;
            }
        }
    }

    /// <summary>The organisation registered for the MAC's block, or null (unknown, or a locally administered address).</summary>
    public string? Lookup(ulong mac)
    {
        if (IsLocallyAdministered(mac)) return null;
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

    /// <summary>Splits a CSV row of four fields, honouring double-quoted fields with "" escapes.</summary>
    private static bool TryReadRow(string line, out string assignment, out string organisation)
    {
        assignment = organisation = "";
        var fields = new List<string>(4);
        int i = 0;
        while (i <= line.Length && fields.Count < 4)
        {
            if (i < line.Length && line[i] == '"')
            {
                var sb = new System.Text.StringBuilder();
                i++;
                while (i < line.Length)
                {
                    if (line[i] == '"')
                    {
                        if (i + 1 < line.Length && line[i + 1] == '"') { sb.Append('"'); i += 2; continue; }
                        i++;
                        break;
                    }
                    sb.Append(line[i++]);
                }
                fields.Add(sb.ToString());
                if (i < line.Length && line[i] == ',') i++;
                else if (i >= line.Length) break;
            }
            else
            {
                int comma = line.IndexOf(',', i);
                if (comma < 0) { fields.Add(line[i..]); break; }
                fields.Add(line[i..comma]);
                i = comma + 1;
            }
        }
        if (fields.Count < 3 || fields[1].Length is not (6 or 7 or 9)) return false;
        assignment = fields[1];
        organisation = fields[2].Trim();
        return organisation.Length > 0;
    }
}
