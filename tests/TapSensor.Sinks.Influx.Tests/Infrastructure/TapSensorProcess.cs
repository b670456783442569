using System.Diagnostics;
using System.Text;

namespace TapSensor.Sinks.Influx.Tests.Infrastructure;

/// <summary>Runs the real <c>tapsensor</c> executable (built next to the tests) as a child process.</summary>
internal static class TapSensorProcess
{
    public sealed record Result(int ExitCode, string StdOut, string StdErr);

    public static Result Run(IDictionary<string, string>? environment, params string[] args)
    {
        var psi = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, OperatingSystem.IsWindows() ? "tapsensor.exe" : "tapsensor"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["COLUMNS"] = "200";
        psi.Environment["NO_COLOR"] = "1";
        // Each run gets its own data folder, so the embedded store (on by default) never lands in the user's.
        psi.Environment["TAPSENSOR_DATA"] = FreshDataFolder();
        if (environment is not null)
            foreach (var (k, v) in environment) psi.Environment[k] = v;
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"tapsensor {string.Join(' ', args)} did not finish within 2 minutes");
        }
        return new Result(p.ExitCode, stdout.GetAwaiter().GetResult(), stderr.GetAwaiter().GetResult());
    }

    private static readonly string DataRoot = CreateDataRoot();

    /// <summary>An empty folder for one run's TAPSENSOR_DATA; all of them go when the test process ends.</summary>
    public static string FreshDataFolder() => Directory.CreateDirectory(Path.Combine(DataRoot, Guid.NewGuid().ToString("N"))).FullName;

    private static string CreateDataRoot()
    {
        string root = Path.Combine(Path.GetTempPath(), $"tapsensor-test-data-{Environment.ProcessId}");
        Directory.CreateDirectory(root);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                Directory.Delete(root, recursive: true);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        };
        return root;
    }
}
