using System.Diagnostics;
using System.Text;
using TapSensor.Testing;

namespace TapSensor.Docker.Tests.Infrastructure;

/// <summary>Runs a command-line tool as a child process and collects its exit code and output.</summary>
internal static class Tool
{
    /// <summary>
    /// Runs <paramref name="file"/>. With <paramref name="cleanEnvironment"/> the child sees only PATH, HOME and
    /// <paramref name="environment"/> (like <c>env -i PATH=$PATH</c>): shell variables must not leak into a
    /// compose check, because they override the env file.
    /// </summary>
    public static ProcessResult Run(string file, IEnumerable<string> args, string? workingDirectory = null,
        IDictionary<string, string>? environment = null, bool cleanEnvironment = false, TimeSpan? timeout = null)
    {
        var psi = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
            WorkingDirectory = workingDirectory ?? Repo.Root,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        if (cleanEnvironment)
        {
            var path = Environment.GetEnvironmentVariable("PATH") ?? "/usr/local/bin:/usr/bin:/bin";
            var home = Environment.GetEnvironmentVariable("HOME") ?? "/tmp";
            psi.Environment.Clear();
            psi.Environment["PATH"] = path;
            psi.Environment["HOME"] = home;
        }
        if (environment is not null)
            foreach (var (k, v) in environment) psi.Environment[k] = v;

        return ChildProcess.Run(psi, timeout ?? TimeSpan.FromMinutes(2), installHint: "install what the tests need: sudo bash scripts/install-test-deps.sh");
    }

    /// <summary>The full path of <paramref name="name"/> on PATH, or a failure naming the install step.</summary>
    public static string Require(string name)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(System.IO.Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
                     .Concat(["/usr/sbin", "/sbin"]))
        {
            var candidate = System.IO.Path.Combine(dir, name);
            if (File.Exists(candidate)) return candidate;
        }
        Assert.Fail($"'{name}' is not installed; run: sudo bash scripts/install-test-deps.sh");
        return name;
    }
}
