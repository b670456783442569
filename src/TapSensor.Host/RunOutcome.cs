namespace TapSensor.Host;

/// <summary>What the sensor run left for the command to report after the host stopped.</summary>
internal sealed class RunOutcome
{
    public int ExitCode { get; set; }
    public RunSummary? Summary { get; set; }
}
