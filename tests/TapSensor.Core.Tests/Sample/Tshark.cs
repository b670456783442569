using System.Diagnostics;

namespace TapSensor.Core.Tests.Sample;

/// <summary>Runs tshark (the ground truth for what a capture contains) and returns its standard output.</summary>
internal static class Tshark
{
    public static bool IsAvailable { get; } = Find() is not null;

    private static string? Find()
    {
        string? path = Environment.GetEnvironmentVariable("PATH");
        if (path is null)
            return null;
        foreach (string dir in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = Path.Combine(dir, "tshark");
            if (File.Exists(candidate))
                return candidate;
        }
        return null;
    }

    public static string Run(params string[] arguments)
    {
        var start = new ProcessStartInfo("tshark")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string a in arguments)
            start.ArgumentList.Add(a);
        using Process process = Process.Start(start) ?? throw new InvalidOperationException("tshark did not start");
        Task<string> error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill();
            throw new TimeoutException("tshark did not finish within two minutes");
        }
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"tshark exited with {process.ExitCode}: {error.Result}");
        return output;
    }

    /// <summary>Non-empty lines of a <c>-T fields</c> run.</summary>
    public static string[] Lines(params string[] arguments) =>
        Run(arguments).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

/// <summary>
/// A fact that needs tshark: skipped, saying why, when tshark is not on PATH (xunit 2 has no dynamic skip, so the
/// attribute decides when the test is discovered).
/// </summary>
public sealed class TsharkFactAttribute : FactAttribute
{
    public TsharkFactAttribute()
    {
        if (!Tshark.IsAvailable)
            Skip = "tshark is not on PATH; install it (Debian: apt-get install tshark) to check captures against Wireshark's dissectors.";
    }
}
