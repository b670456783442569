namespace TapSensor.Capture;

/// <summary>
/// Replays a file at its original timing (<c>--pace</c>): waits until as much wall time has passed since the
/// first packet as packet time has. Uses a <see cref="TimeProvider"/> so tests need not sleep.
/// </summary>
internal sealed class Pacer
{
    private readonly TimeProvider _time;
    private readonly double _speed;
    private long _firstPacketNs = long.MinValue;
    private long _startTimestamp;

    public Pacer(TimeProvider time, double speed = 1.0)
    {
        if (speed <= 0) throw new ArgumentOutOfRangeException(nameof(speed), speed, "Pace speed must be positive.");
        _time = time;
        _speed = speed;
    }

    /// <summary>How long the next packet must wait; zero when it is due.</summary>
    public TimeSpan Due(long packetNs)
    {
        if (_firstPacketNs == long.MinValue)
        {
            _firstPacketNs = packetNs;
            _startTimestamp = _time.GetTimestamp();
            return TimeSpan.Zero;
        }
        var target = TimeSpan.FromTicks((long)((packetNs - _firstPacketNs) / 100 / _speed));
        var elapsed = _time.GetElapsedTime(_startTimestamp);
        return target > elapsed ? target - elapsed : TimeSpan.Zero;
    }

    public void Wait(long packetNs, CancellationToken cancel)
    {
        var due = Due(packetNs);
        if (due > TimeSpan.Zero) cancel.WaitHandle.WaitOne(due);
    }
}
