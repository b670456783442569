using System.Buffers.Binary;

namespace TapSensor.Sample.Payloads;

/// <summary>
/// The QUIC v1 datagrams of a connection's start (RFC 9000 §17): a real client Initial carrying the ClientHello, a
/// real server Initial with the ServerHello, and Handshake and 1-RTT packets whose protected payloads are random
/// bytes, since no one outside the connection can read those anyway.
/// </summary>
internal static class QuicPackets
{
    public const uint Version1 = 0x0000_0001;
    private const int PacketNumberLength = 2;

    /// <summary>
    /// Client Initial (§17.2.2) with a CRYPTO frame (§19.6) holding the ClientHello, padded with PADDING frames so
    /// the datagram is <paramref name="datagramLength"/> bytes: clients must send at least 1200 (§14.1).
    /// </summary>
    public static int WriteClientInitial(Span<byte> p, QuicPacketProtection protection, ReadOnlySpan<byte> destinationId,
        ReadOnlySpan<byte> sourceId, ReadOnlySpan<byte> serverName, ulong secretSeed, int datagramLength)
    {
        int pnOffset = LongHeader(p, 0xC0, destinationId, sourceId, withToken: true);
        int lengthAt = pnOffset - 2;
        int payloadAt = pnOffset + PacketNumberLength;
        BinaryPrimitives.WriteUInt16BigEndian(p[pnOffset..], 0);

        int o = payloadAt;
        p[o] = 0x06; // CRYPTO
        p[o + 1] = 0; // offset 0
        int hello = TlsHandshake.WriteClientHello(p[(o + 4)..], serverName, secretSeed, quic: true, sourceId);
        QuicVarInt.WriteTwoBytes(p[(o + 2)..], hello);
        o += 4 + hello;
        int end = Math.Max(datagramLength, o + QuicPacketProtection.TagLength + 1);
        p[o..(end - QuicPacketProtection.TagLength)].Clear(); // PADDING frames are zero bytes (§19.1)
        QuicVarInt.WriteTwoBytes(p[lengthAt..], end - pnOffset);

        Span<byte> key = stackalloc byte[QuicPacketProtection.KeyLength];
        Span<byte> iv = stackalloc byte[QuicPacketProtection.IvLength];
        Span<byte> hp = stackalloc byte[QuicPacketProtection.KeyLength];
        QuicPacketProtection.DeriveInitialKeys(destinationId, server: false, key, iv, hp);
        protection.Seal(p[..end], pnOffset, PacketNumberLength, 0, key, iv, hp);
        return end;
    }

    /// <summary>
    /// Server Initial acknowledging the client's packet 0 (ACK frame, §19.3) and carrying the ServerHello, protected
    /// with the server Initial keys of the client's original DCID. Returns the packet length; a Handshake packet is
    /// usually coalesced after it (§12.2).
    /// </summary>
    public static int WriteServerInitial(Span<byte> p, QuicPacketProtection protection, ReadOnlySpan<byte> originalDestinationId,
        ReadOnlySpan<byte> clientId, ReadOnlySpan<byte> serverId, ulong secretSeed)
    {
        int pnOffset = LongHeader(p, 0xC0, clientId, serverId, withToken: true);
        int lengthAt = pnOffset - 2;
        BinaryPrimitives.WriteUInt16BigEndian(p[pnOffset..], 0);
        int o = pnOffset + PacketNumberLength;
        // ACK: largest acknowledged 0, ack delay 0, no extra ranges, first range 0.
        p[o] = 0x02;
        p[o + 1] = 0;
        p[o + 2] = 0;
        p[o + 3] = 0;
        p[o + 4] = 0;
        o += 5;
        p[o] = 0x06;
        p[o + 1] = 0;
        int hello = TlsHandshake.WriteServerHello(p[(o + 4)..], secretSeed, quic: true);
        QuicVarInt.WriteTwoBytes(p[(o + 2)..], hello);
        o += 4 + hello;
        int end = o + QuicPacketProtection.TagLength;
        QuicVarInt.WriteTwoBytes(p[lengthAt..], end - pnOffset);

        Span<byte> key = stackalloc byte[QuicPacketProtection.KeyLength];
        Span<byte> iv = stackalloc byte[QuicPacketProtection.IvLength];
        Span<byte> hp = stackalloc byte[QuicPacketProtection.KeyLength];
        QuicPacketProtection.DeriveInitialKeys(originalDestinationId, server: true, key, iv, hp);
        protection.Seal(p[..end], pnOffset, PacketNumberLength, 0, key, iv, hp);
        return end;
    }

    /// <summary>
    /// Handshake packet (§17.2.4) of exactly <paramref name="length"/> bytes. Its keys come from the TLS handshake,
    /// so the protected first-byte bits and the payload are random as seen from outside.
    /// </summary>
    public static int WriteHandshake(Span<byte> p, ReadOnlySpan<byte> destinationId, ReadOnlySpan<byte> sourceId,
        int length, SampleRandom random)
    {
        byte first = (byte)(0xE0 | (random.NextUInt32() & 0x0F));
        int pnOffset = LongHeader(p, first, destinationId, sourceId, withToken: false);
        int end = Math.Max(length, pnOffset + 20 + QuicPacketProtection.TagLength);
        QuicVarInt.WriteTwoBytes(p[(pnOffset - 2)..], end - pnOffset);
        random.Fill(p[pnOffset..end]);
        return end;
    }

    /// <summary>
    /// 1-RTT packet with a short header (§17.3.1): fixed bit set, spin and protected bits random, then the
    /// destination connection id and the protected remainder.
    /// </summary>
    public static int WriteShort(Span<byte> p, ReadOnlySpan<byte> destinationId, int length, SampleRandom random)
    {
        p[0] = (byte)(0x40 | (random.NextUInt32() & 0x3F));
        destinationId.CopyTo(p[1..]);
        int o = 1 + destinationId.Length;
        int end = Math.Max(length, o + 20 + QuicPacketProtection.TagLength);
        random.Fill(p[o..end]);
        return end;
    }

    /// <summary>Long header up to and including a two-byte Length field; returns the packet-number offset.</summary>
    private static int LongHeader(Span<byte> p, byte first, ReadOnlySpan<byte> destinationId, ReadOnlySpan<byte> sourceId, bool withToken)
    {
        p[0] = (byte)(first | (PacketNumberLength - 1));
        BinaryPrimitives.WriteUInt32BigEndian(p[1..], Version1);
        int o = 5;
        p[o++] = (byte)destinationId.Length;
        destinationId.CopyTo(p[o..]);
        o += destinationId.Length;
        p[o++] = (byte)sourceId.Length;
        sourceId.CopyTo(p[o..]);
        o += sourceId.Length;
        if (withToken)
            p[o++] = 0; // token length 0: no Retry or NEW_TOKEN in play
        return o + 2;
    }
}
