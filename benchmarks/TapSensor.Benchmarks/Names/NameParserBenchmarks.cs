using BenchmarkDotNet.Attributes;
using TapSensor.Core.Names;
using TapSensor.Sample.Payloads;

namespace TapSensor.Benchmarks.Names;

/// <summary>
/// The destination-name parsers on the first payload of a flow, with messages from the sample generator: a
/// browser-like ClientHello in one TCP segment, a GET request, and a 1 250-byte QUIC v1 client Initial, opened
/// with cached keys (further packets of a known connection) and with a new DCID each time (a new connection:
/// HKDF and a new AES-GCM object). All but the new-DCID case must allocate nothing.
///   dotnet run -c Release --project benchmarks/TapSensor.Benchmarks -- --filter '*NameParserBenchmarks*'
/// </summary>
[MemoryDiagnoser]
public class NameParserBenchmarks
{
    private const int FreshConnections = 1024;

    private readonly QuicInitialParser _quic = new();
    private readonly QuicCryptoAssembly _assembly = new();
    private byte[] _tlsStream = [];
    private byte[] _httpRequest = [];
    private byte[] _quicInitial = [];
    private byte[][] _quicFresh = [];
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        byte[] buffer = new byte[2048];
        int hello = TlsHandshake.WriteClientHello(buffer.AsSpan(TlsHandshake.RecordHeaderLength), "www.example.com"u8, 1, quic: false, default);
        TlsHandshake.RecordHeader(buffer, TlsHandshake.ContentHandshake, hello);
        _tlsStream = buffer[..(TlsHandshake.RecordHeaderLength + hello)];

        int request = HttpMessages.WriteRequest(buffer, "/generate_204", "connectivitycheck.gstatic.com", "Mozilla/5.0 (X11; Linux x86_64)");
        _httpRequest = buffer[..request];

        using var protection = new QuicPacketProtection();
        _quicInitial = Initial(protection, 0);
        _quicFresh = new byte[FreshConnections][];
        for (int i = 0; i < FreshConnections; i++) _quicFresh[i] = Initial(protection, (ulong)i + 1);

        if (TlsSni() != NameParse.Found || HttpHost() != NameParse.Found || QuicSniCachedKeys() != NameParse.Found
            || QuicSniNewConnection() != NameParse.Found)
            throw new InvalidOperationException("a benchmark message does not parse");
    }

    private static byte[] Initial(QuicPacketProtection protection, ulong seed)
    {
        byte[] dcid = new byte[8];
        BitConverter.TryWriteBytes(dcid, seed * 0x9E3779B97F4A7C15UL + 1);
        byte[] datagram = new byte[1500];
        int length = QuicPackets.WriteClientInitial(datagram, protection, dcid, [1, 2, 3, 4], "www.example.com"u8, seed, 1250);
        return datagram[..length];
    }

    [GlobalCleanup]
    public void Cleanup() => _quic.Dispose();

    [Benchmark]
    public NameParse TlsSni() => TlsClientHello.TryGetServerName(_tlsStream, out _, out _);

    [Benchmark]
    public NameParse HttpHost() => HttpRequestHost.TryGetHost(_httpRequest, out _);

    [Benchmark]
    public NameParse QuicSniCachedKeys()
    {
        _assembly.Reset();
        return _quic.TryGetServerName(_quicInitial, _assembly, out _);
    }

    [Benchmark]
    public NameParse QuicSniNewConnection()
    {
        _assembly.Reset();
        byte[] datagram = _quicFresh[_next];
        _next = (_next + 1) % FreshConnections;
        return _quic.TryGetServerName(datagram, _assembly, out _);
    }
}
