using System.Buffers.Binary;
using System.Security.Cryptography;

namespace TapSensor.Core.Names;

/// <summary>
/// The client Initial keys of one Destination Connection ID (RFC 9001 §5.2) with the cipher objects that use
/// them, kept so that further packets of the same connection neither derive nor allocate again. Initial keys are
/// not secrets (anyone who sees the DCID can derive them), so nothing is wiped. Owned by one
/// <see cref="QuicInitialParser"/>; not thread-safe.
/// </summary>
internal sealed class QuicInitialKeys : IDisposable
{
    public const int KeyLength = 16;
    public const int IvLength = 12;
    public const int TagLength = 16;
    public const int MaxConnectionIdLength = 20;

    private readonly byte[] _connectionId = new byte[MaxConnectionIdLength];
    private readonly byte[] _iv = new byte[IvLength];
    private readonly Aes _headerProtection = CreateEcb();
    private readonly byte[] _sample = new byte[16];
    private readonly byte[] _mask = new byte[16];
    private ICryptoTransform? _headerEncryptor;
    private int _connectionIdLength = -1;
    private QuicKeySchedule _schedule;
    private AesGcm? _aead;

    private static Aes CreateEcb()
    {
        var aes = Aes.Create();
        aes.Mode = CipherMode.ECB;
        aes.Padding = PaddingMode.None;
        return aes;
    }

    public bool Matches(QuicKeySchedule schedule, ReadOnlySpan<byte> connectionId) =>
        _schedule == schedule && _connectionIdLength == connectionId.Length
        && connectionId.SequenceEqual(_connectionId.AsSpan(0, _connectionIdLength));

    /// <summary>Derives the keys of <paramref name="connectionId"/>; allocates a new AES-GCM object.</summary>
    public void Load(QuicKeySchedule schedule, ReadOnlySpan<byte> connectionId)
    {
        Span<byte> key = stackalloc byte[KeyLength];
        Span<byte> headerKey = stackalloc byte[KeyLength];
        Derive(schedule, connectionId, key, _iv, headerKey);
        _aead?.Dispose();
        _aead = new AesGcm(key, TagLength);
        _headerProtection.SetKey(headerKey);
        // One encryptor per key: Aes.EncryptEcb builds a native cipher context (and a handle object) on every call.
        _headerEncryptor?.Dispose();
        _headerEncryptor = _headerProtection.CreateEncryptor();
        connectionId.CopyTo(_connectionId);
        _connectionIdLength = connectionId.Length;
        _schedule = schedule;
    }

    /// <summary>
    /// initial_secret = HKDF-Extract(initial_salt, client_dst_connection_id);
    /// client_initial_secret = HKDF-Expand-Label(initial_secret, "client in", "", 32);
    /// then key, iv and hp from it with the version's labels (RFC 9001 §5.1-5.2, RFC 9369 §3.3).
    /// </summary>
    public static void Derive(QuicKeySchedule schedule, ReadOnlySpan<byte> connectionId, Span<byte> key, Span<byte> iv, Span<byte> headerKey)
    {
        Span<byte> initial = stackalloc byte[32];
        Span<byte> client = stackalloc byte[32];
        HKDF.Extract(HashAlgorithmName.SHA256, connectionId, QuicVersion.Salt(schedule), initial);
        ExpandLabel(initial, "client in"u8, client);
        ExpandLabel(client, QuicVersion.KeyLabel(schedule), key[..KeyLength]);
        ExpandLabel(client, QuicVersion.IvLabel(schedule), iv[..IvLength]);
        ExpandLabel(client, QuicVersion.HeaderProtectionLabel(schedule), headerKey[..KeyLength]);
    }

    /// <summary>
    /// HKDF-Expand-Label (RFC 8446 §7.1) with an empty context. HkdfLabel is
    /// <c>uint16 length; opaque label&lt;7..255&gt; = "tls13 " + Label; opaque context&lt;0..255&gt;</c>.
    /// </summary>
    private static void ExpandLabel(ReadOnlySpan<byte> secret, ReadOnlySpan<byte> label, Span<byte> output)
    {
        ReadOnlySpan<byte> prefix = "tls13 "u8;
        Span<byte> info = stackalloc byte[2 + 1 + prefix.Length + label.Length + 1];
        BinaryPrimitives.WriteUInt16BigEndian(info, (ushort)output.Length);
        info[2] = (byte)(prefix.Length + label.Length);
        prefix.CopyTo(info[3..]);
        label.CopyTo(info[(3 + prefix.Length)..]);
        info[^1] = 0;
        HKDF.Expand(HashAlgorithmName.SHA256, secret, output, info);
    }

    /// <summary>The header protection mask, AES-ECB of the 16-byte sample (RFC 9001 §5.4.3).</summary>
    public void Mask(ReadOnlySpan<byte> sample, Span<byte> mask)
    {
        sample[..16].CopyTo(_sample);
        _headerEncryptor!.TransformBlock(_sample, 0, 16, _mask, 0);
        _mask.CopyTo(mask);
    }

    /// <summary>
    /// AEAD_AES_128_GCM open (RFC 9001 §5.3): nonce = iv XOR the packet number, left-padded to 12 bytes. False when
    /// the tag does not match: a server packet, or keys of another connection ID.
    /// </summary>
    public bool TryOpen(long packetNumber, ReadOnlySpan<byte> ciphertext, ReadOnlySpan<byte> tag, Span<byte> plaintext,
        ReadOnlySpan<byte> header)
    {
        Span<byte> nonce = stackalloc byte[IvLength];
        _iv.CopyTo(nonce);
        ulong low = BinaryPrimitives.ReadUInt64BigEndian(nonce[4..]) ^ (ulong)packetNumber;
        BinaryPrimitives.WriteUInt64BigEndian(nonce[4..], low);
        try
        {
            _aead!.Decrypt(nonce, ciphertext, tag, plaintext, header);
            return true;
        }
        catch (CryptographicException)
        {
            // AesGcm has no non-throwing open. Callers filter most wrong-key packets first by the reserved header
            // bits, so this stays off the common path.
            return false;
        }
    }

    public void Dispose()
    {
        _aead?.Dispose();
        _headerEncryptor?.Dispose();
        _headerProtection.Dispose();
    }
}
