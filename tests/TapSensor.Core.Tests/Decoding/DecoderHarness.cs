using System.Net;
using TapSensor.Core.Decoding;
using TapSensor.Core.Flows;
using TapSensor.Core.Packets;
using TapSensor.Testing.Packets;

namespace TapSensor.Core.Tests.Decoding;

/// <summary>A decoder with a pinned seed and a readable view of what it returned, shared by the decoder tests.</summary>
internal sealed class DecoderHarness
{
    public const ulong Seed = 0x5EED;
    public const long Time = 1_700_000_000_123_456_789;

    public PacketDecoder Decoder { get; } = new(Seed);

    public DecodeCounters Counters => Decoder.Counters;

    public Decoded Decode(PacketBuilder builder) => Decode(builder.Build(), builder.LinkType);

    /// <summary>Decodes <paramref name="frame"/>; <paramref name="wireLength"/> defaults to the frame's length.</summary>
    public Decoded Decode(byte[] frame, int linkType = 1, int wireLength = -1, long timestampNs = Time)
    {
        var summary = new PacketSummary { PayloadOffset = -7, PayloadKept = 7 };
        DecodeStatus status = Decoder.Decode(linkType, frame, wireLength < 0 ? frame.Length : wireLength, timestampNs,
            ref summary, out int payloadStart, out int payloadCaptured);
        return new Decoded(status, summary, payloadStart, payloadCaptured);
    }

    /// <summary>Decodes every frame and returns the results in order.</summary>
    public List<Decoded> DecodeAll(IEnumerable<byte[]> frames, int linkType = 1)
    {
        var results = new List<Decoded>();
        foreach (byte[] frame in frames) results.Add(Decode(frame, linkType));
        return results;
    }
}

internal readonly record struct Decoded(DecodeStatus Status, PacketSummary Summary, int PayloadStart, int PayloadCaptured)
{
    public FlowKey Key => Summary.Key;

    /// <summary>The packet's source as "address:port" ("[v6]:port" for IPv6), recovered from the normalised key.</summary>
    public string Src => Summary.SrcIsA ? Endpoint(Key.AHi, Key.ALo, Key.PortA) : Endpoint(Key.BHi, Key.BLo, Key.PortB);

    public string Dst => Summary.SrcIsA ? Endpoint(Key.BHi, Key.BLo, Key.PortB) : Endpoint(Key.AHi, Key.ALo, Key.PortA);

    public bool Has(PacketFlags flag) => (Summary.Flags & flag) != 0;

    private string Endpoint(ulong hi, ulong lo, ushort port)
    {
        IPAddress address = FlowKey.ToAddress(hi, lo, Key.Family);
        return Key.Family == 6 ? $"[{address}]:{port}" : $"{address}:{port}";
    }
}
