namespace TapSensor.Sample.Wire;

/// <summary>IPv4 addresses are kept as host-order uints whose big-endian bytes are the dotted quad.</summary>
internal static class Ipv4
{
    public static uint Parse(string text)
    {
        Span<byte> bytes = stackalloc byte[4];
        System.Net.IPAddress.Parse(text).TryWriteBytes(bytes, out _);
        return System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(bytes);
    }

    public const uint Broadcast = 0xFFFF_FFFF;

    /// <summary>Ethernet multicast MAC 01:00:5e + the low 23 bits of an IPv4 group (RFC 1112 §6.4).</summary>
    public static ulong MulticastMac(uint group) => 0x0100_5E00_0000UL | (group & 0x7F_FFFF);
}
