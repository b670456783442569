using TapSensor.Sample.Wire;

namespace TapSensor.Sample;

/// <summary>
/// Writes a SYN flood against one LAN host: every frame is a 60-byte TCP SYN (no options, padded to the Ethernet
/// minimum) from a different source address and port, 1 µs apart, so each packet opens a new flow. It measures the
/// flow table at its bound: inserts, emergency mode and eviction.
/// </summary>
internal static class FloodCapture
{
    private const uint Target = 0xC0A8_010A;     // 192.168.1.10, the attacked host
    private const ushort TargetPort = 443;
    private const ulong TargetMac = 0xF018_98A1_B2C3;
    private const ulong RouterMac = 0x3CA6_2F12_3456;
    private const int AddressBits = 27;
    private const uint AddressMask = (1u << AddressBits) - 1;

    /// <summary>Eight public /8s the spoofed sources are spread over (3 bits of the scrambled index pick one).</summary>
    private static ReadOnlySpan<byte> FirstOctets => [23, 45, 62, 77, 91, 103, 151, 185];

    public static SampleStats Write(Stream output, FloodOptions options)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var random = new SampleRandom(options.Seed);
        uint whitening = random.NextUInt32() & AddressMask;
        var writer = new PcapFileWriter(output, 65535);
        long start = PcapFileWriter.ToUnixMicros(options.StartTime);
        for (long i = 0; i < options.Packets; i++)
        {
            // (address, port) is injective in i: the low 27 bits of i fix the address through a bijection on 27
            // bits, and indices sharing them differ in i >> 27, which shifts the port.
            uint scrambled = Scramble((uint)(i & AddressMask) ^ whitening);
            uint source = ((uint)FirstOctets[(int)(scrambled >> 24)] << 24) | (scrambled & 0xFF_FFFF);
            ushort port = (ushort)(1024 + (((i >> AddressBits) + (scrambled * 2654435761u >> 16)) % 60_000));

            Span<byte> frame = writer.NextFrame();
            Frames.Ethernet(frame, TargetMac, RouterMac, Frames.EtherTypeIpv4);
            int l4 = Frames.Ipv4Header(frame, source, Target, Frames.Tcp, random.NextUInt16(), (byte)random.Between(40, 120), dontFragment: false);
            int end = Frames.TcpHeader(frame, l4, port, TargetPort, random.NextUInt32(), 0, 0x02, (ushort)random.Between(1024, 65535), default);
            writer.Commit(start + i, Frames.Finish(frame, end));
        }
        writer.Flush();
        return new SampleStats(writer.Packets, writer.Bytes, writer.Packets, 0, writer.Packets, 0, 0,
            TimeSpan.FromTicks((options.Packets - 1) * 10));
    }

    /// <summary>A bijection on 27-bit values: multiplications by odd constants and xor-shifts, each invertible mod 2^27.</summary>
    private static uint Scramble(uint x)
    {
        x = (x * 0x2C1B_3C6Du) & AddressMask;
        x ^= x >> 13;
        x = (x * 0x297A_2D39u) & AddressMask;
        x ^= x >> 14;
        return x;
    }
}
