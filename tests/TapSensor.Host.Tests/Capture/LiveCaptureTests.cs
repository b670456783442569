using System.Diagnostics;
using System.Text.Json;
using TapSensor.Host.Tests.Infrastructure;
using TapSensor.Testing;

namespace TapSensor.Host.Tests.Capture;

/// <summary>
/// Live capture on a veth pair between two namespaces the test creates: tapsensor captures on one end while
/// tcpdump records the same traffic to a file; reading that file must give the same flows.
/// </summary>
public sealed class LiveCaptureTests : IDisposable
{
    private const string Filter = "ip and (tcp or udp or icmp)";
    private readonly string _dir = Directory.CreateTempSubdirectory("tapsensor-live-").FullName;
    private readonly ITestOutputHelper _output;

    public LiveCaptureTests(ITestOutputHelper output) => _output = output;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [LiveCaptureFact]
    public void Live_capture_on_a_veth_pair_gives_the_same_flows_as_reading_the_same_traffic_from_a_file()
    {
        using var veth = VethPair.Create();
        string pcap = Path.Combine(_dir, "wire.pcap");
        string liveFlows = Path.Combine(_dir, "live.jsonl");
        string fileFlows = Path.Combine(_dir, "file.jsonl");

        using var tcpdump = StartInNamespace(veth.NamespaceB, "tcpdump", "-i", veth.InterfaceB, "--immediate-mode", "-U", "-n", "-w", pcap, Filter);
        using var sensor = StartInNamespace(veth.NamespaceB, TapSensorProcess.Executable, "capture", "-i", veth.InterfaceB,
            "-f", Filter, "--flows", liveFlows, "--summary-json", Path.Combine(_dir, "live.json"), "--hash-seed", "7");
        WaitForLine(tcpdump, "listening on", TimeSpan.FromSeconds(20));
        WaitForLine(sensor, "Capturing on", TimeSpan.FromSeconds(30));

        MakeTraffic(veth);

        // Let the last frames reach both readers, then stop them the way a user would.
        Thread.Sleep(TimeSpan.FromSeconds(1));
        Interrupt(sensor.Process);
        Interrupt(tcpdump.Process);
        Assert.True(sensor.Process.WaitForExit(TimeSpan.FromSeconds(30)), "tapsensor did not stop on SIGINT");
        Assert.True(tcpdump.Process.WaitForExit(TimeSpan.FromSeconds(30)), "tcpdump did not stop on SIGINT");
        _output.WriteLine(sensor.Log.ToString());
        Assert.Equal(0, sensor.Process.ExitCode);

        var read = TapSensorProcess.Run(TimeSpan.FromMinutes(2), "read", pcap, "--flows", fileFlows, "--no-progress", "--hash-seed", "7");
        Assert.True(read.ExitCode == 0, read.StdErr);

        var live = Conversations(liveFlows);
        var replayed = Conversations(fileFlows);
        _output.WriteLine($"live: {live.Count} flows, file: {replayed.Count} flows");
        // Five TCP connections, one UDP socket pair (all twelve datagrams share a 5-tuple), one ping exchange.
        Assert.Equal(5, replayed.Count(c => c.Proto == "tcp"));
        Assert.Single(replayed, c => c.Proto == "udp" && c.OrigPkts == 12 && c.RespPkts == 12);
        Assert.Single(replayed, c => c.Proto == "icmp" && c.OrigPkts == 3 && c.RespPkts == 3);
        Assert.Equal(replayed, live);
    }

    /// <summary>Five TCP exchanges, twelve UDP datagrams echoed back, and three pings from A to B.</summary>
    private static void MakeTraffic(VethPair veth)
    {
        const string server = """
            import socket, threading
            t = socket.socket(socket.AF_INET, socket.SOCK_STREAM); t.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            t.bind(("0.0.0.0", 8000)); t.listen(8)
            u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.bind(("0.0.0.0", 9000))
            def udp():
                for _ in range(12):
                    data, peer = u.recvfrom(2048); u.sendto(data.upper(), peer)
            ut = threading.Thread(target=udp, daemon=True); ut.start()
            print("ready", flush=True)
            for _ in range(5):
                c, _ = t.accept(); data = b""
                while len(data) < 3000:
                    chunk = c.recv(4096)
                    if not chunk: break
                    data += chunk
                c.sendall(data[::-1]); c.shutdown(socket.SHUT_WR); c.recv(1); c.close()
            ut.join(30)
            """;
        const string client = """
            import socket, time
            for i in range(5):
                for attempt in range(100):
                    try:
                        s = socket.create_connection(("10.213.0.2", 8000), timeout=5); break
                    except OSError: time.sleep(0.05)
                s.sendall(bytes([65 + i]) * 3000); got = b""
                while True:
                    chunk = s.recv(4096)
                    if not chunk: break
                    got += chunk
                s.close()
            u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.settimeout(2)
            for i in range(12):
                u.sendto(b"x" * (100 + i), ("10.213.0.2", 9000)); u.recvfrom(2048)
            """;
        using var srv = StartInNamespace(veth.NamespaceB, "python3", "-c", server);
        WaitForLine(srv, "ready", TimeSpan.FromSeconds(20));
        var c = veth.Exec(veth.NamespaceA, "python3", "-c", client);
        Assert.True(c.ExitCode == 0, "traffic client failed: " + c.Output);
        var ping = veth.Exec(veth.NamespaceA, "ping", "-c", "3", "-i", "0.2", VethPair.AddressB);
        Assert.True(ping.ExitCode == 0, "ping failed: " + ping.Output);
        Assert.True(srv.Process.WaitForExit(TimeSpan.FromSeconds(30)), "traffic server did not finish");
    }

    private sealed record Conversation(string Proto, string OrigH, long OrigP, string RespH, long RespP,
        long OrigPkts, long RespPkts, long OrigIpBytes, long RespIpBytes);

    /// <summary>Flow records keyed by what both readers must agree on (close reasons differ: shutdown vs end of file).</summary>
    private static List<Conversation> Conversations(string jsonl) =>
        File.ReadLines(jsonl)
            .Select(line => JsonDocument.Parse(line).RootElement)
            .Select(r => new Conversation(r.GetProperty("proto").GetString()!, r.GetProperty("id.orig_h").GetString()!,
                r.GetProperty("id.orig_p").GetInt64(), r.GetProperty("id.resp_h").GetString()!, r.GetProperty("id.resp_p").GetInt64(),
                r.GetProperty("orig_pkts").GetInt64(), r.GetProperty("resp_pkts").GetInt64(),
                r.GetProperty("orig_ip_bytes").GetInt64(), r.GetProperty("resp_ip_bytes").GetInt64()))
            .OrderBy(c => c.Proto).ThenBy(c => c.OrigH).ThenBy(c => c.OrigP).ThenBy(c => c.RespH).ThenBy(c => c.RespP)
            .ToList();

    private sealed class Running : IDisposable
    {
        public required Process Process { get; init; }
        public System.Text.StringBuilder Log { get; } = new();
        public List<TaskCompletionSource> Waiters { get; } = [];

        public void Dispose()
        {
            if (!Process.HasExited)
            {
                Process.Kill(entireProcessTree: true);
                Process.WaitForExit(TimeSpan.FromSeconds(10));
            }
            Process.Dispose();
        }
    }

    private static Running StartInNamespace(string ns, string file, params string[] args)
    {
        var psi = TapSensorProcess.Start("ip", ["netns", "exec", ns, file, .. args]);
        var p = new Process { StartInfo = psi, EnableRaisingEvents = true };
        var running = new Running { Process = p };
        void OnLine(string? line)
        {
            if (line is null) return;
            lock (running.Log) running.Log.AppendLine(line);
        }
        p.OutputDataReceived += (_, e) => OnLine(e.Data);
        p.ErrorDataReceived += (_, e) => OnLine(e.Data);
        p.Start();
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        return running;
    }

    private static void WaitForLine(Running r, string text, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            lock (r.Log)
            {
                if (r.Log.ToString().Contains(text, StringComparison.Ordinal)) return;
            }
            if (r.Process.HasExited) break;
            Thread.Sleep(50);
        }
        string log;
        lock (r.Log) log = r.Log.ToString();
        throw new TimeoutException($"'{text}' did not appear within {timeout}: {log}");
    }

    private static void Interrupt(Process p)
    {
        if (p.HasExited) return;
        using var kill = Process.Start("kill", ["-INT", p.Id.ToString()]);
        kill.WaitForExit();
    }
}
