namespace TapSensor.Core.Flows;

/// <summary>Coarse TCP connection state as a passive observer sees it.</summary>
public enum TcpState : byte
{
    /// <summary>Not TCP, or nothing decisive seen yet (joined mid-stream).</summary>
    None = 0,
    SynSent,
    SynReceived,
    Established,
    /// <summary>One side sent FIN.</summary>
    Closing,
    /// <summary>Both sides sent FIN: lingering before the record is emitted.</summary>
    Closed,
    /// <summary>RST seen: lingering before the record is emitted.</summary>
    Reset,
}
