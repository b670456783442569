namespace TapSensor.Core.Flows;

/// <summary>Why a flow record ended. <see cref="None"/> marks an interim report of a flow that is still active.</summary>
public enum CloseReason : byte
{
    None = 0,
    Fin,
    Rst,
    Idle,
    Active,
    Evicted,
    EndOfCapture,
    Shutdown,
}

public static class CloseReasonNames
{
    /// <summary>The stable names used in flow records (<c>close_reason</c>) and counters.</summary>
    public static string Name(CloseReason reason) => reason switch
    {
        CloseReason.None => "none",
        CloseReason.Fin => "fin",
        CloseReason.Rst => "rst",
        CloseReason.Idle => "idle",
        CloseReason.Active => "active",
        CloseReason.Evicted => "evicted",
        CloseReason.EndOfCapture => "end_of_capture",
        CloseReason.Shutdown => "shutdown",
        _ => "unknown",
    };
}
