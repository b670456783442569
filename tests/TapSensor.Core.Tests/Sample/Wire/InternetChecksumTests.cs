using System.Buffers.Binary;
using TapSensor.Sample;
using TapSensor.Sample.Wire;

namespace TapSensor.Core.Tests.Sample.Wire;

public sealed class InternetChecksumTests
{
    /// <summary>Textbook RFC 1071 sum: big-endian words, end-around carry, complement.</summary>
    private static ushort Reference(ReadOnlySpan<byte> data)
    {
        uint sum = 0;
        for (int i = 0; i < data.Length; i += 2)
        {
            sum += (uint)(data[i] << 8) | (i + 1 < data.Length ? data[i + 1] : 0u);
            sum = (sum & 0xFFFF) + (sum >> 16);
        }
        return (ushort)~sum;
    }

    [Fact]
    public void Rfc_1071_example_sums_to_ddf2_so_the_checksum_is_220d()
    {
        byte[] data = [0x00, 0x01, 0xF2, 0x03, 0xF4, 0xF5, 0xF6, 0xF7];
        Assert.Equal((ushort)0x220D, InternetChecksum.Finish(InternetChecksum.Add(0, data)));
    }

    [Fact]
    public void Vectorised_sum_agrees_with_the_textbook_sum_for_every_length()
    {
        var random = new SampleRandom(99);
        byte[] data = new byte[1600];
        random.Fill(data);
        for (int length = 0; length <= data.Length; length++)
            Assert.Equal(Reference(data.AsSpan(0, length)), InternetChecksum.Finish(InternetChecksum.Add(0, data.AsSpan(0, length))));
    }

    [Fact]
    public void A_packet_with_its_checksum_in_place_sums_to_zero()
    {
        byte[] header = Convert.FromHexString("450000730000400040110000c0a80001c0a800c7");
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(10), InternetChecksum.Finish(InternetChecksum.Add(0, header)));
        Assert.Equal(0xB861, BinaryPrimitives.ReadUInt16BigEndian(header.AsSpan(10)));
        Assert.Equal(0, InternetChecksum.Finish(InternetChecksum.Add(0, header)));
    }
}
