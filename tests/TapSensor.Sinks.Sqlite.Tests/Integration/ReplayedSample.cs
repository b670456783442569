using TapSensor.Sinks.Sqlite.Tests.Infrastructure;
using TapSensor.Testing;

namespace TapSensor.Sinks.Sqlite.Tests.Integration;

/// <summary>
/// A generated household capture read once by the real <c>tapsensor read</c> into the default store of a temporary
/// TAPSENSOR_DATA, with its <c>--flows</c> records beside it. Shared by the end-to-end tests.
/// </summary>
public sealed class ReplayedSample : IDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    public ReplayedSample()
    {
        Folder = Directory.CreateTempSubdirectory("tapsensor-e2e-").FullName;
        Data = Path.Combine(Folder, "data");
        Pcap = Path.Combine(Folder, "sample.pcap");
        Flows = Path.Combine(Folder, "flows.jsonl");
        var sample = TapSensorProcess.Run(Timeout, "sample", Pcap, "--packets", "20000", "--seed", "3");
        Assert.True(sample.ExitCode == 0, sample.StdErr);
        var args = new List<string> { "read", Pcap, "--no-progress", "--flows", Flows, "--summary-json", Path.Combine(Folder, "summary.json") };
        if (Environment.GetEnvironmentVariable("TAPSENSOR_GEOIP_DIR") is { Length: > 0 } geo) args.AddRange(["--geoip-dir", geo]);
        Read = TapSensorProcess.Run(Timeout, Env, [.. args]);
        Assert.True(Read.ExitCode == 0, Read.StdErr);
    }

    public string Folder { get; }
    public string Data { get; }
    public string Pcap { get; }
    public string Flows { get; }
    internal ProcessResult Read { get; }
    public string Database => Path.Combine(Data, "tapsensor.db");
    public Dictionary<string, string> Env => new() { ["TAPSENSOR_DATA"] = Data };

    internal ProcessResult Run(params string[] args) => TapSensorProcess.Run(Timeout, Env, args);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
