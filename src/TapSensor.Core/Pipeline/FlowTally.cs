using TapSensor.Core.Flows;

namespace TapSensor.Core.Pipeline;

/// <summary>
/// Counts what the sinks received: final records by close reason, and per-address traffic for the
/// "top talkers" of the end-of-run summary. Runs on the aggregator thread (flow rate). The address table is
/// bounded: once full, new addresses are counted as untracked instead of growing it.
/// </summary>
internal sealed class FlowTally : IFlowRecordSink
{
    private readonly Dictionary<(ulong Hi, ulong Lo, byte Family), Talker> _talkers = new();
    private readonly long[] _byReason = new long[Enum.GetValues<CloseReason>().Length];
    private readonly int _maxAddresses;
    private long _finalRecords;
    private long _interimRecords;
    private long _untracked;
    private long _ipBytes;
    private long _packets;
    private long _named;
    private readonly long[] _byNameSource = new long[Enum.GetValues<RemoteNameSource>().Length];

    public FlowTally(int maxAddresses = 100_000) => _maxAddresses = maxAddresses;

    public long FinalRecords => Volatile.Read(ref _finalRecords);
    public long InterimRecords => Volatile.Read(ref _interimRecords);
    /// <summary>Sum of IP bytes over final records (both directions).</summary>
    public long IpBytes => Volatile.Read(ref _ipBytes);
    public long Packets => Volatile.Read(ref _packets);
    public long UntrackedAddresses => Volatile.Read(ref _untracked);

    public long ClosedBy(CloseReason reason) => Volatile.Read(ref _byReason[(int)reason]);

    /// <summary>Final records with a destination name.</summary>
    public long NamedFinalRecords => Volatile.Read(ref _named);

    /// <summary>Final records per name source (dns, tls_sni, ...), non-zero ones.</summary>
    public IReadOnlyDictionary<string, long> NamedBySource()
    {
        var result = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var source in Enum.GetValues<RemoteNameSource>())
        {
            long n = Volatile.Read(ref _byNameSource[(int)source]);
            if (n > 0 && RemoteNameSources.Name(source) is { } name) result[name] = n;
        }
        return result;
    }

    public void Write(ReadOnlySpan<FlowRecord> records)
    {
        foreach (ref readonly var r in records)
        {
            if (!r.IsFinal)
            {
                _interimRecords++;
                continue;
            }
            _finalRecords++;
            _byReason[(int)r.Reason]++;
            if (r.RemoteName is not null)
            {
                _named++;
                _byNameSource[(int)r.RemoteNameSource]++;
            }
            long bytes = r.OrigIpBytes + r.RespIpBytes;
            long packets = r.OrigPkts + r.RespPkts;
            _ipBytes += bytes;
            _packets += packets;
            Add(r.Key.AHi, r.Key.ALo, r.Key.Family, bytes, packets);
            Add(r.Key.BHi, r.Key.BLo, r.Key.Family, bytes, packets);
        }
    }

    private void Add(ulong hi, ulong lo, byte family, long bytes, long packets)
    {
        var key = (hi, lo, family);
        if (_talkers.TryGetValue(key, out var t))
        {
            t.Bytes += bytes;
            t.Packets += packets;
            t.Flows++;
            return;
        }
        if (_talkers.Count >= _maxAddresses)
        {
            _untracked++;
            return;
        }
        _talkers[key] = new Talker { Bytes = bytes, Packets = packets, Flows = 1 };
    }

    /// <summary>The addresses with the most IP bytes sent and received. Call after the run completed.</summary>
    public IReadOnlyList<TopTalker> TopTalkers(int count) =>
        _talkers
            .OrderByDescending(kv => kv.Value.Bytes)
            .ThenBy(kv => kv.Key.Hi).ThenBy(kv => kv.Key.Lo)
            .Take(count)
            .Select(kv => new TopTalker(FlowKey.ToAddress(kv.Key.Hi, kv.Key.Lo, kv.Key.Family).ToString(),
                kv.Value.Bytes, kv.Value.Packets, kv.Value.Flows))
            .ToList();

    public void Complete()
    {
    }

    private sealed class Talker
    {
        public long Bytes;
        public long Packets;
        public long Flows;
    }
}

internal sealed record TopTalker(string Address, long Bytes, long Packets, long Flows);
