using System.Buffers.Binary;

namespace TapSensor.Sample.Payloads;

/// <summary>ARP for IPv4 over Ethernet (RFC 826), 28 bytes.</summary>
internal static class ArpMessage
{
    public const ushort Request = 1;
    public const ushort Reply = 2;

    public static int Write(Span<byte> p, ushort operation, ulong senderMac, uint senderIp, ulong targetMac, uint targetIp)
    {
        BinaryPrimitives.WriteUInt16BigEndian(p, 1);        // hardware type Ethernet
        BinaryPrimitives.WriteUInt16BigEndian(p[2..], 0x0800);
        p[4] = 6;
        p[5] = 4;
        BinaryPrimitives.WriteUInt16BigEndian(p[6..], operation);
        Wire.Frames.WriteMac(p[8..], senderMac);
        BinaryPrimitives.WriteUInt32BigEndian(p[14..], senderIp);
        Wire.Frames.WriteMac(p[18..], targetMac);
        BinaryPrimitives.WriteUInt32BigEndian(p[24..], targetIp);
        return 28;
    }
}
