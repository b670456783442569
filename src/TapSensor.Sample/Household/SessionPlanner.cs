namespace TapSensor.Sample.Household;

/// <summary>
/// Plans the sessions of a capture before any packet is written, so the totals come out right: it draws
/// <see cref="HouseholdOptions.Flows"/> conversations with heavy-tailed volumes (bounded Pareto: most sessions a
/// few packets, a few carrying most of the bytes), then finds the one volume scale at which the planned packets
/// just exceed the target, spreads start times over the duration in bursts, and picks each dual-stack session's
/// address family so the IPv6 share of packets tracks the target.
/// </summary>
internal sealed class SessionPlanner
{
    /// <summary>Plans overshoot the packet target a little so the capture ends mid-traffic, not in a lull.</summary>
    private const double Overshoot = 1.03;
    /// <summary>Seconds between keep-alive exchanges of persistent connections.</summary>
    private const double KeepAliveSeconds = 40;

    private readonly HouseholdModel _model;
    private readonly SampleRandom _random;
    private readonly double _ipv6Share;
    private readonly double _cap;
    private readonly long _durationMicros;
    private double _scale = 1;
    private int _burstDevice = -1;
    private double _plannedPackets;
    private double _plannedIpv6;
    private double _meanGapMicros;
    private long _lastStart;

    public SessionPlanner(HouseholdModel model, SampleRandom random, HouseholdOptions options, long firstSessionMicros)
    {
        _model = model;
        _random = random;
        _ipv6Share = options.Ipv6Share;
        _durationMicros = options.EffectiveDuration.Ticks / 10;
        // No single session may carry more than 2.5 % of the capture, so one draw cannot swamp a small sample.
        _cap = Math.Max(500, options.Packets / 40.0 / 1.5);
        FirstSessionMicros = firstSessionMicros;
    }

    public long FirstSessionMicros { get; }

    /// <summary>Builds the plan, sorted by start time.</summary>
    public List<SessionPlan> Plan(long flowTarget, long packetTarget, long chatterPackets)
    {
        var plans = new List<SessionPlan>();
        long flows = 0;

        // Persistent connections: each device opens its cloud connections shortly after joining.
        for (int d = 0; d < _model.Devices.Length; d++)
        {
            for (int s = 0; s < _model.Services.Length && flows < flowTarget; s++)
            {
                RemoteService service = _model.Services[s];
                if (service.Size != SizeClass.Persistent || !service.Serves(_model.Devices[d].Profile))
                    continue;
                var plan = new SessionPlan
                {
                    StartMicros = FirstSessionMicros + _random.Micros(0, 5_000_000),
                    Device = d,
                    Service = s,
                    WithDns = true,
                    Exchanges = 1 + (int)(_durationMicros / 1e6 / KeepAliveSeconds),
                    Ending = SessionEnding.LeftOpen,
                };
                plans.Add(plan);
                flows += 2;
            }
        }
        int persistent = plans.Count;

        var gaps = new List<double>();
        while (flows < flowTarget)
        {
            if (!TryDraw(out SessionPlan plan, out double gap))
                break;
            plans.Add(plan);
            gaps.Add(gap);
            flows += plan.WithDns ? 2 : 1;
        }

        // Start times: rescale the drawn gaps so the sessions fill the duration.
        double sum = 0;
        foreach (double g in gaps)
            sum += g;
        double factor = sum > 0 ? _durationMicros / sum : 0;
        _meanGapMicros = gaps.Count > 0 ? _durationMicros / (double)gaps.Count : _durationMicros;
        double t = FirstSessionMicros;
        for (int i = 0; i < gaps.Count; i++)
        {
            t += gaps[i] * factor;
            SessionPlan p = plans[persistent + i];
            p.StartMicros = (long)t;
            plans[persistent + i] = p;
        }
        _lastStart = (long)t;

        _scale = SolveScale(plans, Math.Max(0, packetTarget * Overshoot - chatterPackets));
        plans.Sort((a, b) => a.StartMicros.CompareTo(b.StartMicros));
        for (int i = 0; i < plans.Count; i++)
        {
            SessionPlan p = plans[i];
            Finalise(ref p);
            plans[i] = p;
        }
        return plans;
    }

    /// <summary>One more session after the plan ran out (only when actual traffic fell short of the estimate).</summary>
    public SessionPlan Extra()
    {
        SessionPlan plan;
        double gap;
        while (!TryDraw(out plan, out gap))
        {
        }
        _lastStart += (long)Math.Max(1, _random.Exponential(_meanGapMicros));
        plan.StartMicros = _lastStart;
        Finalise(ref plan);
        return plan;
    }

    private bool TryDraw(out SessionPlan plan, out double gap)
    {
        plan = default;
        // Sessions come in bursts: an app or page opens several connections at once, from one device.
        bool sameBurst = _burstDevice >= 0 && _random.Chance(0.55);
        gap = sameBurst ? _random.Exponential(0.05) : _random.Exponential(1.0);
        int device = sameBurst ? _burstDevice : _model.PickDevice(_random);
        _burstDevice = device;
        int service = _model.PickService(device, _random);
        if (service < 0)
        {
            _burstDevice = -1;
            return false;
        }
        RemoteService s = _model.Services[service];
        plan.Device = device;
        plan.Service = service;
        plan.WithDns = _random.Chance(s.Protocol is ServiceProtocol.Ntp or ServiceProtocol.Ping ? 0.8 : 0.7);
        plan.RawUnits = s.Size switch
        {
            SizeClass.Tiny => _random.BoundedPareto(1.4, 1, 40),
            SizeClass.Web => _random.BoundedPareto(1.1, 3, _cap),
            SizeClass.Media => _random.BoundedPareto(0.9, 40, _cap),
            SizeClass.Download => _random.BoundedPareto(0.8, 60, _cap),
            SizeClass.Upload => _random.BoundedPareto(1.0, 20, _cap),
            _ => 0,
        };
        plan.Exchanges = s.Size switch
        {
            SizeClass.Tiny => 1 + Geometric(0.5, 3),
            SizeClass.Web => 1 + Geometric(0.35, 11),
            SizeClass.Upload => 1 + Geometric(0.6, 2),
            SizeClass.Download => 1 + Geometric(0.7, 1),
            _ => 1,
        };
        double ending = _random.NextDouble();
        plan.Ending = s.Protocol == ServiceProtocol.Quic
            ? (ending < 0.35 ? SessionEnding.ClientFin : SessionEnding.LeftOpen)
            : ending switch
            {
                < 0.45 => SessionEnding.ClientFin,
                < 0.75 => SessionEnding.ServerFin,
                < 0.87 => SessionEnding.Reset,
                _ => SessionEnding.LeftOpen,
            };
        plan.PingCount = _random.Between(3, 10);
        return true;
    }

    private int Geometric(double p, int max)
    {
        int n = 0;
        while (n < max && !_random.Chance(p))
            n++;
        return n;
    }

    private long ScaledUnits(in SessionPlan plan, double scale)
    {
        if (plan.RawUnits <= 0)
            return 0;
        return Math.Max(1, (long)Math.Round(Math.Min(plan.RawUnits * scale, _cap)));
    }

    /// <summary>Packets a session will write, counted the way the emitters write them (one ACK per two segments).</summary>
    private double PredictPackets(in SessionPlan plan, long units)
    {
        RemoteService s = _model.Services[plan.Service];
        double dns = plan.WithDns ? 2 : 0;
        double teardown = plan.Ending switch
        {
            SessionEnding.ClientFin or SessionEnding.ServerFin => 3,
            SessionEnding.Reset => 1,
            _ => 0,
        };
        return dns + s.Protocol switch
        {
            ServiceProtocol.Ntp => 2,
            ServiceProtocol.Ping => 2 * plan.PingCount,
            ServiceProtocol.Quic => 4 + (plan.Exchanges * 2) + (1.5 * units) + (teardown > 0 ? 1 : 0),
            ServiceProtocol.Tls when s.Size == SizeClass.Persistent => 3 + (plan.Exchanges * 3),
            ServiceProtocol.Tls => 3 + 6 + (plan.Exchanges * 2) + (1.5 * units) + teardown,
            _ => 3 + (plan.Exchanges * 2) + (1.5 * units) + teardown,
        };
    }

    /// <summary>Bisects the volume scale in log space: planned packets grow monotonically with it.</summary>
    private double SolveScale(List<SessionPlan> plans, double target)
    {
        double low = Math.Log(1e-3), high = Math.Log(1e3);
        for (int iteration = 0; iteration < 40; iteration++)
        {
            double mid = (low + high) / 2;
            double scale = Math.Exp(mid);
            double total = 0;
            foreach (SessionPlan p in plans)
                total += PredictPackets(p, ScaledUnits(p, scale));
            if (total < target)
                low = mid;
            else
                high = mid;
        }
        return Math.Exp(high);
    }

    /// <summary>Fixes the volume and chooses the family (greedy towards the IPv6 share, in start order).</summary>
    private void Finalise(ref SessionPlan plan)
    {
        plan.Units = ScaledUnits(plan, _scale);
        double packets = PredictPackets(plan, plan.Units);
        RemoteService s = _model.Services[plan.Service];
        bool capable = _model.Devices[plan.Device].Ipv6 && s.V6.Length > 0;
        double total = _plannedPackets + packets;
        plan.Ipv6 = capable &&
            Math.Abs(((_plannedIpv6 + packets) / total) - _ipv6Share) < Math.Abs((_plannedIpv6 / total) - _ipv6Share);
        _plannedPackets = total;
        if (plan.Ipv6)
            _plannedIpv6 += packets;
        if (s.Size == SizeClass.Media)
        {
            // Streams fetch segments every few seconds: one exchange per ~250 full-size segments.
            plan.Exchanges = (int)Math.Clamp(plan.Units / 250, 1, 200);
        }
        else if (s.Size != SizeClass.Persistent)
        {
            plan.Exchanges = (int)Math.Max(1, Math.Min(plan.Exchanges, plan.Units));
        }
    }
}
