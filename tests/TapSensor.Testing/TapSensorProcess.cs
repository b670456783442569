using System.Diagnostics;
using System.Text;

namespace TapSensor.Testing;

/// <summary>
/// Runs the real <c>tapsensor</c> executable as a child process: the test projects that reference the Host project
/// get it copied next to the tests. Every run gets a fresh <c>TAPSENSOR_DATA</c>, wide plain output, and a timeout.
/// </summary>
public static class TapSensorProcess
{
    public static string Executable => Path.Combine(AppContext.BaseDirectory, OperatingSystem.IsWindows() ? "tapsensor.exe" : "tapsensor");

    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(2);

    public static ProcessResult Run(TimeSpan timeout, params string[] args) => Run(timeout, null, args);

    public static ProcessResult Run(IDictionary<string, string>? environment, params string[] args) => Run(DefaultTimeout, environment, args);

    public static ProcessResult Run(TimeSpan timeout, IDictionary<string, string>? environment, params string[] args) =>
        ChildProcess.Run(Start(Executable, args, environment), timeout);

    public static ProcessStartInfo Start(string fileName, IEnumerable<string> args, IDictionary<string, string>? environment = null)
    {
        var psi = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        // Wide, plain output so tables are not wrapped by the terminal width of whoever runs the tests.
        psi.Environment["COLUMNS"] = "200";
        psi.Environment["NO_COLOR"] = "1";
        // Each run gets its own data folder, so the embedded store (on by default) never lands in the user's.
        psi.Environment["TAPSENSOR_DATA"] = FreshDataFolder();
        if (environment is not null)
            foreach (var (k, v) in environment) psi.Environment[k] = v;
        return psi;
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
