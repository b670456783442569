using System.Diagnostics;
using System.Text;
using TapSensor.Testing;

namespace TapSensor.Sinks.Influx.Tests.Dashboard;

/// <summary>Runs the pinned Node tools of tests/node (and python3) as child processes.</summary>
internal static class NodeTools
{
    public const string InstallHint = "run scripts/install-test-deps.sh (it runs npm ci in tests/node)";

    public static string NodeDirectory => Path.Combine(DashboardFile.RepositoryRoot, "tests", "node");

    /// <summary>The folder of an installed package, failing with the install step when it is missing.</summary>
    public static string Package(string name)
    {
        string dir = Path.Combine(NodeDirectory, "node_modules", name);
        Assert.True(Directory.Exists(dir), $"{dir} is missing: {InstallHint}");
        return dir;
    }

    public static ProcessResult Run(string file, IEnumerable<string> args, string? workingDirectory = null, TimeSpan? timeout = null,
        IDictionary<string, string>? environment = null, string? stdin = null)
    {
        var psi = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = stdin is not null,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
            WorkingDirectory = workingDirectory ?? NodeDirectory,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        if (environment is not null)
            foreach (var (k, v) in environment) psi.Environment[k] = v;
        return ChildProcess.Run(psi, timeout ?? TimeSpan.FromMinutes(2), stdin, InstallHint);
    }

    public static ProcessResult Node(params string[] args) => Run("node", args);
}
