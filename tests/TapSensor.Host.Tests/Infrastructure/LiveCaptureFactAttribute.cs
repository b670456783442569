namespace TapSensor.Host.Tests.Infrastructure;

/// <summary>A fact that needs root and network namespaces; skipped with the reason when they are missing.</summary>
internal sealed class LiveCaptureFactAttribute : FactAttribute
{
    public LiveCaptureFactAttribute()
    {
        if (VethPair.SkipReason is { } why) Skip = why;
    }
}
