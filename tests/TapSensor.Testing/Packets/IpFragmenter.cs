using System.Buffers.Binary;

namespace TapSensor.Testing.Packets;

/// <summary>Cuts IP packets into fragments the way a sending host would (RFC 791 §2.3, RFC 8200 §4.5).</summary>
public static class IpFragmenter
{
    /// <summary>
    /// Fragments <paramref name="packet"/> so each fragment carries at most <paramref name="fragmentPayloadSize"/>
    /// bytes (rounded down to a multiple of 8). IPv4 keeps its identification; IPv6 gets a fragment header with
    /// <paramref name="ipv6Identification"/> right after the fixed header.
    /// </summary>
    public static IReadOnlyList<byte[]> Fragment(byte[] packet, int fragmentPayloadSize, uint ipv6Identification)
    {
        int size = fragmentPayloadSize / 8 * 8;
        if (size < 8) throw new ArgumentOutOfRangeException(nameof(fragmentPayloadSize), "At least 8 bytes per fragment.");
        return packet[0] >> 4 == 6 ? FragmentIpv6(packet, size, ipv6Identification) : FragmentIpv4(packet, size);
    }

    private static List<byte[]> FragmentIpv4(byte[] packet, int size)
    {
        int headerLength = (packet[0] & 0x0F) * 4;
        int totalLength = BinaryPrimitives.ReadUInt16BigEndian(packet.AsSpan(2));
        var fragments = new List<byte[]>();
        for (int offset = headerLength; offset < totalLength; offset += size)
        {
            int chunk = Math.Min(size, totalLength - offset);
            bool last = offset + chunk >= totalLength;
            var fragment = new byte[headerLength + chunk];
            packet.AsSpan(0, headerLength).CopyTo(fragment);
            packet.AsSpan(offset, chunk).CopyTo(fragment.AsSpan(headerLength));
            BinaryPrimitives.WriteUInt16BigEndian(fragment.AsSpan(2), (ushort)fragment.Length);
            ushort field = (ushort)((offset - headerLength) / 8);
            if (!last) field |= 0x2000;
            BinaryPrimitives.WriteUInt16BigEndian(fragment.AsSpan(6), field);
            UpdateIpv4Checksum(fragment);
            fragments.Add(fragment);
        }
        return fragments;
    }

    private static List<byte[]> FragmentIpv6(byte[] packet, int size, uint identification)
    {
        byte next = packet[6];
        var fragments = new List<byte[]>();
        for (int offset = 40; offset < packet.Length; offset += size)
        {
            int chunk = Math.Min(size, packet.Length - offset);
            bool last = offset + chunk >= packet.Length;
            var fragment = new byte[48 + chunk];
            packet.AsSpan(0, 40).CopyTo(fragment);
            fragment[6] = 44;
            BinaryPrimitives.WriteUInt16BigEndian(fragment.AsSpan(4), (ushort)(8 + chunk));
            fragment[40] = next;
            ushort field = (ushort)(offset - 40);
            if (!last) field |= 1;
            BinaryPrimitives.WriteUInt16BigEndian(fragment.AsSpan(42), field);
            BinaryPrimitives.WriteUInt32BigEndian(fragment.AsSpan(44), identification);
            packet.AsSpan(offset, chunk).CopyTo(fragment.AsSpan(48));
            fragments.Add(fragment);
        }
        return fragments;
    }

    /// <summary>Recomputes the IPv4 header checksum in place (RFC 791 §3.1).</summary>
    public static void UpdateIpv4Checksum(byte[] packet)
    {
        int headerLength = (packet[0] & 0x0F) * 4;
        packet[10] = 0;
        packet[11] = 0;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(10), InternetChecksum(packet.AsSpan(0, headerLength)));
    }

    /// <summary>The Internet checksum (RFC 1071) of <paramref name="data"/>.</summary>
    public static ushort InternetChecksum(ReadOnlySpan<byte> data)
    {
        uint sum = 0;
        int i = 0;
        for (; i + 1 < data.Length; i += 2) sum += BinaryPrimitives.ReadUInt16BigEndian(data[i..]);
        if (i < data.Length) sum += (uint)data[i] << 8;
        while (sum > 0xFFFF) sum = (sum & 0xFFFF) + (sum >> 16);
        return (ushort)~sum;
    }
}
