using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Logging.Abstractions;
using TapSensor.Capture;
using TapSensor.Core.Devices;
using TapSensor.Core.Flows;
using TapSensor.Core.Pipeline;
using TapSensor.Host.Devices;

namespace TapSensor.Replay;

/// <summary>
/// The whole-pipeline replay benchmark: read → decode → flow update → expiry → export to a null sink,
/// in process, printing one JSON line. Used by benchmarks/run-benchmarks.sh.
///   TapSensor.Replay replay FILE [--workers N] [--max-flows N] [--warmup-packets N] [--names on|off]
///   TapSensor.Replay generate household|flood OUT.pcap [--packets N] [--seed N]
///   TapSensor.Replay influx --url URL --database DB [--points N] (InfluxDB sink into a real server; see InfluxCommand)
/// </summary>
internal static class ReplayCommand
{
    public static int Run(string[] args)
    {
        if (args.Length >= 2 && args[0] == "replay") return Replay(args[1], Options(args, 2));
        if (args.Length >= 3 && args[0] == "generate") return Generate(args[1], args[2], Options(args, 3));
        if (args.Length >= 1 && args[0] == "influx") return InfluxCommand.Run(Options(args, 1));
        Console.Error.WriteLine("usage: TapSensor.Replay replay FILE [--workers N] [--max-flows N] [--warmup-packets N] [--names on|off]");
        Console.Error.WriteLine("       TapSensor.Replay generate household|flood OUT.pcap [--packets N] [--seed N]");
        Console.Error.WriteLine("       TapSensor.Replay influx --url URL --database DB [--points N] [--batch N] [--precision us]");
        return 2;
    }

    private static Dictionary<string, string> Options(string[] args, int start)
    {
        var o = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = start; i + 1 < args.Length; i += 2) o[args[i].TrimStart('-')] = args[i + 1];
        return o;
    }

    private static long Get(Dictionary<string, string> o, string key, long fallback) =>
        o.TryGetValue(key, out var v) ? long.Parse(v, CultureInfo.InvariantCulture) : fallback;

    private static int Generate(string kind, string path, Dictionary<string, string> o)
    {
        var sw = Stopwatch.StartNew();
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        long packets = SampleGenerator.Write(kind, file, Get(o, "packets", 0), (int)Get(o, "seed", 1));
        Console.WriteLine(JsonSerializer.Serialize(new GeneratedCapture(kind, path, packets, sw.Elapsed.TotalSeconds), ReplayJson.Default.GeneratedCapture));
        return 0;
    }

    private sealed class NullSink : IFlowRecordSink
    {
        /// <summary>Final records (interim reports of active flows are not counted).</summary>
        public long Records;
        /// <summary>Final records with a destination name.</summary>
        public long Named;

        public void Write(ReadOnlySpan<FlowRecord> records)
        {
            foreach (ref readonly var r in records)
            {
                if (!r.IsFinal) continue;
                Records++;
                if (r.RemoteName is not null) Named++;
            }
        }

        public void Complete()
        {
        }
    }

    private static int Replay(string path, Dictionary<string, string> o)
    {
        int workers = (int)Get(o, "workers", 1);
        int maxFlows = (int)Get(o, "max-flows", 250_000);
        // 0 by default: the replay is timed as the sensor runs, JIT warm-up included. A warm-up pass over a prefix
        // (--warmup-packets N) makes the self-reported rate a steady-state figure instead.
        long warmup = Get(o, "warmup-packets", 0);
        // on: the sensor as it runs (payload selection, the workers' name parsers, devices and DNS names on the
        // aggregator); off: flows only, the baseline that shows what learning names costs.
        bool names = !o.TryGetValue("names", out var n) || n != "off";

        if (warmup > 0)
        {
            RunOnce(path, workers, maxFlows, warmup, names);
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
        }
        var m = RunOnce(path, workers, maxFlows, long.MaxValue, names);
        Console.WriteLine(JsonSerializer.Serialize(m, ReplayJson.Default.Measurement));
        return 0;
    }

    internal sealed record Measurement(
        string File, int Workers, long Packets, double Seconds, double PacketsPerSecond, double NsPerPacket,
        double StartupSeconds, double CpuNsPerPacket, double AllocBytesPerPacket, double AllocBytesPerPacketSecondHalf, int Gc0, int Gc1, int Gc2, long PeakRssBytes,
        long ActiveFlowsPeak, double BytesPerActiveFlow, long Flows, long Evicted, long RingDrops, long DecodeOk,
        bool Names, long NamedFlows, int Devices, long PayloadBytesKept);

    private static Measurement RunOnce(string path, int workers, int maxFlows, long maxPackets, bool names)
    {
        var sink = new NullSink();
        // As the sensor does: the IEEE listings load in the background while capture starts.
        var household = names ? new Household(new HouseholdOptions(), VendorListings.Load(null, NullLogger.Instance)) : null;
        var pipeline = new SensorPipeline(
            new PipelineOptions { Workers = workers, WaitWhenFull = true, HashSeed = 0x5eed, LearnNames = names },
            new FlowTableOptions { MaxFlows = maxFlows },
            [sink], household);
        using var source = PcapSource.OpenFile(path);
        long activePeak = 0, memoryAtPeak = 0;
        long halfBytes = source.FileSize / 2, allocAtHalf = -1, packetsAtHalf = 0;

        int gc0 = GC.CollectionCount(0), gc1 = GC.CollectionCount(1), gc2 = GC.CollectionCount(2);
        long allocBefore = GC.GetTotalAllocatedBytes(precise: true);
        using var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        double startup = (DateTime.Now - process.StartTime).TotalSeconds;
        var sw = Stopwatch.StartNew();

        pipeline.Start();
        var result = source.Run(pipeline.Dispatcher, CancellationToken.None, maxPackets, onIdle: (_, bytesRead) =>
        {
            // Steady state: what the second half of the file allocates, after tables have grown and code has tiered up.
            if (allocAtHalf < 0 && bytesRead >= halfBytes)
            {
                allocAtHalf = GC.GetTotalAllocatedBytes(precise: true);
                packetsAtHalf = pipeline.Dispatcher.Packets;
            }
            int active = pipeline.ActiveFlows;
            if (active > activePeak)
            {
                activePeak = active;
                memoryAtPeak = pipeline.Workers.Sum(w => w.Shard.MemoryBytes);
            }
        });
        pipeline.CompleteAsync(CloseReason.EndOfCapture).GetAwaiter().GetResult();

        sw.Stop();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        long allocEnd = GC.GetTotalAllocatedBytes(precise: true);
        long alloc = allocEnd - allocBefore;
        long packets = result.Packets;
        double seconds = sw.Elapsed.TotalSeconds;
        long evicted = pipeline.Workers.Sum(w => Volatile.Read(ref w.Shard.Counters.Closed[(int)CloseReason.Evicted]));

        using var self = Process.GetCurrentProcess();
        return new Measurement(
            Path.GetFileName(path), workers, packets, seconds,
            packets / Math.Max(seconds, 1e-9), seconds * 1e9 / Math.Max(packets, 1), startup,
            cpu.TotalMilliseconds * 1e6 / Math.Max(packets, 1),
            (double)alloc / Math.Max(packets, 1),
            allocAtHalf < 0 ? 0 : (double)(allocEnd - allocAtHalf) / Math.Max(packets - packetsAtHalf, 1),
            GC.CollectionCount(0) - gc0, GC.CollectionCount(1) - gc1, GC.CollectionCount(2) - gc2,
            self.PeakWorkingSet64,
            activePeak, activePeak > 0 ? (double)memoryAtPeak / activePeak : 0,
            sink.Records, evicted, pipeline.Dispatcher.RingFullPackets, pipeline.Dispatcher.FlowPackets,
            names, sink.Named, household?.Devices.Count ?? 0, pipeline.Dispatcher.PayloadBytesKept);
    }
}

/// <summary>The JSON line, written without reflection (the replay is timed from process start).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(ReplayCommand.Measurement))]
[JsonSerializable(typeof(GeneratedCapture))]
internal sealed partial class ReplayJson : JsonSerializerContext;

internal sealed record GeneratedCapture(string Kind, string Path, long Packets, double Seconds);
