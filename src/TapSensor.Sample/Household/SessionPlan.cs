namespace TapSensor.Sample.Household;

/// <summary>How a TCP connection (or QUIC connection) ends.</summary>
internal enum SessionEnding : byte
{
    /// <summary>The client closes after an idle while: FIN, FIN, ACK.</summary>
    ClientFin,
    /// <summary>The server's keep-alive runs out first.</summary>
    ServerFin,
    /// <summary>The client aborts with RST (apps killed, tabs closed).</summary>
    Reset,
    /// <summary>Still open when it goes quiet; the sensor's idle timeout has to end it.</summary>
    LeftOpen,
}

/// <summary>One planned session: an optional DNS lookup, then one conversation with a service.</summary>
internal struct SessionPlan
{
    public long StartMicros;
    public int Device;
    public int Service;
    public bool Ipv6;
    public bool WithDns;
    /// <summary>Unscaled heavy-tailed volume in full-size segments; the planner's scale turns it into <see cref="Units"/>.</summary>
    public double RawUnits;
    public long Units;
    public int Exchanges;
    public SessionEnding Ending;
    public int PingCount;
}
