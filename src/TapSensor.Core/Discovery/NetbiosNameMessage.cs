using System.Buffers.Binary;

namespace TapSensor.Core.Discovery;

/// <summary>
/// NetBIOS name service (RFC 1001/1002, UDP 137): a Windows or Samba host registers and refreshes its own
/// names, and answers queries for them. We keep unique (non-group) names with suffix 0x00 (workstation)
/// or 0x20 (file server) together with the address they are registered to.
/// </summary>
public static class NetbiosNameMessage
{
    private const int HeaderLength = 12;
    private const int EncodedLength = 32;

    public static DiscoveryParse TryParse(ReadOnlySpan<byte> message, out string? name, out NetAddress address)
    {
        name = null;
        address = default;
        if (message.Length < HeaderLength) return DiscoveryParse.Truncated;
        ushort flags = BinaryPrimitives.ReadUInt16BigEndian(message[2..]);
        bool response = (flags & 0x8000) != 0;
        int opcode = (flags >> 11) & 0xF;
        int qd = BinaryPrimitives.ReadUInt16BigEndian(message[4..]);
        int an = BinaryPrimitives.ReadUInt16BigEndian(message[6..]);
        int ar = BinaryPrimitives.ReadUInt16BigEndian(message[10..]);

        // Registration (5), refresh (8, 9) and multi-homed registration (15) requests carry the name as the
        // question and the address in an additional record; a positive query answer carries both in the answer.
        bool registration = !response && opcode is 5 or 8 or 9 or 15 && qd == 1 && ar >= 1;
        bool answer = response && opcode == 0 && an >= 1 && (flags & 0xF) == 0;
        if (!registration && !answer) return DiscoveryParse.Ignored;

        int o = HeaderLength;
        Span<byte> decoded = stackalloc byte[16];
        var status = ReadEncodedName(message, ref o, decoded);
        if (status != DiscoveryParse.Ok) return status;
        if (registration)
        {
            if (o + 4 > message.Length) return DiscoveryParse.Truncated;
            o += 4; // question type and class
            // The additional record's name is normally a pointer back to the question.
            if (o >= message.Length) return DiscoveryParse.Truncated;
            if ((message[o] & 0xC0) == 0xC0) o += 2;
            else
            {
                Span<byte> again = stackalloc byte[16];
                status = ReadEncodedName(message, ref o, again);
                if (status != DiscoveryParse.Ok) return status;
            }
        }
        if (o + 10 > message.Length) return DiscoveryParse.Truncated;
        ushort type = BinaryPrimitives.ReadUInt16BigEndian(message[o..]);
        int rdLength = BinaryPrimitives.ReadUInt16BigEndian(message[(o + 8)..]);
        o += 10;
        if (type != 0x0020 || rdLength < 6) return DiscoveryParse.Ignored; // NB records only
        if (o + 6 > message.Length) return DiscoveryParse.Truncated;
        ushort nbFlags = BinaryPrimitives.ReadUInt16BigEndian(message[o..]);
        if ((nbFlags & 0x8000) != 0) return DiscoveryParse.Ignored; // a group name (workgroup, domain)
        byte suffix = decoded[15];
        if (suffix is not (0x00 or 0x20)) return DiscoveryParse.Ignored;

        int end = 15;
        while (end > 0 && decoded[end - 1] == (byte)' ') end--;
        if (end == 0) return DiscoveryParse.Ignored;
        name = DnsMessage.Text(decoded[..end]);
        address = NetAddress.FromIPv4(BinaryPrimitives.ReadUInt32BigEndian(message[(o + 2)..]));
        return DiscoveryParse.Ok;
    }

    /// <summary>First-level decoding (RFC 1001 §14.1): 32 letters 'A'..'P', two per byte, then optional scope labels.</summary>
    private static DiscoveryParse ReadEncodedName(ReadOnlySpan<byte> message, ref int offset, Span<byte> decoded)
    {
        if (offset >= message.Length) return DiscoveryParse.Truncated;
        if (message[offset] != EncodedLength) return DiscoveryParse.Malformed;
        if (offset + 1 + EncodedLength > message.Length) return DiscoveryParse.Truncated;
        for (int i = 0; i < 16; i++)
        {
            int high = message[offset + 1 + 2 * i] - 'A';
            int low = message[offset + 2 + 2 * i] - 'A';
            if ((uint)high > 15 || (uint)low > 15) return DiscoveryParse.Malformed;
            decoded[i] = (byte)(high << 4 | low);
        }
        offset += 1 + EncodedLength;
        // Skip the scope: plain labels up to the root.
        for (int labels = 0; labels < 64; labels++)
        {
            if (offset >= message.Length) return DiscoveryParse.Truncated;
            int len = message[offset];
            if (len == 0) { offset++; return DiscoveryParse.Ok; }
            if (len > 63) return DiscoveryParse.Malformed;
            offset += 1 + len;
        }
        return DiscoveryParse.Malformed;
    }
}
