using System.Buffers.Binary;
using System.Security.Cryptography;

namespace TapSensor.Sample.Payloads;

/// <summary>
/// QUIC v1 Initial packet protection (RFC 9001 §5). Initial keys come from the client's first Destination
/// Connection ID, so anyone on the path - a passive sensor included - can remove them: that is what makes the
/// ClientHello inside a QUIC Initial readable. Payloads are sealed with AES-128-GCM (§5.3) and the first byte and
/// packet number are then masked with AES-ECB over a 16-byte sample of the ciphertext (§5.4).
/// </summary>
internal sealed class QuicPacketProtection : IDisposable
{
    public const int KeyLength = 16;
    public const int IvLength = 12;
    public const int TagLength = 16;

    /// <summary>initial_salt for QUIC version 1 (RFC 9001 §5.2).</summary>
    private static ReadOnlySpan<byte> InitialSalt =>
    [
        0x38, 0x76, 0x2C, 0xF7, 0xF5, 0x59, 0x34, 0xB3, 0x4D, 0x17,
        0x9A, 0xE6, 0xA4, 0xC8, 0x0C, 0xAD, 0xCC, 0xBB, 0x7F, 0x0A,
    ];

    private readonly Aes _headerCipher = Aes.Create();

    /// <summary>
    /// initial_secret = HKDF-Extract(initial_salt, DCID); then "client in" or "server in", and from that secret
    /// "quic key", "quic iv" and "quic hp" (RFC 9001 §5.1-5.2).
    /// </summary>
    public static void DeriveInitialKeys(ReadOnlySpan<byte> originalDestinationId, bool server,
        Span<byte> key, Span<byte> iv, Span<byte> headerKey)
    {
        Span<byte> initial = stackalloc byte[32];
        HKDF.Extract(HashAlgorithmName.SHA256, originalDestinationId, InitialSalt, initial);
        Span<byte> secret = stackalloc byte[32];
        ExpandLabel(initial, server ? "server in"u8 : "client in"u8, secret);
        ExpandLabel(secret, "quic key"u8, key[..KeyLength]);
        ExpandLabel(secret, "quic iv"u8, iv[..IvLength]);
        ExpandLabel(secret, "quic hp"u8, headerKey[..KeyLength]);
    }

    /// <summary>
    /// HKDF-Expand-Label (RFC 8446 §7.1) with an empty context: the info is
    /// struct { uint16 length; opaque label&lt;7..255&gt; = "tls13 " + Label; opaque context&lt;0..255&gt;; }.
    /// </summary>
    public static void ExpandLabel(ReadOnlySpan<byte> secret, ReadOnlySpan<byte> label, Span<byte> output)
    {
        ReadOnlySpan<byte> prefix = "tls13 "u8;
        Span<byte> info = stackalloc byte[4 + prefix.Length + label.Length];
        BinaryPrimitives.WriteUInt16BigEndian(info, (ushort)output.Length);
        info[2] = (byte)(prefix.Length + label.Length);
        prefix.CopyTo(info[3..]);
        label.CopyTo(info[(3 + prefix.Length)..]);
        info[^1] = 0;
        HKDF.Expand(HashAlgorithmName.SHA256, secret, output, info);
    }

    /// <summary>
    /// Seals one long-header packet in place. <paramref name="packet"/> holds the header (ending with a
    /// <paramref name="packetNumberLength"/>-byte packet number at <paramref name="packetNumberOffset"/>), then the
    /// plaintext, then room for the 16-byte tag.
    /// </summary>
    public void Seal(Span<byte> packet, int packetNumberOffset, int packetNumberLength, uint packetNumber,
        ReadOnlySpan<byte> key, ReadOnlySpan<byte> iv, ReadOnlySpan<byte> headerKey)
    {
        int headerLength = packetNumberOffset + packetNumberLength;
        int plaintextLength = packet.Length - headerLength - TagLength;

        // The nonce is the IV XORed with the packet number, left-padded to the IV length (RFC 9001 §5.3).
        Span<byte> nonce = stackalloc byte[IvLength];
        iv[..IvLength].CopyTo(nonce);
        BinaryPrimitives.WriteUInt32BigEndian(nonce[8..], BinaryPrimitives.ReadUInt32BigEndian(nonce[8..]) ^ packetNumber);
        using (var aead = new AesGcm(key[..KeyLength], TagLength))
        {
            Span<byte> text = packet.Slice(headerLength, plaintextLength);
            aead.Encrypt(nonce, text, text, packet.Slice(headerLength + plaintextLength, TagLength), packet[..headerLength]);
        }

        // The sample starts 4 bytes after the start of the packet number field whatever its length (§5.4.2).
        Span<byte> mask = stackalloc byte[16];
        _headerCipher.SetKey(headerKey[..KeyLength]);
        _headerCipher.EncryptEcb(packet.Slice(packetNumberOffset + 4, 16), mask, PaddingMode.None);
        packet[0] ^= (byte)(mask[0] & 0x0F); // long header: the low four bits (§5.4.1)
        for (int i = 0; i < packetNumberLength; i++)
            packet[packetNumberOffset + i] ^= mask[1 + i];
    }

    public void Dispose() => _headerCipher.Dispose();
}
