using System.Buffers.Binary;
using System.Security.Cryptography;
using TapSensor.Sample;
using TapSensor.Sample.Payloads;

namespace TapSensor.Core.Tests.Sample.Payloads;

public sealed class QuicPacketProtectionTests
{
    /// <summary>The client's Destination Connection ID of RFC 9001 Appendix A.</summary>
    private static readonly byte[] ExampleId = Convert.FromHexString("8394c8f03e515708");

    [Fact]
    public void Client_initial_keys_match_rfc_9001_appendix_a1()
    {
        byte[] key = new byte[16], iv = new byte[12], hp = new byte[16];
        QuicPacketProtection.DeriveInitialKeys(ExampleId, server: false, key, iv, hp);
        Assert.Equal("1f369613dd76d5467730efcbe3b1a22d", Convert.ToHexStringLower(key));
        Assert.Equal("fa044b2f42a3fd3b46fb255c", Convert.ToHexStringLower(iv));
        Assert.Equal("9f50449e04a0e810283a1e9933adedd2", Convert.ToHexStringLower(hp));
    }

    [Fact]
    public void Server_initial_keys_match_rfc_9001_appendix_a1()
    {
        byte[] key = new byte[16], iv = new byte[12], hp = new byte[16];
        QuicPacketProtection.DeriveInitialKeys(ExampleId, server: true, key, iv, hp);
        Assert.Equal("cf3a5331653c364c88f0f379b6067e37", Convert.ToHexStringLower(key));
        Assert.Equal("0ac1493ca1905853b0bba03e", Convert.ToHexStringLower(iv));
        Assert.Equal("c206b8d9b9f0f37644430b490eeaa314", Convert.ToHexStringLower(hp));
    }

    [Fact]
    public void Client_initial_opens_with_the_derived_keys_and_holds_the_client_hello()
    {
        using var protection = new QuicPacketProtection();
        byte[] datagram = new byte[1500];
        byte[] sourceId = Convert.FromHexString("0a0b0c0d0e0f1011");
        int length = QuicPackets.WriteClientInitial(datagram, protection, ExampleId, sourceId, "www.example.org"u8, 42, 1250);
        Assert.Equal(1250, length);

        // Undo header protection (RFC 9001 §5.4): the sample starts 4 bytes after the packet number field.
        byte[] key = new byte[16], iv = new byte[12], hp = new byte[16];
        QuicPacketProtection.DeriveInitialKeys(ExampleId, server: false, key, iv, hp);
        int pnOffset = 1 + 4 + 1 + ExampleId.Length + 1 + sourceId.Length + 1 + 2;
        byte[] mask = new byte[16];
        using (var aes = Aes.Create())
        {
            aes.Key = hp;
            aes.EncryptEcb(datagram.AsSpan(pnOffset + 4, 16), mask, PaddingMode.None);
        }
        byte first = (byte)(datagram[0] ^ (mask[0] & 0x0F));
        Assert.Equal(0xC0, first & 0xF0); // long header, fixed bit, Initial
        int pnLength = (first & 0x03) + 1;
        byte[] header = datagram[..(pnOffset + pnLength)];
        header[0] = first;
        for (int i = 0; i < pnLength; i++)
            header[pnOffset + i] ^= mask[1 + i];
        int declared = BinaryPrimitives.ReadUInt16BigEndian(datagram.AsSpan(pnOffset - 2)) & 0x3FFF;
        Assert.Equal(length - pnOffset, declared);

        byte[] plaintext = new byte[length - header.Length - 16];
        using (var gcm = new AesGcm(key, 16))
        {
            gcm.Decrypt(iv, datagram.AsSpan(header.Length, plaintext.Length),
                datagram.AsSpan(header.Length + plaintext.Length, 16), plaintext, header);
        }
        Assert.Equal(0x06, plaintext[0]);  // CRYPTO frame at offset 0
        Assert.Equal(0x01, plaintext[4]);  // ClientHello
        Assert.True(plaintext.AsSpan().IndexOf("www.example.org"u8) > 0);
        Assert.True(plaintext.AsSpan().IndexOf(sourceId) > 0, "initial_source_connection_id must repeat the SCID");
    }

    [Fact]
    public void Expand_label_builds_the_tls13_info_and_matches_the_rfc_client_secret()
    {
        byte[] initial = new byte[32];
        HKDF.Extract(HashAlgorithmName.SHA256, ExampleId, Convert.FromHexString("38762cf7f55934b34d179ae6a4c80cadccbb7f0a"), initial);
        Assert.Equal("7db5df06e7a69e432496adedb00851923595221596ae2ae9fb8115c1e9ed0a44", Convert.ToHexStringLower(initial));
        byte[] secret = new byte[32];
        QuicPacketProtection.ExpandLabel(initial, "client in"u8, secret);
        Assert.Equal("c00cf151ca5be075ed0ebfb5c80323c42d6b7db67881289af4008f1f6c357aea", Convert.ToHexStringLower(secret));
    }
}
