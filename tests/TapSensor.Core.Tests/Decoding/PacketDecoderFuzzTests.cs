using TapSensor.Core.Decoding;
using TapSensor.Core.Packets;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace TapSensor.Core.Tests.Decoding;

/// <summary>
/// Property-style tests: truncations, random bytes, splices and bit flips. The invariants: a status comes back,
/// nothing throws, the payload window lies inside the frame, lengths are never negative, and the counters add up
/// to the frames fed. Seed and case count can be raised with TAPSENSOR_FUZZ_SEED and TAPSENSOR_FUZZ_SCALE.
/// </summary>
public sealed class PacketDecoderFuzzTests
{
    private static readonly int[] LinkTypes = [0, 1, 9, 12, 14, 50, 51, 101, 104, 108, 113, 127, 228, 229, 276];
    private readonly ITestOutputHelper _output;
    private readonly int _seed;
    private readonly int _scale;

    public PacketDecoderFuzzTests(ITestOutputHelper output)
    {
        _output = output;
        _seed = int.TryParse(Environment.GetEnvironmentVariable("TAPSENSOR_FUZZ_SEED"), out int seed) ? seed : 20240611;
        _scale = int.TryParse(Environment.GetEnvironmentVariable("TAPSENSOR_FUZZ_SCALE"), out int scale) && scale > 0 ? scale : 1;
        _output.WriteLine($"seed {_seed}, scale {_scale}");
    }

    [Fact]
    public void Every_catalogue_frame_decodes_whole()
    {
        var harness = new DecoderHarness();
        foreach ((string name, int linkType, byte[] frame) in FrameCatalogue.Frames)
        {
            Decoded d = harness.Decode(frame, linkType);
            Assert.True(d.Status == DecodeStatus.Ok, $"{name}: {d.Status}");
            Assert.False(d.Has(PacketFlags.Truncated), name);
        }
    }

    [Fact]
    public void Truncation_at_every_byte_offset_returns_a_status_and_never_throws()
    {
        var harness = new DecoderHarness();
        long fed = 0;
        foreach ((string name, int linkType, byte[] frame) in FrameCatalogue.Frames)
        {
            Decoded whole = harness.Decode(frame, linkType);
            fed++;
            for (int n = 0; n < frame.Length; n++)
            {
                byte[] cut = frame[..n];
                Decoded d = Run(harness, linkType, cut, frame.Length, $"{name} cut at {n}");
                fed++;
                if (d.Status != DecodeStatus.Ok) continue;
                // Whatever the cut, an Ok packet belongs to the same flow and says it was cut.
                Assert.True(whole.Key == d.Key, $"{name} cut at {n}: key {d.Key} instead of {whole.Key}");
                Assert.True(d.Has(PacketFlags.Truncated), $"{name} cut at {n} is not flagged truncated");
                Assert.Equal(whole.Summary.IpLength, d.Summary.IpLength);
            }
        }
        Assert.Equal(fed, harness.Counters.Frames);
    }

    [Fact]
    public void Random_bytes_on_every_link_type_never_throw()
    {
        var rng = new Random(_seed);
        var harness = new DecoderHarness();
        int cases = 5000 * _scale;
        for (int i = 0; i < cases; i++)
        {
            byte[] frame = new byte[rng.Next(0, 200)];
            rng.NextBytes(frame);
            Run(harness, LinkTypes[rng.Next(LinkTypes.Length)], frame, frame.Length + rng.Next(0, 3) * rng.Next(0, 1500), $"seed {_seed} random case {i}");
        }
        Assert.Equal(cases, harness.Counters.Frames);
    }

    [Fact]
    public void Valid_prefixes_with_random_tails_never_throw()
    {
        var rng = new Random(_seed + 1);
        var harness = new DecoderHarness();
        int cases = 5000 * _scale;
        for (int i = 0; i < cases; i++)
        {
            (string name, int linkType, byte[] valid) = FrameCatalogue.Frames[rng.Next(FrameCatalogue.Frames.Count)];
            int keep = rng.Next(0, valid.Length + 1);
            byte[] frame = new byte[keep + rng.Next(0, 80)];
            valid.AsSpan(0, keep).CopyTo(frame);
            rng.NextBytes(frame.AsSpan(keep));
            Run(harness, linkType, frame, frame.Length, $"seed {_seed + 1} splice case {i} of {name} at {keep}");
        }
        Assert.Equal(cases, harness.Counters.Frames);
    }

    [Fact]
    public void Bit_flips_in_valid_frames_never_throw()
    {
        var rng = new Random(_seed + 2);
        var harness = new DecoderHarness();
        int cases = 0;
        foreach ((string name, int linkType, byte[] valid) in FrameCatalogue.Frames)
        {
            for (int i = 0; i < 150 * _scale; i++)
            {
                byte[] frame = (byte[])valid.Clone();
                int flips = rng.Next(1, 4);
                for (int f = 0; f < flips; f++) frame[rng.Next(frame.Length)] ^= (byte)(1 << rng.Next(8));
                Run(harness, linkType, frame, frame.Length, $"seed {_seed + 2} flip case {i} of {name}");
                cases++;
            }
        }
        Assert.Equal(cases, harness.Counters.Frames);
        _output.WriteLine($"{cases} bit-flip cases, {harness.Counters.Read(DecodeStatus.Ok)} still decoded Ok");
    }

    private static Decoded Run(DecoderHarness harness, int linkType, byte[] frame, int wireLength, string description)
    {
        Decoded d;
        try
        {
            d = harness.Decode(frame, linkType, wireLength);
        }
        catch (Exception e)
        {
            throw new XunitException($"{description}: threw on frame {Convert.ToHexString(frame)}: {e}");
        }
        if (!Enum.IsDefined(d.Status)) throw new XunitException($"{description}: undefined status {(int)d.Status}");
        if (d.Status != DecodeStatus.Ok)
        {
            if (d.PayloadStart != 0 || d.PayloadCaptured != 0) throw new XunitException($"{description}: payload reported for {d.Status}");
            return d;
        }
        PacketSummary s = d.Summary;
        bool sane = d.PayloadStart >= 0 && d.PayloadCaptured >= 0 && d.PayloadStart + d.PayloadCaptured <= frame.Length
                    && s.IpLength >= 0 && s.PayloadLength >= 0 && s.PayloadLength <= s.IpLength
                    && s.Key.Family is 4 or 6 && s.WireLength >= frame.Length;
        if (!sane)
        {
            throw new XunitException($"{description}: inconsistent summary (start {d.PayloadStart}, captured {d.PayloadCaptured}, ip {s.IpLength}, " +
                $"payload {s.PayloadLength}, family {s.Key.Family}) for frame {Convert.ToHexString(frame)}");
        }
        return d;
    }
}
