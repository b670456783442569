using System.Diagnostics;
using System.Text;

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

    public sealed record Result(int ExitCode, string StdOut, string StdErr)
    {
        public string Output => StdOut + StdErr;
    }

    public static Result Run(string file, IEnumerable<string> args, string? workingDirectory = null, TimeSpan? timeout = null,
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
        Process p;
        try
        {
            p = Process.Start(psi)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"cannot run {file} ({e.Message}): {InstallHint}", e);
        }
        using (p)
        {
            if (stdin is not null)
            {
                p.StandardInput.Write(stdin);
                p.StandardInput.Close();
            }
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEndAsync();
            if (!p.WaitForExit(timeout ?? TimeSpan.FromMinutes(2)))
            {
                p.Kill(entireProcessTree: true);
                throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish in time");
            }
            return new Result(p.ExitCode, stdout.GetAwaiter().GetResult(), stderr.GetAwaiter().GetResult());
        }
    }

    public static Result Node(params string[] args) => Run("node", args);
}
