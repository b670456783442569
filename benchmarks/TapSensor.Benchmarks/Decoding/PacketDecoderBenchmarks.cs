using BenchmarkDotNet.Attributes;
using PacketDotNet;
using TapSensor.Core.Decoding;
using TapSensor.Core.Packets;

namespace TapSensor.Benchmarks.Decoding;

/// <summary>
/// The per-packet decoder on typical frames, against PacketDotNet's parser reading the same frames down to
/// the transport ports. Ours must allocate nothing (Allocated = 0 B).
///   dotnet run -c Release --project benchmarks/TapSensor.Benchmarks -- --filter '*PacketDecoderBenchmarks*'
/// </summary>
[MemoryDiagnoser]
public class PacketDecoderBenchmarks
{
    // Frames made with the test packet builder (tests/TapSensor.Testing): an HTTP request segment
    // 192.168.1.10:51514 -> 203.0.113.7:443 with PSH|ACK, plain, in QinQ tags 100/20, and inside GRE with a key;
    // and a 40-byte UDP datagram between two IPv6 addresses.
    private static readonly Dictionary<string, string> Frames = new()
    {
        ["eth-ipv4-tcp"] = "02000000000B02000000000A08004500004D0001000040067CF0C0A8010ACB007107C93A01BB000003E8000000005018FAF09F790000474554202F20485454502F312E310D0A486F73743A206578616D706C652E636F6D0D0A0D0A",
        ["eth-ipv6-udp"] = "02000000000B02000000000A86DD600000000030114020010DB800010000000000000000001020010DB8000200000000000000000007C93A01BB00305B7B000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F2021222324252627",
        ["qinq-ipv4-tcp"] = "02000000000B02000000000A88A800648100001408004500004D0001000040067CF0C0A8010ACB007107C93A01BB000003E8000000005018FAF09F790000474554202F20485454502F312E310D0A486F73743A206578616D706C652E636F6D0D0A0D0A",
        ["gre-ipv4-tcp"] = "02000000000B02000000000A08004500006942420000402FE3B9C6336401C6336402200008000000002A4500004D0001000040067CF0C0A8010ACB007107C93A01BB000003E8000000005018FAF09F790000474554202F20485454502F312E310D0A486F73743A206578616D706C652E636F6D0D0A0D0A",
    };

    private byte[] _frame = [];
    private PacketDecoder _decoder = new(0);
    private PacketSummary _summary;

    [Params("eth-ipv4-tcp", "eth-ipv6-udp", "qinq-ipv4-tcp", "gre-ipv4-tcp")]
    public string Frame { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        _frame = Convert.FromHexString(Frames[Frame]);
        _decoder = new PacketDecoder(0x5EED);
        DecodeStatus status = _decoder.Decode((int)LinkType.Ethernet, _frame, _frame.Length, 0, ref _summary, out _, out _);
        if (status != DecodeStatus.Ok || _summary.Key.PortA == 0)
            throw new InvalidOperationException($"{Frame} does not decode: {DecodeStatusNames.Name(status)}");
    }

    [Benchmark(Baseline = true)]
    public int TapSensor() =>
        (int)_decoder.Decode((int)LinkType.Ethernet, _frame, _frame.Length, 0, ref _summary, out _, out _);

    [Benchmark]
    public ushort PacketDotNet() =>
        Packet.ParsePacket(LinkLayers.Ethernet, _frame).Extract<TransportPacket>()?.SourcePort ?? 0;
}
