using System.Buffers.Binary;
using TapSensor.Sample.Payloads;

namespace TapSensor.Core.Tests.Names;

/// <summary>
/// Client Initial packets (RFC 9000 §17.2.2) with hand-made frames, sealed by the sample generator's packet
/// protection (src/TapSensor.Sample/Payloads/QuicPacketProtection.cs), which was written and tested against
/// RFC 9001 Appendix A apart from the parser: the parser opening them is a cross-check of both.
/// </summary>
internal static class QuicInitialBuilder
{
    public static readonly byte[] ClientId = Convert.FromHexString("c0ffee0001");

    /// <summary>
    /// One QUIC v1 Initial: long header with a 2-byte packet number, <paramref name="frames"/>, then PADDING up to
    /// <paramref name="minimumLength"/> bytes. Keys come from <paramref name="keysFrom"/>, by default the DCID.
    /// </summary>
    public static byte[] Initial(byte[] dcid, uint packetNumber, byte[] frames, int minimumLength = 1200,
        byte[]? keysFrom = null, byte[]? token = null, byte[]? scid = null)
    {
        scid ??= ClientId;
        token ??= [];
        var header = new List<byte> { 0xC1 }; // long header, fixed bit, Initial, packet number length 2
        header.AddRange([0, 0, 0, 1]);
        header.Add((byte)dcid.Length);
        header.AddRange(dcid);
        header.Add((byte)scid.Length);
        header.AddRange(scid);
        header.AddRange(VarInt((ulong)token.Length));
        header.AddRange(token);
        int lengthAt = header.Count;
        header.AddRange([0x40, 0x00]); // Length, two-byte varint, filled in below
        int packetNumberOffset = header.Count;
        header.AddRange([(byte)(packetNumber >> 8), (byte)packetNumber]);

        int plaintextLength = Math.Max(frames.Length, minimumLength - header.Count - QuicPacketProtection.TagLength);
        plaintextLength = Math.Max(plaintextLength, 4); // the sample needs 16 bytes after the packet number
        byte[] packet = new byte[header.Count + plaintextLength + QuicPacketProtection.TagLength];
        header.CopyTo(packet);
        frames.CopyTo(packet, header.Count); // the rest stays zero: PADDING frames (RFC 9000 §19.1)
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(lengthAt), (ushort)(0x4000 | (packet.Length - packetNumberOffset)));

        byte[] key = new byte[16], iv = new byte[12], hp = new byte[16];
        QuicPacketProtection.DeriveInitialKeys(keysFrom ?? dcid, server: false, key, iv, hp);
        using var protection = new QuicPacketProtection();
        protection.Seal(packet, packetNumberOffset, 2, packetNumber, key, iv, hp);
        return packet;
    }

    /// <summary>A long-header packet of another type (0-RTT 1, Handshake 2) with a random-looking body.</summary>
    public static byte[] OtherLongHeader(int type, byte[] dcid, int bodyLength)
    {
        var p = new List<byte> { (byte)(0xC0 | type << 4 | 1), 0, 0, 0, 1, (byte)dcid.Length };
        p.AddRange(dcid);
        p.Add((byte)ClientId.Length);
        p.AddRange(ClientId);
        p.AddRange([(byte)(0x40 | bodyLength >> 8), (byte)bodyLength]);
        for (int i = 0; i < bodyLength; i++) p.Add((byte)(i * 31 + 7));
        return [.. p];
    }

    /// <summary>CRYPTO frame (RFC 9000 §19.6) with <paramref name="data"/> at <paramref name="offset"/>.</summary>
    public static byte[] Crypto(int offset, ReadOnlySpan<byte> data) =>
        [0x06, .. VarInt((ulong)offset), .. VarInt((ulong)data.Length), .. data];

    public static byte[] VarInt(ulong value)
    {
        byte[] b = new byte[QuicVarInt.Length(value)];
        QuicVarInt.Write(b, value);
        return b;
    }
}
