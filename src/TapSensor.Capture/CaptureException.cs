namespace TapSensor.Capture;

/// <summary>A capture source could not be opened or read. The message is one line meant for the user.</summary>
public sealed class CaptureException : Exception
{
    public CaptureException(string message) : base(message) { }
    public CaptureException(string message, Exception inner) : base(message, inner) { }
}
