namespace TapSensor.Core.Decoding;

/// <summary>
/// Counters of one <see cref="PacketDecoder"/>: one per <see cref="DecodeStatus"/> (they sum to the frames decoded)
/// and one per <see cref="DecodeNote"/>. The capture thread is the only writer and increments plain fields; the
/// stats reporter reads them with <see cref="Volatile.Read(ref long)"/>, so no interlocked operation sits on the
/// packet path.
/// </summary>
internal sealed class DecodeCounters
{
    private readonly long[] _statuses = new long[DecodeStatusNames.Count];
    private readonly long[] _notes = new long[DecodeNoteNames.Count];

    internal void Add(DecodeStatus status) => _statuses[(int)status]++;

    internal void Add(DecodeNote note) => _notes[(int)note]++;

    public long Read(DecodeStatus status) => Volatile.Read(ref _statuses[(int)status]);

    public long Read(DecodeNote note) => Volatile.Read(ref _notes[(int)note]);

    /// <summary>Frames decoded so far: the sum of the status counters.</summary>
    public long Frames
    {
        get
        {
            long sum = 0;
            for (int i = 0; i < DecodeStatusNames.Count; i++) sum += Volatile.Read(ref _statuses[i]);
            return sum;
        }
    }

    /// <summary>Frames that failed to decode: the sum of the counters of every error status.</summary>
    public long Errors
    {
        get
        {
            long sum = 0;
            for (int i = 0; i < DecodeStatusNames.Count; i++)
                if (DecodeStatusNames.IsError((DecodeStatus)i)) sum += Volatile.Read(ref _statuses[i]);
            return sum;
        }
    }
}
