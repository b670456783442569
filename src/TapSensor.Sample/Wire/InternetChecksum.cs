using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace TapSensor.Sample.Wire;

/// <summary>
/// The Internet checksum (RFC 1071): the ones' complement of the ones' complement sum of 16-bit words. The sum is
/// taken over words in the machine's own byte order and swapped once at the end, which RFC 1071 §2(B) shows gives the
/// same result; this lets the bulk of a 1448-byte segment be added 32 bytes at a time.
/// </summary>
internal static class InternetChecksum
{
    /// <summary>Adds <paramref name="data"/> to an unfolded sum. Odd lengths are padded with a zero byte (RFC 793 §3.1).</summary>
    public static ulong Add(ulong sum, ReadOnlySpan<byte> data)
    {
        int i = 0;
        // 32-bit words summed into 64-bit lanes cannot overflow for any frame we write; 2^16 = 1 (mod 2^16 - 1),
        // so folding a sum of 32-bit words gives the sum of the 16-bit words.
        if (Vector256.IsHardwareAccelerated && data.Length >= 64)
        {
            var lanes = Vector256<ulong>.Zero;
            ReadOnlySpan<uint> words = MemoryMarshal.Cast<byte, uint>(data);
            int blocks = words.Length / 8 * 8;
            for (int w = 0; w < blocks; w += 8)
            {
                (Vector256<ulong> lower, Vector256<ulong> upper) = Vector256.Widen(Vector256.Create(words.Slice(w, 8)));
                lanes += lower + upper;
            }
            sum += Vector256.Sum(lanes);
            i = blocks * 4;
        }
        for (; i + 8 <= data.Length; i += 8)
        {
            ulong v = MemoryMarshal.Read<ulong>(data[i..]);
            sum += (v & 0xFFFF_FFFF) + (v >> 32);
        }
        for (; i + 2 <= data.Length; i += 2)
            sum += MemoryMarshal.Read<ushort>(data[i..]);
        if (i < data.Length)
            sum += BitConverter.IsLittleEndian ? data[i] : (uint)data[i] << 8;
        return sum;
    }

    /// <summary>Adds a 16-bit value given in host order as if it were a word of the packet (pseudo-header fields).</summary>
    public static ulong AddWord(ulong sum, ushort value) =>
        sum + (BitConverter.IsLittleEndian ? BinaryPrimitives.ReverseEndianness(value) : value);

    /// <summary>Folds, complements and returns the checksum as a host-order value for WriteUInt16BigEndian.</summary>
    public static ushort Finish(ulong sum)
    {
        sum = (sum & 0xFFFF_FFFF) + (sum >> 32);
        sum = (sum & 0xFFFF_FFFF) + (sum >> 32);
        sum = (sum & 0xFFFF) + (sum >> 16);
        sum = (sum & 0xFFFF) + (sum >> 16);
        ushort folded = (ushort)~sum;
        return BitConverter.IsLittleEndian ? BinaryPrimitives.ReverseEndianness(folded) : folded;
    }
}
