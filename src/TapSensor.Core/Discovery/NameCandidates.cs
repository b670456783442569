using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using TapSensor.Core.Packets;

namespace TapSensor.Core.Discovery;

/// <summary>
/// Decides on the capture thread, from a packet's ports and first payload bytes, whether a flow worker's
/// name parsers need its payload: discovery protocols by port (DNS, mDNS, DHCP, DHCPv6, NetBIOS), TLS
/// handshakes and HTTP requests by their first bytes on any TCP port, QUIC Initials by their long header on
/// any UDP port, and neighbour discovery by ICMPv6 type. Everything else costs a few comparisons and is not
/// copied. One instance per capture thread; allocation-free.
/// <para>
/// A ClientHello larger than one segment continues in segments that start with no recognisable byte, so a
/// TLS record longer than the bytes at hand marks its flow (by hash, in a small direct-mapped table) for
/// the next few segments.
/// </para>
/// </summary>
internal sealed class NameCandidates
{
    /// <summary>Most payload bytes kept from one packet (a QUIC Initial is at most ~1500; larger DNS answers are read as far as kept).</summary>
    public const int MaxKeep = 2048;

    /// <summary>Further segments of a flow copied after a TLS handshake record that did not fit.</summary>
    public const int ContinuationSegments = 6;

    private const int ContinuationSlots = 1024;
    private readonly ulong[] _continuationHash = new ulong[ContinuationSlots];
    private readonly byte[] _continuationLeft = new byte[ContinuationSlots];

    /// <summary>How many payload bytes to keep for the name parsers (0: none).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int KeepLength(in PacketSummary packet, ReadOnlySpan<byte> payload)
    {
        if (payload.IsEmpty) return 0;
        return packet.Key.Protocol switch
        {
            17 => Udp(in packet, payload),
            6 => Tcp(in packet, payload),
            58 => Icmpv6(in packet, payload),
            _ => 0,
        };
    }

    private static int Udp(in PacketSummary packet, ReadOnlySpan<byte> payload)
    {
        ushort a = packet.Key.PortA, b = packet.Key.PortB;
        if (a == 53 || b == 53 || a == 5353 || b == 5353)
            return payload.Length >= 3 && (payload[2] & 0x80) != 0 ? Keep(payload) : 0; // responses only
        if (a is 67 or 68 or 137 or 546 or 547 || b is 67 or 68 or 137 or 546 or 547) return Keep(payload);
        // QUIC long header with the fixed bit (RFC 9000 §17.2), of a version whose Initials we can open.
        // A datagram cut by the snap length cannot be decrypted (the AEAD tag is at its end), so it is not copied.
        if (payload.Length >= 7 && (payload[0] & 0xC0) == 0xC0 && payload.Length == packet.PayloadLength)
        {
            uint version = BinaryPrimitives.ReadUInt32BigEndian(payload[1..]);
            if (version is 0x00000001 or 0x6b3343cf or 0xff00001d) return Keep(payload);
        }
        return 0;
    }

    private int Tcp(in PacketSummary packet, ReadOnlySpan<byte> payload)
    {
        ushort a = packet.Key.PortA, b = packet.Key.PortB;
        if (a == 53 || b == 53) return Keep(payload);
        byte first = payload[0];
        if (first == 0x16 && payload.Length >= 5 && payload[1] == 3)
        {
            int record = 5 + BinaryPrimitives.ReadUInt16BigEndian(payload[3..]);
            // A record longer than this segment continues in the next ones, unless the snap length cut it here.
            if (record > payload.Length && payload.Length == packet.PayloadLength) MarkContinuation(packet.Hash);
            return Keep(payload);
        }
        if (first is >= (byte)'C' and <= (byte)'T' && LooksLikeRequestLine(payload)) return Keep(payload);
        int slot = (int)(packet.Hash & (ContinuationSlots - 1));
        if (_continuationHash[slot] == packet.Hash && _continuationLeft[slot] > 0)
        {
            _continuationLeft[slot]--;
            return Keep(payload);
        }
        return 0;
    }

    private static int Icmpv6(in PacketSummary packet, ReadOnlySpan<byte> payload)
    {
        // The decoder keys ICMPv6 by type: the sender's "port" is the message type.
        ushort type = packet.SrcIsA ? packet.Key.PortA : packet.Key.PortB;
        return type is >= 133 and <= 136 ? Math.Min(payload.Length, 512) : 0;
    }

    private void MarkContinuation(ulong hash)
    {
        int slot = (int)(hash & (ContinuationSlots - 1));
        _continuationHash[slot] = hash;
        _continuationLeft[slot] = ContinuationSegments;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Keep(ReadOnlySpan<byte> payload) => Math.Min(payload.Length, MaxKeep);

    /// <summary>An HTTP/1.x method followed by a space (RFC 9110 §9).</summary>
    private static bool LooksLikeRequestLine(ReadOnlySpan<byte> p) =>
        p.StartsWith("GET "u8) || p.StartsWith("POST "u8) || p.StartsWith("HEAD "u8) || p.StartsWith("PUT "u8)
        || p.StartsWith("DELETE "u8) || p.StartsWith("OPTIONS "u8) || p.StartsWith("PATCH "u8)
        || p.StartsWith("CONNECT "u8) || p.StartsWith("TRACE "u8);
}
