using System.Text;

namespace TapSensor.Geo.Sources;

/// <summary>
/// IP ranges to autonomous systems, held compactly: per family, parallel arrays of range starts, range ends and an
/// index into a deduplicated provider table (ASN plus an index into one UTF-8 blob of organisation names). Ranges
/// are disjoint and sorted, so a lookup is one binary search for the last start not above the address, then a
/// check of that range's end. <see cref="GeoProvider"/> objects are made on first use, one per provider, so two
/// addresses of one network share the instance. Built by <see cref="AsnRangeTableBuilder"/>.
/// </summary>
internal sealed class AsnRangeTable
{
    private readonly uint[] _v4Starts;
    private readonly uint[] _v4Ends;
    private readonly int[] _v4Providers;
    private readonly UInt128[] _v6Starts;
    private readonly UInt128[] _v6Ends;
    private readonly int[] _v6Providers;
    private readonly uint[] _providerAsns;
    private readonly int[] _providerOrgs;
    private readonly byte[] _orgText;
    private readonly int[] _orgOffsets;
    private readonly GeoProvider?[] _made;

    internal AsnRangeTable(uint[] v4Starts, uint[] v4Ends, int[] v4Providers, UInt128[] v6Starts, UInt128[] v6Ends, int[] v6Providers,
        uint[] providerAsns, int[] providerOrgs, byte[] orgText, int[] orgOffsets)
    {
        _v4Starts = v4Starts; _v4Ends = v4Ends; _v4Providers = v4Providers;
        _v6Starts = v6Starts; _v6Ends = v6Ends; _v6Providers = v6Providers;
        _providerAsns = providerAsns; _providerOrgs = providerOrgs;
        _orgText = orgText; _orgOffsets = orgOffsets;
        _made = new GeoProvider?[providerAsns.Length];
    }

    public int V4Ranges => _v4Starts.Length;
    public int V6Ranges => _v6Starts.Length;
    public int Providers => _providerAsns.Length;
    public int Organisations => _orgOffsets.Length - 1;

    /// <summary>Bytes of the arrays this table holds (array headers aside), including the provider slots.</summary>
    public long MemoryBytes =>
        (long)_v4Starts.Length * (sizeof(uint) * 2 + sizeof(int))
        + (long)_v6Starts.Length * (16 * 2 + sizeof(int))
        + (long)_providerAsns.Length * (sizeof(uint) + sizeof(int) + IntPtr.Size)
        + _orgText.Length + (long)_orgOffsets.Length * sizeof(int);

    /// <summary>Looks up an address in the flow-key form; IPv4 must be IPv4-mapped (::ffff:a.b.c.d).</summary>
    public GeoProvider? Find(ulong hi, ulong lo, bool isV4) =>
        isV4 ? FindV4((uint)lo) : FindV6(new UInt128(hi, lo));

    public GeoProvider? FindV4(uint address)
    {
        int i = LastAtOrBelow(_v4Starts, address);
        return i >= 0 && address <= _v4Ends[i] ? Provider(_v4Providers[i]) : null;
    }

    public GeoProvider? FindV6(UInt128 address)
    {
        int i = LastAtOrBelow(_v6Starts, address);
        return i >= 0 && address <= _v6Ends[i] ? Provider(_v6Providers[i]) : null;
    }

    /// <summary>Index of the last start that is &lt;= value, or -1.</summary>
    private static int LastAtOrBelow<T>(T[] starts, T value) where T : IComparable<T>
    {
        int lo = 0, hi = starts.Length - 1;
        while (lo <= hi)
        {
            int mid = lo + ((hi - lo) >> 1);
            if (starts[mid].CompareTo(value) <= 0) lo = mid + 1;
            else hi = mid - 1;
        }
        return hi;
    }

    private GeoProvider? Provider(int index)
    {
        var made = Volatile.Read(ref _made[index]);
        if (made is not null) return made;
        uint asn = _providerAsns[index];
        if (asn == 0) return null; // AS0: "not routed" (RFC 7607), no provider to name
        int org = _providerOrgs[index];
        string? name = org < 0 ? null : Encoding.UTF8.GetString(_orgText, _orgOffsets[org], _orgOffsets[org + 1] - _orgOffsets[org]);
        var fresh = new GeoProvider(asn, name);
        return Interlocked.CompareExchange(ref _made[index], fresh, null) ?? fresh;
    }
}
