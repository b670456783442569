using TapSensor.Sample.Wire;

namespace TapSensor.Sample.Household;

/// <summary>
/// Runs one household capture: devices join first, then planned sessions start on schedule, and every active
/// conversation waits in a priority queue keyed by the time of its next packet. Popping the earliest flow and
/// letting it write one packet interleaves thousands of conversations in time order without any per-packet object.
/// </summary>
internal sealed class HouseholdGenerator : IDisposable
{
    private readonly HouseholdOptions _options;
    private readonly SampleRandom _random;
    private readonly HouseholdModel _model;
    private readonly PcapFileWriter _writer;
    private readonly FrameContext _ctx;
    private readonly TcpSessionEmitter _tcp;
    private readonly QuicSessionEmitter _quic;
    private readonly ShortExchangeEmitter _short;
    private readonly LinkEmitter _link;
    private readonly PriorityQueue<int, long> _queue = new(4096);
    private FlowState[] _flows = new FlowState[4096];
    private int[] _free = new int[4096];
    private int _freeCount;
    private int _used;
    private long _tcpFlows;
    private long _udpFlows;
    private long _icmpFlows;

    public HouseholdGenerator(Stream output, HouseholdOptions options)
    {
        _options = options;
        _random = new SampleRandom(options.Seed);
        _model = new HouseholdModel(options, _random);
        _writer = new PcapFileWriter(output, options.SnapLength);
        _ctx = new FrameContext(_writer, _random, _model, PcapFileWriter.ToUnixMicros(options.StartTime));
        _tcp = new TcpSessionEmitter(_ctx);
        _quic = new QuicSessionEmitter(_ctx);
        _short = new ShortExchangeEmitter(_ctx);
        _link = new LinkEmitter(_ctx);
    }

    public SampleStats Run()
    {
        // Devices join one after another, as after a router restart, each starting with DHCP.
        long join = 0;
        for (int d = 0; d < _model.Devices.Length; d++)
        {
            int slot = Allocate();
            _flows[slot] = new FlowState { Kind = FlowKind.Link, Device = d, Counted = true };
            _queue.Enqueue(slot, join);
            join += _random.Micros(80_000, 250_000);
        }

        var planner = new SessionPlanner(_model, _random, _options, join + 500_000);
        double durationSeconds = _options.EffectiveDuration.TotalSeconds;
        long chatter = (long)(_model.Devices.Length * (8 + (durationSeconds / 60 * 1.7)));
        List<SessionPlan> plans = planner.Plan(_options.EffectiveFlows, _options.Packets, chatter);
        int nextPlan = 0;
        SessionPlan pending = nextPlan < plans.Count ? plans[nextPlan++] : planner.Extra();

        while (_writer.Packets < _options.Packets)
        {
            long flowTime = _queue.TryPeek(out _, out long t) ? t : long.MaxValue;
            if (pending.StartMicros <= flowTime)
            {
                Start(pending);
                pending = nextPlan < plans.Count ? plans[nextPlan++] : planner.Extra();
                continue;
            }
            int current = _queue.Dequeue();
            long before = _writer.Packets;
            long next = Emit(ref _flows[current], flowTime);
            if (!_flows[current].Counted && _writer.Packets > before)
                Count(ref _flows[current]);
            if (next >= 0)
                _queue.Enqueue(current, next);
            else
                Release(current);
        }
        _writer.Flush();

        long tcp = _tcpFlows, udp = _udpFlows, icmp = _icmpFlows;
        return new SampleStats(_writer.Packets, _writer.Bytes, tcp + udp + icmp, _writer.Ipv6Packets, tcp, udp, icmp,
            TimeSpan.FromTicks((_writer.LastMicros - Math.Max(0, _writer.FirstMicros)) * 10));
    }

    private long Emit(ref FlowState f, long now) => f.Kind switch
    {
        FlowKind.Tcp => _tcp.Emit(ref f, now),
        FlowKind.Quic => _quic.Emit(ref f, now),
        FlowKind.Link => _link.Emit(ref f, now),
        _ => _short.Emit(ref f, now),
    };

    private void Start(in SessionPlan plan)
    {
        Device d = _model.Devices[plan.Device];
        RemoteService s = _model.Services[plan.Service];
        int addressIndex = _random.Below(plan.Ipv6 ? s.V6.Length : s.V4.Length);
        long t = plan.StartMicros;

        if (plan.WithDns)
        {
            int slot = Allocate();
            ref FlowState dns = ref _flows[slot];
            dns = default;
            dns.Kind = FlowKind.Dns;
            Common(ref dns, plan, d, addressIndex, t);
            dns.ServerPort = 53;
            dns.DnsId = _random.NextUInt16();
            if (d.Profile.PublicDns)
            {
                dns.RemoteV4 = HouseholdModel.GoogleDnsV4;
                dns.RemoteV6 = HouseholdModel.GoogleDnsV6;
                dns.RemoteTtl = 117;
                dns.RttMicros = _random.Micros(8_000, 25_000);
            }
            else
            {
                // The router's forwarder answers from its cache or after asking upstream.
                dns.RemoteV4 = HouseholdModel.RouterV4;
                dns.RemoteV6 = _model.RouterGlobal;
                dns.RemoteTtl = 64;
                dns.RttMicros = _random.Chance(0.6) ? _random.Micros(300, 2_000) : _random.Micros(10_000, 40_000);
            }
            _queue.Enqueue(slot, t);
            t += dns.RttMicros + _random.Micros(200, 3_000);
        }

        int main = Allocate();
        ref FlowState f = ref _flows[main];
        f = default;
        Common(ref f, plan, d, addressIndex, t);
        f.RemoteV4 = plan.Ipv6 ? 0 : s.V4[addressIndex];
        f.RemoteV6 = plan.Ipv6 ? s.V6[addressIndex] : default;
        f.RemoteTtl = s.Ttl;
        f.ServerPort = s.Port;
        f.RttMicros = RoundTrip(s);
        f.Secret = _random.NextUInt64();
        switch (s.Protocol)
        {
            case ServiceProtocol.Tls:
            case ServiceProtocol.Http:
                _tcp.Open(ref f, plan);
                break;
            case ServiceProtocol.Quic:
                _quic.Open(ref f, plan);
                break;
            case ServiceProtocol.Ntp:
                f.Kind = FlowKind.Ntp;
                break;
            default:
                f.Kind = FlowKind.Ping;
                f.ClientPort = _random.NextUInt16(); // the echo identifier
                f.Counter = plan.PingCount;
                break;
        }
        _queue.Enqueue(main, t);
    }

    private void Common(ref FlowState f, in SessionPlan plan, Device d, int addressIndex, long start)
    {
        f.Device = plan.Device;
        f.Service = plan.Service;
        f.AddressIndex = addressIndex;
        f.Ipv6 = plan.Ipv6;
        f.ClientPort = d.NextPort();
        f.ClientIpId = _random.NextUInt16();
        f.ServerIpId = _random.NextUInt16();
        f.FlowLabel = _random.NextUInt32() & 0xF_FFFF;
        f.StartMicros = start;
    }

    /// <summary>Round trip from the LAN by how far away the service is (its arriving TTL hints at the hop count).</summary>
    private long RoundTrip(RemoteService s)
    {
        double median = s.Ttl switch
        {
            < 50 => 260_000,
            < 55 => 40_000,
            _ => 18_000,
        };
        return Math.Max(2_000, (long)_random.LogNormal(median, 0.3));
    }

    private void Count(ref FlowState f)
    {
        f.Counted = true;
        switch (f.Kind)
        {
            case FlowKind.Tcp:
                _tcpFlows++;
                break;
            case FlowKind.Ping:
                _icmpFlows++;
                break;
            default:
                _udpFlows++;
                break;
        }
    }

    private int Allocate()
    {
        if (_freeCount > 0)
            return _free[--_freeCount];
        if (_used == _flows.Length)
            Array.Resize(ref _flows, _flows.Length * 2);
        return _used++;
    }

    private void Release(int slot)
    {
        if (_freeCount == _free.Length)
            Array.Resize(ref _free, _free.Length * 2);
        _free[_freeCount++] = slot;
    }

    public void Dispose() => _ctx.Dispose();
}
