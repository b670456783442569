namespace TapSensor.Core.Flows;

/// <summary>
/// Flow table settings (configuration section <c>Flows</c>). All times are packet time. The timeouts
/// follow Zeek, which watches the same kind of traffic (zeek/zeek scripts/base/init-bare.zeek); the
/// emergency values are Suricata's built-in ones (OISF/suricata src/flow-private.h).
/// </summary>
internal sealed class FlowTableOptions
{
    public const string SectionName = "Flows";

    /// <summary>Bound on concurrent flows, split evenly across shards (ceil(MaxFlows / shards) each).</summary>
    public int MaxFlows { get; set; } = 250_000;

    /// <summary>
    /// Flows a shard's table is sized for at start; it doubles as needed up to its bound, so a household
    /// capture never pays for the full 250 000-flow table (4 096 flows ≈ 0.9 MiB per shard).
    /// </summary>
    public int InitialFlowsPerShard { get; set; } = 4096;

    /// <summary>Idle timeout of an established TCP connection: Zeek's tcp_inactivity_timeout (5 min).</summary>
    public TimeSpan TcpEstablishedIdle { get; set; } = TimeSpan.FromSeconds(300);

    /// <summary>Wait after both FINs or a RST before the final record, for stragglers: Zeek's tcp_close_delay and tcp_reset_delay (5 s).</summary>
    public TimeSpan TcpClosedLinger { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Idle timeout of a TCP flow that has not completed its handshake, or was joined mid-stream and has
    /// seen one side only: Suricata's tcp new-timeout (30 s); Zeek's tcp_attempt_delay is 5 s.
    /// </summary>
    public TimeSpan TcpNotEstablished { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Zeek's udp_inactivity_timeout (1 min).</summary>
    public TimeSpan UdpIdle { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>ICMP and other protocols: Zeek's icmp_inactivity_timeout and unknown_ip_inactivity_timeout (1 min).</summary>
    public TimeSpan OtherIdle { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Interim reports (close reason none) of flows that changed, once per interval of packet time, aligned
    /// to multiples of the interval so series buckets line up.
    /// </summary>
    public TimeSpan ReportInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>A record older than this ends with reason active at the flow's next packet, which starts the next record.</summary>
    public TimeSpan ActiveTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Packet time one full pass of the expiry sweep takes (Suricata aims at one pass a second, src/flow-manager.c GetWorkUnitSizing).</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Full pass in emergency mode (Suricata's flow manager wakes every 250 ms in emergency and walks the whole hash).</summary>
    public TimeSpan EmergencySweepInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>A shard enters emergency mode above this share of its bound.</summary>
    public int EmergencyEnterPercent { get; set; } = 90;

    /// <summary>... and leaves it after <see cref="EmergencyRecoveryPasses"/> consecutive sweep passes below this share.</summary>
    public int EmergencyExitPercent { get; set; } = 70;

    /// <summary>Suricata leaves emergency after 30 consecutive checks above its recovery level (src/flow-manager.c).</summary>
    public int EmergencyRecoveryPasses { get; set; } = 30;

    /// <summary>Emergency idle timeout of established TCP, and of UDP/other flows seen both ways: FLOW_IPPROTO_TCP_EMERG_EST_TIMEOUT (100 s).</summary>
    public TimeSpan EmergencyEstablishedIdle { get; set; } = TimeSpan.FromSeconds(100);

    /// <summary>Emergency timeout of unestablished TCP and one-way UDP/other flows: FLOW_IPPROTO_TCP_EMERG_NEW_TIMEOUT (10 s).</summary>
    public TimeSpan EmergencyNew { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Emergency linger after FIN/RST: FLOW_IPPROTO_TCP_EMERG_CLOSED_TIMEOUT (5 s).</summary>
    public TimeSpan EmergencyClosedLinger { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Largest accepted <see cref="MaxFlows"/>: about 2 GiB of tables at 224 bytes per flow.</summary>
    public const int MaxFlowsLimit = 10_000_000;

    /// <summary>Problems with the settings, each naming its configuration path; empty when valid. Start-up only.</summary>
    public IEnumerable<string> Validate()
    {
        var errors = new List<string>();
        if (MaxFlows < 1024)
            errors.Add($"{SectionName}:MaxFlows must be at least 1024; got {MaxFlows}");
        else if (MaxFlows > MaxFlowsLimit)
            errors.Add($"{SectionName}:MaxFlows must be at most {MaxFlowsLimit}; got {MaxFlows}");
        if (InitialFlowsPerShard < 16 || InitialFlowsPerShard > MaxFlowsLimit)
            errors.Add($"{SectionName}:InitialFlowsPerShard must be between 16 and {MaxFlowsLimit}; got {InitialFlowsPerShard}");

        var second = TimeSpan.FromSeconds(1);
        var day = TimeSpan.FromDays(1);
        Range(errors, nameof(TcpEstablishedIdle), TcpEstablishedIdle, second, day);
        Range(errors, nameof(TcpClosedLinger), TcpClosedLinger, second, TimeSpan.FromMinutes(10));
        Range(errors, nameof(TcpNotEstablished), TcpNotEstablished, second, day);
        Range(errors, nameof(UdpIdle), UdpIdle, second, day);
        Range(errors, nameof(OtherIdle), OtherIdle, second, day);
        Range(errors, nameof(ReportInterval), ReportInterval, second, TimeSpan.FromHours(1));
        Range(errors, nameof(ActiveTimeout), ActiveTimeout, TimeSpan.FromMinutes(1), day);
        Range(errors, nameof(SweepInterval), SweepInterval, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(10));
        Range(errors, nameof(EmergencySweepInterval), EmergencySweepInterval, TimeSpan.FromMilliseconds(10), TimeSpan.FromSeconds(10));
        Range(errors, nameof(EmergencyEstablishedIdle), EmergencyEstablishedIdle, second, day);
        Range(errors, nameof(EmergencyNew), EmergencyNew, second, day);
        Range(errors, nameof(EmergencyClosedLinger), EmergencyClosedLinger, second, TimeSpan.FromMinutes(10));

        if (ActiveTimeout < ReportInterval)
            errors.Add($"{SectionName}:ActiveTimeout must be at least {SectionName}:ReportInterval ({ReportInterval}); got {ActiveTimeout}");
        if (EmergencySweepInterval > SweepInterval)
            errors.Add($"{SectionName}:EmergencySweepInterval must not exceed {SectionName}:SweepInterval ({SweepInterval}); got {EmergencySweepInterval}");
        if (EmergencyEnterPercent < 50 || EmergencyEnterPercent > 100)
            errors.Add($"{SectionName}:EmergencyEnterPercent must be between 50 and 100; got {EmergencyEnterPercent}");
        if (EmergencyExitPercent < 1 || EmergencyExitPercent >= EmergencyEnterPercent)
            errors.Add($"{SectionName}:EmergencyExitPercent must be at least 1 and below {SectionName}:EmergencyEnterPercent ({EmergencyEnterPercent}); got {EmergencyExitPercent}");
        if (EmergencyRecoveryPasses < 1 || EmergencyRecoveryPasses > 10_000)
            errors.Add($"{SectionName}:EmergencyRecoveryPasses must be between 1 and 10000; got {EmergencyRecoveryPasses}");
        return errors;
    }

    private static void Range(List<string> errors, string name, TimeSpan value, TimeSpan min, TimeSpan max)
    {
        if (value < min || value > max)
            errors.Add($"{SectionName}:{name} must be between {min} and {max}; got {value}");
    }
}
