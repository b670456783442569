using System.Buffers.Binary;
using System.Security.Cryptography;

namespace TapSensor.Core.Flows;

/// <summary>
/// Zeek-style connection uid: "C" followed by base62 digits, e.g. <c>CLQMsz1keaFPjxT8Cd</c>.
/// <para>
/// Zeek draws its uids at random (96 bits by default, <c>bits_per_uid</c> in
/// scripts/base/init-bare.zeek; "C" marks connections). We derive ours instead from what identifies a
/// record: the flow key (addresses, ports, protocol, VLAN), the direction, the first packet time,
/// the active-timeout sequence number and a seed. The worker shard is deliberately left out, so a
/// capture replayed with any number of workers gives the same uids, and a replay gives the same uids
/// as the previous replay. The seed keeps uids of different sensors or runs apart when wanted.
/// </para>
/// <para>
/// 96 bits of a SHA-256 digest are written as 11 base62 digits for the first 64 bits (62^11 > 2^64)
/// and 6 for the last 32 (62^6 > 2^32), zero-padded, so every uid has the same length.
/// </para>
/// Cold path: called once per final record.
/// </summary>
internal static class FlowUid
{
    /// <summary>"C" + 11 + 6 base62 digits.</summary>
    public const int Length = 18;

    /// <summary>Digits in ascending order, the alphabet Zeek's base62 formatting uses.</summary>
    private static ReadOnlySpan<byte> Digits => "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"u8;

    public static string Format(in FlowRecord r, ulong seed)
    {
        Span<byte> utf8 = stackalloc byte[Length];
        Format(in r, seed, utf8);
        return System.Text.Encoding.ASCII.GetString(utf8);
    }

    /// <summary>Writes the <see cref="Length"/> ASCII bytes of the uid into <paramref name="destination"/>.</summary>
    public static void Format(in FlowRecord r, ulong seed, Span<byte> destination)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, Length, nameof(destination));

        Span<byte> input = stackalloc byte[64];
        ref readonly FlowKey k = ref r.Key;
        BinaryPrimitives.WriteUInt64BigEndian(input, seed);
        BinaryPrimitives.WriteUInt64BigEndian(input[8..], k.AHi);
        BinaryPrimitives.WriteUInt64BigEndian(input[16..], k.ALo);
        BinaryPrimitives.WriteUInt64BigEndian(input[24..], k.BHi);
        BinaryPrimitives.WriteUInt64BigEndian(input[32..], k.BLo);
        BinaryPrimitives.WriteUInt16BigEndian(input[40..], k.PortA);
        BinaryPrimitives.WriteUInt16BigEndian(input[42..], k.PortB);
        input[44] = k.Protocol;
        input[45] = k.Family;
        BinaryPrimitives.WriteUInt16BigEndian(input[46..], k.Vlan);
        BinaryPrimitives.WriteInt64BigEndian(input[48..], r.FirstNs);
        BinaryPrimitives.WriteUInt32BigEndian(input[56..], r.Sequence);
        input[60] = r.OrigIsA ? (byte)1 : (byte)0;
        input[61] = input[62] = input[63] = 0;

        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(input, digest);

        destination[0] = (byte)'C';
        WriteBase62(BinaryPrimitives.ReadUInt64BigEndian(digest), destination.Slice(1, 11));
        WriteBase62(BinaryPrimitives.ReadUInt32BigEndian(digest[8..]), destination.Slice(12, 6));
    }

    /// <summary>Most significant digit first, left-padded with '0' to the span's length.</summary>
    private static void WriteBase62(ulong value, Span<byte> digits)
    {
        for (int i = digits.Length - 1; i >= 0; i--)
        {
            (value, ulong rem) = Math.DivRem(value, 62UL);
            digits[i] = Digits[(int)rem];
        }
    }
}
