using System.Buffers.Binary;
using System.Text;

namespace TapSensor.Core.Tests.Names;

/// <summary>
/// Hand-built ClientHello handshake messages (RFC 8446 §4.1.2) and the TLS records that carry them (§5.1), with
/// every field settable so tests can break one rule at a time.
/// </summary>
internal sealed class ClientHelloBuilder
{
    private readonly List<(ushort Type, byte[] Data)> _extensions = [];

    public ushort LegacyVersion { get; set; } = 0x0303;
    public byte[] SessionId { get; set; } = new byte[32];
    public byte[] CipherSuites { get; set; } = [0x13, 0x01, 0x13, 0x02, 0xC0, 0x2F];
    public byte[] CompressionMethods { get; set; } = [0];
    /// <summary>False writes a hello that stops after the compression methods (TLS 1.0 without extensions).</summary>
    public bool WithExtensionBlock { get; set; } = true;
    /// <summary>Added to the extension block's declared length.</summary>
    public int ExtensionsLengthError { get; set; }

    public static ClientHelloBuilder WithServerName(string name) => new ClientHelloBuilder().ServerName(name);

    /// <summary>server_name (RFC 6066 §3) with one host_name entry.</summary>
    public ClientHelloBuilder ServerName(string name) => Extension(0, ServerNameList((0, Encoding.ASCII.GetBytes(name))));

    public ClientHelloBuilder Extension(ushort type, byte[] data)
    {
        _extensions.Add((type, data));
        return this;
    }

    /// <summary>RFC 8701 GREASE: 0x?A?A extension types with junk, as browsers send.</summary>
    public ClientHelloBuilder Grease(int index) => Extension((ushort)(0x0A0A + 0x1010 * (index % 16)), index % 2 == 0 ? [] : [0]);

    /// <summary>A browser-like set: supported_groups, ec_point_formats, session_ticket, ALPN, signature_algorithms, key_share, supported_versions.</summary>
    public ClientHelloBuilder CommonExtensions(int keyShareLength = 32)
    {
        Extension(0x000A, [0x00, 0x06, 0x00, 0x1D, 0x00, 0x17, 0x00, 0x18]);
        Extension(0x000B, [0x01, 0x00]);
        Extension(0x0023, []);
        Extension(0x0010, [0x00, 0x0C, 0x02, (byte)'h', (byte)'2', 0x08, .. "http/1.1"u8]);
        Extension(0x000D, [0x00, 0x04, 0x04, 0x03, 0x08, 0x04]);
        byte[] share = new byte[2 + 4 + keyShareLength];
        BinaryPrimitives.WriteUInt16BigEndian(share, (ushort)(4 + keyShareLength));
        BinaryPrimitives.WriteUInt16BigEndian(share.AsSpan(2), 0x11EC); // X25519MLKEM768 when large, whatever the size
        BinaryPrimitives.WriteUInt16BigEndian(share.AsSpan(4), (ushort)keyShareLength);
        for (int i = 0; i < keyShareLength; i++) share[6 + i] = (byte)(i * 7);
        Extension(0x0033, share);
        Extension(0x002B, [0x04, 0x03, 0x04, 0x03, 0x03]);
        return this;
    }

    public static byte[] ServerNameList(params (byte Type, byte[] Name)[] entries)
    {
        var list = new List<byte>();
        foreach ((byte type, byte[] name) in entries)
        {
            list.Add(type);
            list.Add((byte)(name.Length >> 8));
            list.Add((byte)name.Length);
            list.AddRange(name);
        }
        return [(byte)(list.Count >> 8), (byte)list.Count, .. list];
    }

    /// <summary>The handshake message: type 1, 24-bit length, body.</summary>
    public byte[] Message()
    {
        var body = new List<byte> { (byte)(LegacyVersion >> 8), (byte)LegacyVersion };
        for (int i = 0; i < 32; i++) body.Add((byte)(0xA0 + i));
        body.Add((byte)SessionId.Length);
        body.AddRange(SessionId);
        body.Add((byte)(CipherSuites.Length >> 8));
        body.Add((byte)CipherSuites.Length);
        body.AddRange(CipherSuites);
        body.Add((byte)CompressionMethods.Length);
        body.AddRange(CompressionMethods);
        if (WithExtensionBlock)
        {
            var block = new List<byte>();
            foreach ((ushort type, byte[] data) in _extensions)
            {
                block.Add((byte)(type >> 8));
                block.Add((byte)type);
                block.Add((byte)(data.Length >> 8));
                block.Add((byte)data.Length);
                block.AddRange(data);
            }
            int declared = block.Count + ExtensionsLengthError;
            body.Add((byte)(declared >> 8));
            body.Add((byte)declared);
            body.AddRange(block);
        }
        return [1, (byte)(body.Count >> 16), (byte)(body.Count >> 8), (byte)body.Count, .. body];
    }

    /// <summary>The message in one handshake record.</summary>
    public byte[] Record() => Records(Message());

    /// <summary>
    /// <paramref name="message"/> cut into records of the given fragment sizes; the last record takes the rest.
    /// </summary>
    public static byte[] Records(byte[] message, params int[] fragmentSizes)
    {
        var stream = new List<byte>();
        int at = 0;
        foreach (int size in fragmentSizes.Append(int.MaxValue))
        {
            int take = Math.Min(size, message.Length - at);
            if (take <= 0) break;
            stream.AddRange(RecordHeader(22, 0x0301, take));
            stream.AddRange(message.AsSpan(at, take).ToArray());
            at += take;
        }
        return [.. stream];
    }

    public static byte[] RecordHeader(byte contentType, ushort version, int length) =>
        [contentType, (byte)(version >> 8), (byte)version, (byte)(length >> 8), (byte)length];
}
