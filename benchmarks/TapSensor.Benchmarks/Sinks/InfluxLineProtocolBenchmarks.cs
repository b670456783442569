using BenchmarkDotNet.Attributes;
using TapSensor.Core.Flows;
using TapSensor.Sinks.Influx.LineProtocol;
using TapSensor.Sinks.Influx.Points;
using TapSensor.Sinks.Influx.Writing;

namespace TapSensor.Benchmarks.Sinks;

/// <summary>
/// The InfluxDB sink's per-record work on the aggregator thread: map a final record to a point and write its
/// <c>flows</c> line, with and without the per-series timestamp de-duplication; and the writer thread's gzip of a
/// 5 000-point batch. Figures are per point (OperationsPerInvoke). Serialization must allocate 0 B per point
/// (the uid and Community ID hashes run on the stack; the buffer is reused).
///   dotnet run -c Release --project benchmarks/TapSensor.Benchmarks -- --filter '*InfluxLineProtocol*' --job short
/// </summary>
[MemoryDiagnoser]
public class InfluxLineProtocolBenchmarks
{
    private const int Points = 1000;
    private const long T0 = 1_767_225_600_000_000_000;

    private readonly FlowPointMapper _mapper = new(uidSeed: 7);
    private readonly FlowPoint _point = new();
    private readonly FlowPoint _enriched = new();
    private FlowRecord[] _records = null!;
    private PointBuffer _buffer = null!;
    private LineWriter _plain = null!;
    private LineWriter _deduplicated = null!;
    private PointBuffer _batch = null!;
    private PointBuffer _gzip = null!;
    private long _offsetNs;

    [GlobalSetup]
    public void Setup()
    {
        _records = new FlowRecord[Points];
        var random = new Random(42);
        for (int i = 0; i < Points; i++)
        {
            uint local = 0xC0A80100u | (uint)(i % 20 + 10);
            uint remote = (uint)random.Next(0x0B000000, 0x7F000000);
            var key = FlowKey.Create(0, FlowKey.V4Lo(local), (ushort)(40_000 + i), 0, FlowKey.V4Lo(remote), 443, 6, 4, 0, out bool origIsA);
            long first = T0 + i * 1_000_000L;
            _records[i] = new FlowRecord
            {
                Key = key, OrigIsA = origIsA, Reason = CloseReason.Fin, FirstNs = first, LastNs = first + 2_500_000_000,
                OrigPkts = 12, RespPkts = 20, OrigIpBytes = 1_800, RespIpBytes = 24_000, OrigBytes = 1_200, RespBytes = 23_000,
                DeltaOrigPkts = 12, DeltaRespPkts = 20, DeltaOrigIpBytes = 1_800, DeltaRespIpBytes = 24_000,
                OrigMac = 0x0200_0000_0000UL | (uint)(i % 20), RespMac = 0x0200_0000_00FEUL,
                History = FlowHistory.FirstWasSyn | FlowHistory.OrigSyn | FlowHistory.RespSynAck | FlowHistory.OrigAck | FlowHistory.OrigFin | FlowHistory.RespFin,
            };
        }
        _buffer = new PointBuffer(4 << 20);
        _plain = new LineWriter(TimestampPrecision.Microseconds);
        _deduplicated = new LineWriter(TimestampPrecision.Microseconds, new SeriesTimestamps(7_200_000_000, 262_144));

        _mapper.Map(in _records[0], _enriched);
        _enriched.Sensor = "attic";
        _enriched.Device = "dev-0012";
        _enriched.DeviceName = "kitchen-speaker";
        _enriched.Service = "https";
        _enriched.RemoteName = "cdn.example.org";
        _enriched.RemoteNameSource = "sni";
        _enriched.Country = "NL";
        _enriched.City = "Amsterdam";
        _enriched.Latitude = 52.3740;
        _enriched.Longitude = 4.8897;
        _enriched.AccuracyKm = 20;
        _enriched.Asn = 64_496;
        _enriched.Org = "Example CDN B.V.";

        _batch = new PointBuffer(4 << 20);
        var w = new LineWriter(TimestampPrecision.Microseconds);
        for (int i = 0; i < 5000; i++)
        {
            _mapper.Map(in _records[i % Points], _point);
            _point.Sensor = "attic";
            InfluxSchema.WriteFlow(w, _batch, _point, "02:00:00:00:00:0c");
        }
        _gzip = new PointBuffer(1 << 20);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _buffer.Dispose();
        _batch.Dispose();
        _gzip.Dispose();
    }

    /// <summary>Map a final record and write its flows line (record fields only, as today).</summary>
    [Benchmark(OperationsPerInvoke = Points)]
    public int MapAndWriteFlow()
    {
        _buffer.Clear();
        for (int i = 0; i < _records.Length; i++)
        {
            _mapper.Map(in _records[i], _point);
            _point.Sensor = "attic";
            InfluxSchema.WriteFlow(_plain, _buffer, _point, "02:00:00:00:00:0c");
        }
        return _buffer.Length;
    }

    /// <summary>
    /// The same with the per-series timestamp de-duplication the sink uses. Each invocation moves on in time, as
    /// a live sensor does, so the remembered timestamps stay at their bound instead of colliding with the last round.
    /// </summary>
    [Benchmark(OperationsPerInvoke = Points)]
    public int MapAndWriteFlowDeduplicated()
    {
        _buffer.Clear();
        _offsetNs += Points * 1_000_000L;
        for (int i = 0; i < _records.Length; i++)
        {
            _mapper.Map(in _records[i], _point);
            _point.Sensor = "attic";
            _point.StartNs += _offsetNs;
            InfluxSchema.WriteFlow(_deduplicated, _buffer, _point, "02:00:00:00:00:0c");
        }
        return _buffer.Length;
    }

    /// <summary>Write the flows line of a fully enriched point (every tag and field), without mapping.</summary>
    [Benchmark(OperationsPerInvoke = Points)]
    public int WriteEnrichedFlow()
    {
        _buffer.Clear();
        for (int i = 0; i < Points; i++) InfluxSchema.WriteFlow(_plain, _buffer, _enriched, "dev-0012");
        return _buffer.Length;
    }

    /// <summary>Gzip (fastest) of a 5 000-point batch, per point.</summary>
    [Benchmark(OperationsPerInvoke = 5000)]
    public int GzipBatch()
    {
        Gzip.Compress(_batch.WrittenSpan, _gzip);
        return _gzip.Length;
    }
}
