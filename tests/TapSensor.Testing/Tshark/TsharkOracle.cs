using System.Diagnostics;
using System.Text;
using TapSensor.Core.Flows;

namespace TapSensor.Testing.Tshark;

/// <summary>
/// Ground truth from tshark for comparing the pipeline's flow records, per normalised 5-tuple.
/// <para>
/// Two passes over the file. Packet counts come from the conversation tables,
/// <c>tshark -n -r FILE -q -z conv,tcp -z conv,udp</c>, run exactly like that because those tables are
/// the contract: whatever tshark's rules (port reuse splitting, frames it rejects, IPv6 routing
/// headers), the counts are the ones a person gets by running the command. The tables round bytes
/// ("11 kB") and count frame bytes, not IP bytes, so IP byte sums come from a second pass,
/// <c>-T fields</c> (<see cref="TsharkFieldFrames"/>), aggregated here and joined on the 5-tuple.
/// The field pass also counts, per conversation, the frames it attributed, so
/// <see cref="TsharkConversation.BytesExact"/> shows where the two passes saw the same packets, and
/// it marks tunnelled and fragmented frames (<see cref="TsharkConversation.IsPlain"/>) so that a
/// comparison can exclude or explain them.
/// </para>
/// </summary>
public sealed class TsharkOracle
{
    public const string EnvironmentVariable = "TAPSENSOR_TSHARK";
    public const string NotFoundMessage = "tshark not found on PATH: apt-get install tshark";

    private readonly string _tshark;
    private readonly TimeSpan _timeout;

    /// <param name="tsharkPath">tshark executable; found on PATH (or TAPSENSOR_TSHARK) when null.</param>
    /// <param name="timeout">Per tshark run; the process is killed when it is exceeded. Two minutes by default.</param>
    public TsharkOracle(string? tsharkPath = null, TimeSpan? timeout = null)
    {
        _tshark = tsharkPath ?? FindTshark() ?? throw new FileNotFoundException(NotFoundMessage);
        _timeout = timeout ?? TimeSpan.FromMinutes(2);
    }

    /// <summary>Null when tshark can be run; otherwise why tshark tests are skipped.</summary>
    public static string? SkipReason => FindTshark() is null ? NotFoundMessage : null;

    /// <summary>TAPSENSOR_TSHARK if it names a file, else the first "tshark" on PATH.</summary>
    public static string? FindTshark()
    {
        string? configured = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(configured)) return File.Exists(configured) ? configured : null;

        string name = OperatingSystem.IsWindows() ? "tshark.exe" : "tshark";
        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = Path.Combine(dir, name);
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }

    /// <summary>Runs both passes over <paramref name="capturePath"/>.</summary>
    public TsharkCapture Read(string capturePath)
    {
        if (!File.Exists(capturePath)) throw new FileNotFoundException("capture not found", capturePath);

        List<TsharkConvRow> rows = [];
        (int convExit, string convErrors) = Run(["-n", "-r", capturePath, "-q", "-z", "conv,tcp", "-z", "conv,udp"],
            reader => rows = TsharkConvTable.Parse(reader));

        var conversations = new Dictionary<FlowKey, TsharkConversation>();
        foreach (TsharkConvRow row in rows)
        {
            FlowKey key = TsharkConversation.KeyOf(row.Protocol, row.X, row.PortX, row.Y, row.PortY, out bool xIsA);
            if (!conversations.TryGetValue(key, out TsharkConversation? c)) conversations.Add(key, c = new TsharkConversation(key));
            c.Rows++;
            c.PacketsAToB += xIsA ? row.FramesXToY : row.FramesYToX;
            c.PacketsBToA += xIsA ? row.FramesYToX : row.FramesXToY;
        }

        var frames = new TsharkFieldFrames();
        long unattributed = 0;
        (int fieldExit, string fieldErrors) = Run(TsharkFieldFrames.Arguments(capturePath), reader =>
        {
            foreach (TsharkTransportPacket p in frames.Read(reader))
            {
                FlowKey key = TsharkConversation.KeyOf(p.Protocol, p.Source, p.SourcePort, p.Destination, p.DestinationPort, out bool srcIsA);
                if (!conversations.TryGetValue(key, out TsharkConversation? c))
                {
                    unattributed++;
                    continue;
                }
                if (srcIsA)
                {
                    c.FieldPacketsAToB++;
                    c.IpBytesAToB += p.IpBytes;
                }
                else
                {
                    c.FieldPacketsBToA++;
                    c.IpBytesBToA += p.IpBytes;
                }
                if (p.Tunnelled) c.TunnelledPackets++;
                if (p.Fragmented) c.FragmentedPackets++;
            }
        });

        return new TsharkCapture(capturePath, conversations,
            rows.Count(r => r.Protocol == 6), rows.Count(r => r.Protocol == 17),
            frames.Frames, frames.AmbiguousFrames, unattributed,
            Math.Max(convExit, fieldExit), (convErrors + fieldErrors).Trim());
    }

    /// <summary>
    /// Field values of every frame matching <paramref name="displayFilter"/>: one row per frame, one cell per field,
    /// each cell split at tshark's occurrence separator (',') into its values. Throws if tshark fails.
    /// </summary>
    public List<string[][]> Fields(string capturePath, string displayFilter, params string[] fields) =>
        Fields(capturePath, [], displayFilter, fields);

    /// <summary>As <see cref="Fields(string, string, string[])"/>, with tshark's decode-as rules (e.g. "tcp.port==5222,tls").</summary>
    public List<string[][]> Fields(string capturePath, IEnumerable<string> decodeAs, string displayFilter, params string[] fields)
    {
        var arguments = new List<string> { "-n", "-r", capturePath, "-Y", displayFilter, "-T", "fields", "-E", "occurrence=a", "-E", "aggregator=\u0001" };
        foreach (var rule in decodeAs) { arguments.Add("-d"); arguments.Add(rule); }
        foreach (var f in fields) { arguments.Add("-e"); arguments.Add(f); }
        var rows = new List<string[][]>();
        (int exit, string errors) = Run(arguments, reader =>
        {
            string? line;
            while ((line = reader.ReadLine()) is not null)
                rows.Add(line.Split('\t').Select(cell => cell.Length == 0 ? [] : cell.Split('\u0001')).ToArray());
        });
        if (exit != 0 && rows.Count == 0) throw new InvalidOperationException($"tshark failed on {capturePath}: {errors}");
        return rows;
    }

    /// <summary>Runs tshark, streaming standard output into <paramref name="consume"/>; returns the exit code and standard error.</summary>
    private (int ExitCode, string Errors) Run(IEnumerable<string> arguments, Action<TextReader> consume)
    {
        var start = new ProcessStartInfo(_tshark)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
        };
        foreach (string a in arguments) start.ArgumentList.Add(a);

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {_tshark}");
        var errors = new StringBuilder();
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null || e.Data.StartsWith("Running as user", StringComparison.Ordinal)) return;
            lock (errors) errors.AppendLine(e.Data);
        };
        process.BeginErrorReadLine();

        // The deadline kills the process, which ends the output stream and so the read below.
        using var deadline = new CancellationTokenSource(_timeout);
        using CancellationTokenRegistration kill = deadline.Token.Register(() => Stop(process));

        try
        {
            consume(process.StandardOutput);
            // Drain whatever the consumer did not read, so tshark is never blocked on a full pipe.
            process.StandardOutput.ReadToEnd();
        }
        catch (Exception e) when (deadline.IsCancellationRequested)
        {
            // Killed at the deadline, the output ended mid-line and the parser gave up.
            throw new TimeoutException($"tshark took longer than {_timeout} on {string.Join(' ', start.ArgumentList)}", e);
        }
        catch
        {
            // The consumer gave up (unreadable output): stop tshark rather than wait on a full pipe.
            Stop(process);
            throw;
        }
        finally
        {
            process.WaitForExit();
        }
        if (deadline.IsCancellationRequested)
            throw new TimeoutException($"tshark took longer than {_timeout} on {string.Join(' ', start.ArgumentList)}");
        lock (errors) return (process.ExitCode, errors.ToString());
    }

    /// <summary>Kills the tshark this oracle started (by its process object, never by name).</summary>
    private static void Stop(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }
    }
}
