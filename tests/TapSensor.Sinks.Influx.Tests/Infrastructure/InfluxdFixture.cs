using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace TapSensor.Sinks.Influx.Tests.Infrastructure;

/// <summary>
/// A real InfluxDB 1.x (Debian's <c>influxd</c>, 1.6.7) on 127.0.0.1, on free ports, with its configuration,
/// data and log in a temporary directory; reporting and the _internal monitor database are off. Shared by the
/// tests of the "influxd" collection (they run one after another). <see cref="Stop"/> and <see cref="Start"/>
/// take it down and bring it back on the same port, for the outage tests.
/// </summary>
public sealed class InfluxdFixture : IAsyncLifetime
{
    public const string InstallHint = "influxd (Debian package 'influxdb') is not installed: apt-get install -y influxdb, or run scripts/install-test-deps.sh";

    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private string? _dir;
    private Process? _process;
    private int _rpcPort;

    public static string? Binary { get; } = FindBinary();

    public int HttpPort { get; private set; }
    public string Url => $"http://127.0.0.1:{HttpPort}";
    public string Directory => _dir!;
    public bool Running => _process is { HasExited: false };

    public async Task InitializeAsync()
    {
        if (Binary is null) return;
        _dir = System.IO.Directory.CreateTempSubdirectory("tapsensor-influxd-").FullName;
        HttpPort = FreePort();
        _rpcPort = FreePort();
        // The configuration grafana/preview/render.sh uses too, from one template.
        string template = await File.ReadAllTextAsync(Path.Combine(Dashboard.DashboardFile.GrafanaDirectory, "preview", "influxdb.conf.template"));
        await File.WriteAllTextAsync(Path.Combine(_dir, "influxdb.conf"), template
            .Replace("@DIR@", _dir, StringComparison.Ordinal)
            .Replace("@RPC_PORT@", _rpcPort.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("@HTTP_PORT@", HttpPort.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal));
        await StartAsync();
    }

    /// <summary>Starts influxd (again) on the same ports and waits until /ping answers 204.</summary>
    public async Task StartAsync()
    {
        if (Running) return;
        var psi = new ProcessStartInfo(Binary!)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        psi.ArgumentList.Add("-config");
        psi.ArgumentList.Add(Path.Combine(_dir!, "influxdb.conf"));
        var p = Process.Start(psi)!;
        var log = new StreamWriter(Path.Combine(_dir!, "influxd.log"), append: true) { AutoFlush = true };
        p.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        p.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        _process = p;

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (p.HasExited) throw new InvalidOperationException($"influxd exited with {p.ExitCode}; see {_dir}/influxd.log");
            try
            {
                using var ping = await Http.GetAsync($"{Url}/ping");
                if (ping.StatusCode == HttpStatusCode.NoContent) return;
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            await Task.Delay(50);
        }
        throw new TimeoutException($"influxd did not answer /ping within 30 s; see {_dir}/influxd.log");
    }

    /// <summary>Stops influxd (SIGTERM, as a service manager would; SIGKILL if it does not exit within 20 s).</summary>
    public void Stop()
    {
        var p = _process;
        if (p is null) return;
        _process = null;
        if (!p.HasExited)
        {
            if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS()) _ = Kill(p.Id, 15);
            if (!p.WaitForExit(TimeSpan.FromSeconds(20))) p.Kill(entireProcessTree: true);
            p.WaitForExit();
        }
        p.Dispose();
    }

    public async Task CreateDatabaseAsync(string database)
    {
        using var r = await Http.PostAsync($"{Url}/query", new FormUrlEncodedContent([new("q", $"CREATE DATABASE \"{database}\"")]));
        r.EnsureSuccessStatusCode();
    }

    /// <summary>Runs an InfluxQL query (timestamps as Unix nanoseconds) and returns the first statement's result.</summary>
    public async Task<JsonElement> QueryAsync(string database, string query)
    {
        string url = $"{Url}/query?db={Uri.EscapeDataString(database)}&epoch=ns&q={Uri.EscapeDataString(query)}";
        using var r = await Http.GetAsync(url);
        string text = await r.Content.ReadAsStringAsync();
        Assert.True(r.IsSuccessStatusCode, $"query failed: {(int)r.StatusCode} {text}");
        using var doc = JsonDocument.Parse(text);
        var result = doc.RootElement.GetProperty("results")[0].Clone();
        if (result.TryGetProperty("error", out var error)) Assert.Fail($"query '{query}' failed: {error}");
        return result;
    }

    /// <summary>The single number of a one-row aggregate query (count, sum), 0 when there is no series.</summary>
    public async Task<long> ScalarAsync(string database, string query, int column = 1)
    {
        var result = await QueryAsync(database, query);
        if (!result.TryGetProperty("series", out var series)) return 0;
        var v = series[0].GetProperty("values")[0][column];
        return v.ValueKind == JsonValueKind.Null ? 0 : (long)v.GetDouble();
    }

    public async Task DisposeAsync()
    {
        Stop();
        await Task.Yield();
        if (_dir is not null)
        {
            try
            {
                System.IO.Directory.Delete(_dir, recursive: true);
            }
            catch (IOException)
            {
                // a file still held open: the temp directory is cleaned up by the system
            }
        }
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    private static string? FindBinary()
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Append("/usr/bin").Append("/usr/sbin"))
        {
            var path = Path.Combine(dir, "influxd");
            if (File.Exists(path)) return path;
        }
        return null;
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}

[CollectionDefinition("influxd")]
public sealed class InfluxdCollection : ICollectionFixture<InfluxdFixture>;

/// <summary>A test against the real influxd; skipped, saying how to install it, when the binary is absent.</summary>
public sealed class InfluxdFactAttribute : FactAttribute
{
    public InfluxdFactAttribute()
    {
        if (InfluxdFixture.Binary is null) Skip = InfluxdFixture.InstallHint;
    }
}
