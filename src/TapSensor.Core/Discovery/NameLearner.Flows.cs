using System.Buffers;
using TapSensor.Core.Flows;
using TapSensor.Core.Names;
using TapSensor.Core.Packets;

namespace TapSensor.Core.Discovery;

/// <summary>The flow-naming half: the server name a client put in its first bytes (TLS and QUIC SNI, HTTP Host).</summary>
internal sealed partial class NameLearner
{
    /// <summary>Client payloads offered to the parsers per flow before giving up.</summary>
    public const int MaxProbes = 8;

    /// <summary>Flows whose hello is being joined from several packets, at most.</summary>
    public const int MaxPending = 4096;

    /// <summary>Bytes joined per flow at most (a ClientHello with post-quantum key shares is ~2 KB; 16 KB is the TLS limit).</summary>
    public const int MaxJoined = 16 * 1024;

    private const int MaxInterned = 16 * 1024;
    /// <summary>First size of a join buffer; it grows to <see cref="MaxJoined"/> only for larger hellos.</summary>
    private const int InitialJoin = 4096;
    /// <summary>QUIC assemblies kept for reuse (each may hold a 16 KiB CRYPTO buffer).</summary>
    private const int MaxSpareAssemblies = 64;
    private static readonly long PendingLifetimeNs = TimeSpan.FromSeconds(30).Ticks * 100;

    private readonly Dictionary<FlowKey, Pending> _pending = [];
    private readonly NamePool _interned = new(MaxInterned);
    private QuicInitialParser? _quic;
    private readonly Stack<QuicCryptoAssembly> _spareAssemblies = new();
    private QuicCryptoAssembly _scratch = new();
    private long _lastSweepNs;

    private sealed class Pending
    {
        public byte[]? Stream;
        public int Length;
        public QuicCryptoAssembly? Quic;
        public long TouchedNs;
    }

    public int PendingFlows => _pending.Count;

    private void FlowName(in PacketSummary packet, ReadOnlySpan<byte> payload, ref FlowEntry entry)
    {
        if (entry.RemoteName is not null || entry.NameProbes >= MaxProbes) return;
        if (packet.SrcIsA != entry.OrigIsA) return; // names are in what the client sends
        entry.NameProbes++;
        if (packet.Key.Protocol == Udp) Quic(in packet, payload, ref entry);
        else Stream(in packet, payload, ref entry);
    }

    private void Stream(in PacketSummary packet, ReadOnlySpan<byte> payload, ref FlowEntry entry)
    {
        _pending.TryGetValue(packet.Key, out var pending);
        ReadOnlySpan<byte> data = payload;
        if (pending?.Stream is not null)
        {
            Append(pending, payload);
            pending.TouchedNs = packet.TimestampNs;
            data = pending.Stream.AsSpan(0, pending.Length);
        }

        bool tls = data[0] == 0x16;
        NameParse result;
        ReadOnlySpan<byte> name;
        if (tls) result = TlsClientHello.TryGetServerName(data, out name, out _);
        else result = HttpRequestHost.TryGetHost(data, out name);

        switch (result)
        {
            case NameParse.Found when HostNames.IsPlausible(name):
                Name(ref entry, name, tls ? RemoteNameSource.TlsSni : RemoteNameSource.HttpHost, tls ? AppProtocol.Tls : AppProtocol.Http);
                Counters.Add(tls ? NameEvent.TlsSni : NameEvent.HttpHost);
                break;
            case NameParse.Found:
            case NameParse.NotFound:
                entry.App = tls ? AppProtocol.Tls : AppProtocol.Http;
                entry.NameProbes = MaxProbes;
                Counters.Add(tls ? NameEvent.TlsNoSni : NameEvent.HttpNoHost);
                break;
            case NameParse.Malformed:
                entry.NameProbes = MaxProbes;
                if (tls) Counters.Add(NameEvent.TlsMalformed);
                break;
            case NameParse.NeedMore:
                entry.App = tls ? AppProtocol.Tls : AppProtocol.Http;
                if (packet.PayloadKept < packet.PayloadLength)
                {
                    // The snap length (or the copy limit) cut this segment: what follows cannot be joined to it.
                    entry.NameProbes = MaxProbes;
                    Counters.Add(NameNeedMoreEvent(tls));
                    break;
                }
                if (pending is null) StartJoining(in packet, payload);
                else if (pending.Length == MaxJoined) { Drop(packet.Key); entry.NameProbes = MaxProbes; }
                if (entry.NameProbes >= MaxProbes) Counters.Add(NameNeedMoreEvent(tls));
                return; // keep the pending bytes
        }
        if (pending is not null) Drop(packet.Key);
    }

    private static NameEvent NameNeedMoreEvent(bool tls) => tls ? NameEvent.TlsPartial : NameEvent.HttpNoHost;

    private void StartJoining(in PacketSummary packet, ReadOnlySpan<byte> first)
    {
        if (_pending.Count >= MaxPending)
        {
            Counters.Add(NameEvent.ReassemblyDropped);
            return;
        }
        var pending = new Pending { Stream = ArrayPool<byte>.Shared.Rent(InitialJoin), TouchedNs = packet.TimestampNs };
        Append(pending, first);
        _pending[packet.Key] = pending;
    }

    /// <summary>Adds bytes to a join, growing its pooled buffer up to <see cref="MaxJoined"/>; the rest is dropped.</summary>
    private static void Append(Pending pending, ReadOnlySpan<byte> bytes)
    {
        int wanted = Math.Min(pending.Length + bytes.Length, MaxJoined);
        if (wanted > pending.Stream!.Length)
        {
            var larger = ArrayPool<byte>.Shared.Rent(Math.Min(Math.Max(wanted, pending.Stream.Length * 2), MaxJoined));
            pending.Stream.AsSpan(0, pending.Length).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(pending.Stream);
            pending.Stream = larger;
        }
        int n = Math.Min(bytes.Length, Math.Min(pending.Stream.Length, MaxJoined) - pending.Length);
        bytes[..n].CopyTo(pending.Stream.AsSpan(pending.Length));
        pending.Length += n;
    }

    private void Quic(in PacketSummary packet, ReadOnlySpan<byte> payload, ref FlowEntry entry)
    {
        _quic ??= new QuicInitialParser();
        _pending.TryGetValue(packet.Key, out var pending);
        var assembly = pending?.Quic;
        if (assembly is null)
        {
            assembly = _scratch;
            assembly.Reset();
        }
        var result = _quic.TryGetServerName(payload, assembly, out var name);
        switch (result)
        {
            case NameParse.Found when HostNames.IsPlausible(name):
                Name(ref entry, name, RemoteNameSource.QuicSni, AppProtocol.Quic);
                Counters.Add(NameEvent.QuicSni);
                break;
            case NameParse.Found:
            case NameParse.NotFound:
                entry.App = AppProtocol.Quic;
                entry.NameProbes = MaxProbes;
                Counters.Add(NameEvent.QuicNoSni);
                break;
            case NameParse.Malformed:
                Counters.Add(NameEvent.QuicUndecryptable);
                break;
            case NameParse.NeedMore:
                entry.App = AppProtocol.Quic;
                if (pending is null)
                {
                    if (_pending.Count >= MaxPending) { Counters.Add(NameEvent.ReassemblyDropped); return; }
                    // The scratch assembly now holds this connection's first CRYPTO bytes: it becomes the flow's.
                    _pending[packet.Key] = new Pending { Quic = assembly, TouchedNs = packet.TimestampNs };
                    _scratch = _spareAssemblies.Count > 0 ? _spareAssemblies.Pop() : new QuicCryptoAssembly();
                }
                else pending.TouchedNs = packet.TimestampNs;
                if (entry.NameProbes >= MaxProbes) Counters.Add(NameEvent.QuicPartial);
                return;
        }
        if (pending is not null) Drop(packet.Key);
    }

    private void Name(ref FlowEntry entry, ReadOnlySpan<byte> name, RemoteNameSource source, AppProtocol app)
    {
        entry.RemoteName = Intern(name);
        entry.NameSource = source;
        entry.App = app;
    }

    /// <summary>One string per distinct name per worker, so a thousand flows to one CDN name share it.</summary>
    private string Intern(ReadOnlySpan<byte> name)
    {
        // Names here passed HostNames.IsPlausible: at most 253 bytes after the trailing dot.
        Span<char> chars = stackalloc char[HostNames.MaxLength];
        return _interned.Get(chars[..HostNames.ToLower(name, chars)]);
    }

    private void Drop(in FlowKey key)
    {
        if (_pending.Remove(key, out var p)) Release(p);
    }

    /// <summary>Gives a finished join's buffer back to the pool and keeps its QUIC assembly for the next connection.</summary>
    private void Release(Pending p)
    {
        if (p.Stream is { } stream)
        {
            p.Stream = null;
            ArrayPool<byte>.Shared.Return(stream);
        }
        if (p.Quic is { } q && _spareAssemblies.Count < MaxSpareAssemblies)
        {
            q.Reset();
            _spareAssemblies.Push(q);
        }
    }

    /// <summary>Forgets joins that stalled (the flow ended or the rest never came). Called per batch; sweeps every few seconds of packet time.</summary>
    public void Tick(long nowNs)
    {
        if (_pending.Count == 0 || nowNs - _lastSweepNs < PendingLifetimeNs / 4) return;
        _lastSweepNs = nowNs;
        foreach (var (key, p) in _pending)
        {
            if (nowNs - p.TouchedNs > PendingLifetimeNs && _pending.Remove(key)) Release(p);
        }
    }

    public void Dispose() => _quic?.Dispose();
}
