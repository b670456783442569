using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using TapSensor.Core.Flows;
using TapSensor.Sinks.Influx;

namespace TapSensor.Replay;

/// <summary>
/// Sustained write rate of the InfluxDB sink into a real server: synthetic final flow records, fed in chunks as
/// the aggregator feeds them, through mapping, serialization, batching, gzip and HTTP, until every point is
/// written (Complete). Prints one JSON line.
///   TapSensor.Replay influx --url http://127.0.0.1:8086 --database bench [--points 500000] [--batch 5000] [--precision us]
///   TapSensor.Replay influx --url URL --org O --bucket B --token-file F ...
/// </summary>
internal static class InfluxCommand
{
    private const long T0 = 1_767_225_600_000_000_000;

    public static int Run(Dictionary<string, string> o)
    {
        if (!o.TryGetValue("url", out var url))
        {
            Console.Error.WriteLine("usage: TapSensor.Replay influx --url URL (--database DB | --org O --bucket B --token-file F) [--points N] [--batch N] [--precision us]");
            return 2;
        }
        long points = o.TryGetValue("points", out var p) ? long.Parse(p, CultureInfo.InvariantCulture) : 500_000;
        var options = new InfluxOptions
        {
            Url = url,
            Database = o.GetValueOrDefault("database"),
            Org = o.GetValueOrDefault("org"),
            Bucket = o.GetValueOrDefault("bucket"),
            TokenFile = o.GetValueOrDefault("token-file"),
            Precision = o.GetValueOrDefault("precision") ?? "us",
            BatchPoints = o.TryGetValue("batch", out var b) ? int.Parse(b, CultureInfo.InvariantCulture) : 5000,
            Sensor = "bench",
            CompleteTimeout = TimeSpan.FromMinutes(10),
            RequestTimeout = TimeSpan.FromSeconds(60),
        };
        var errors = options.Validate().ToList();
        if (errors.Count > 0)
        {
            foreach (var e in errors) Console.Error.WriteLine(e);
            return 2;
        }

        var chunks = Records(points);
        using var loggers = LoggerFactory.Create(l => l.AddSimpleConsole(c => c.SingleLine = true).SetMinimumLevel(LogLevel.Warning));
        var sink = new InfluxSink(options, loggers.CreateLogger<InfluxSink>(), TimeProvider.System);

        GC.Collect();
        long allocBefore = GC.GetTotalAllocatedBytes(precise: true);
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var sw = Stopwatch.StartNew();
        foreach (var chunk in chunks) sink.Write(chunk);
        double fed = sw.Elapsed.TotalSeconds;
        sink.Complete();
        sw.Stop();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        long alloc = GC.GetTotalAllocatedBytes(precise: true) - allocBefore;
        var c = sink.Counters;
        sink.Dispose();

        Console.WriteLine(JsonSerializer.Serialize(new
        {
            url = InfluxOptions.Redact(url),
            records = points,
            points = c.Produced,
            written = c.Written,
            rejected = c.Rejected,
            dropped = c.Dropped,
            spooled = c.Spooled,
            batches = c.BatchesWritten,
            seconds = Math.Round(sw.Elapsed.TotalSeconds, 3),
            points_per_second = Math.Round(c.Written / sw.Elapsed.TotalSeconds),
            feed_seconds = Math.Round(fed, 3),
            cpu_seconds = Math.Round(cpu.TotalSeconds, 3),
            alloc_bytes_per_point = Math.Round((double)alloc / Math.Max(1, c.Produced), 1),
        }, new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower }));
        return c.Written == c.Produced ? 0 : 1;
    }

    /// <summary>
    /// Final TCP records of 50 devices to random remote addresses, one starting every millisecond, lasting up to 2 s,
    /// in chunks of 256: records reach the sink roughly in order of their end, as they do from the pipeline.
    /// </summary>
    private static List<FlowRecord[]> Records(long count)
    {
        var random = new Random(7);
        var chunks = new List<FlowRecord[]>();
        for (long start = 0; start < count; start += 256)
        {
            var chunk = new FlowRecord[(int)Math.Min(256, count - start)];
            for (int j = 0; j < chunk.Length; j++)
            {
                long i = start + j;
                uint local = 0xC0A80100u | (uint)(i % 50 + 10);
                uint remote = (uint)random.Next(0x0B000000, 0x7F000000);
                var key = FlowKey.Create(0, FlowKey.V4Lo(local), (ushort)(1024 + i % 60_000), 0, FlowKey.V4Lo(remote), 443, 6, 4, 0, out bool origIsA);
                long first = T0 + i * 1_000_000;
                long origIp = random.Next(500, 5_000), respIp = random.Next(1_000, 2_000_000);
                chunk[j] = new FlowRecord
                {
                    Key = key, OrigIsA = origIsA, Reason = CloseReason.Fin, FirstNs = first, LastNs = first + random.Next(1, 2_000) * 1_000_000L,
                    OrigPkts = origIp / 500 + 1, RespPkts = respIp / 1400 + 1, OrigIpBytes = origIp, RespIpBytes = respIp,
                    OrigBytes = origIp * 9 / 10, RespBytes = respIp * 9 / 10,
                    DeltaOrigPkts = origIp / 500 + 1, DeltaRespPkts = respIp / 1400 + 1, DeltaOrigIpBytes = origIp, DeltaRespIpBytes = respIp,
                    OrigMac = 0x0200_0000_0000UL | (uint)(i % 50), RespMac = 0x0200_0000_00FEUL,
                    History = FlowHistory.FirstWasSyn | FlowHistory.OrigSyn | FlowHistory.RespSynAck | FlowHistory.OrigAck | FlowHistory.OrigFin | FlowHistory.RespFin,
                };
            }
            chunks.Add(chunk);
        }
        return chunks;
    }
}
