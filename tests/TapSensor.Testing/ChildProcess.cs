using System.ComponentModel;
using System.Diagnostics;

namespace TapSensor.Testing;

/// <summary>What a child process printed, and how it ended.</summary>
public sealed record ProcessResult(int ExitCode, string StdOut, string StdErr)
{
    public string Output => StdOut + StdErr;
}

/// <summary>
/// Runs a prepared child process to its end for the tests: both streams read to the end, optional standard input,
/// a time limit after which the whole process tree is killed, and one clear error when the program is missing.
/// </summary>
public static class ChildProcess
{
    /// <param name="psi">Redirects standard output and error (and input, when <paramref name="stdin"/> is given).</param>
    /// <param name="installHint">Said when the program cannot be started at all.</param>
    public static ProcessResult Run(ProcessStartInfo psi, TimeSpan timeout, string? stdin = null, string? installHint = null)
    {
        Process p;
        try
        {
            p = Process.Start(psi)!;
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException($"cannot run '{psi.FileName}' ({e.Message}){(installHint is null ? "" : $": {installHint}")}", e);
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
            if (!p.WaitForExit(timeout))
            {
                p.Kill(entireProcessTree: true);
                throw new TimeoutException($"{psi.FileName} {string.Join(' ', psi.ArgumentList)} did not finish within {timeout}");
            }
            p.WaitForExit(); // the streams' last bytes
            return new ProcessResult(p.ExitCode, stdout.GetAwaiter().GetResult(), stderr.GetAwaiter().GetResult());
        }
    }
}
