using System.Buffers.Binary;

namespace TapSensor.Sample.Payloads;

/// <summary>QUIC variable-length integers (RFC 9000 §16): the top two bits of the first byte give the length.</summary>
internal static class QuicVarInt
{
    public static int Length(ulong value) => value switch
    {
        < 1UL << 6 => 1,
        < 1UL << 14 => 2,
        < 1UL << 30 => 4,
        _ => 8,
    };

    public static int Write(Span<byte> p, ulong value)
    {
        switch (Length(value))
        {
            case 1:
                p[0] = (byte)value;
                return 1;
            case 2:
                BinaryPrimitives.WriteUInt16BigEndian(p, (ushort)(0x4000 | value));
                return 2;
            case 4:
                BinaryPrimitives.WriteUInt32BigEndian(p, (uint)(0x8000_0000UL | value));
                return 4;
            default:
                BinaryPrimitives.WriteUInt64BigEndian(p, 0xC000_0000_0000_0000UL | value);
                return 8;
        }
    }

    /// <summary>Always the two-byte form, for length fields written before the value is known.</summary>
    public static void WriteTwoBytes(Span<byte> p, int value) => BinaryPrimitives.WriteUInt16BigEndian(p, (ushort)(0x4000 | value));
}
