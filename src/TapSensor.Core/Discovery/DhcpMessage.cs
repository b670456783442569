using System.Buffers.Binary;

namespace TapSensor.Core.Discovery;

/// <summary>
/// The naming parts of a DHCP message (RFC 2131, options RFC 2132): the client's hardware address, the
/// address it has or is given, and what it calls itself: host name (option 12), client FQDN (option 81,
/// RFC 4702), client identifier (option 61) and vendor class (option 60). Every option length is checked
/// against the message; junk options end the walk with what was read so far.
/// </summary>
public sealed class DhcpMessage
{
    public const int MessageDiscover = 1;
    public const int MessageRequest = 3;
    public const int MessageAck = 5;
    public const int MessageInform = 8;

    private const int FixedLength = 236;
    private const uint MagicCookie = 0x63825363;

    public int Op { get; private init; }
    public int MessageType { get; private init; }
    /// <summary>48-bit client hardware address (Ethernet only), 0 otherwise.</summary>
    public ulong ClientMac { get; private init; }
    public NetAddress ClientAddress { get; private init; }
    public NetAddress YourAddress { get; private init; }
    public NetAddress RequestedAddress { get; private init; }
    public string? HostName { get; private init; }
    public string? ClientFqdn { get; private init; }
    /// <summary>Option 61 as lowercase hex (type byte first).</summary>
    public string? ClientId { get; private init; }
    public string? VendorClass { get; private init; }

    public bool IsFromClient => Op == 1;

    /// <summary>The address the client is known by after this message: the assigned, requested or current one.</summary>
    public NetAddress BoundAddress =>
        !YourAddress.IsNone && !YourAddress.IsUnspecified ? YourAddress
        : !ClientAddress.IsNone && !ClientAddress.IsUnspecified ? ClientAddress
        : RequestedAddress;

    public static DiscoveryParse TryParse(ReadOnlySpan<byte> message, out DhcpMessage? result)
    {
        result = null;
        if (message.Length < FixedLength + 4) return DiscoveryParse.Truncated;
        int op = message[0];
        if (op is not (1 or 2)) return DiscoveryParse.Malformed;
        int htype = message[1];
        int hlen = message[2];
        if (BinaryPrimitives.ReadUInt32BigEndian(message[FixedLength..]) != MagicCookie) return DiscoveryParse.Malformed;

        ulong mac = 0;
        if (htype == 1 && hlen == 6)
            mac = ((ulong)BinaryPrimitives.ReadUInt32BigEndian(message[28..]) << 16) | BinaryPrimitives.ReadUInt16BigEndian(message[32..]);
        var ciaddr = NetAddress.FromIPv4(BinaryPrimitives.ReadUInt32BigEndian(message[12..]));
        var yiaddr = NetAddress.FromIPv4(BinaryPrimitives.ReadUInt32BigEndian(message[16..]));

        int messageType = 0;
        NetAddress requested = default;
        string? hostName = null, fqdn = null, clientId = null, vendor = null;
        var outcome = DiscoveryParse.Ok;
        int o = FixedLength + 4;
        while (o < message.Length)
        {
            byte code = message[o];
            if (code == 0) { o++; continue; }     // pad
            if (code == 255) break;               // end
            if (o + 1 >= message.Length) { outcome = DiscoveryParse.Truncated; break; }
            int len = message[o + 1];
            int value = o + 2;
            if (value + len > message.Length) { outcome = DiscoveryParse.Truncated; break; }
            var data = message.Slice(value, len);
            switch (code)
            {
                case 53 when len == 1: messageType = data[0]; break;
                case 50 when len == 4: requested = NetAddress.FromIPv4(BinaryPrimitives.ReadUInt32BigEndian(data)); break;
                case 12 when len > 0: hostName = Label(data); break;
                case 81 when len > 3: fqdn = ReadFqdn(data[3..], (data[0] & 0x04) != 0); break;
                case 61 when len > 0: clientId = Convert.ToHexStringLower(data); break;
                case 60 when len > 0: vendor = Label(data); break;
            }
            o = value + len;
        }

        result = new DhcpMessage
        {
            Op = op,
            MessageType = messageType,
            ClientMac = mac,
            ClientAddress = ciaddr,
            YourAddress = yiaddr,
            RequestedAddress = requested,
            HostName = Blank(hostName),
            ClientFqdn = Blank(fqdn),
            ClientId = clientId,
            VendorClass = Blank(vendor),
        };
        return outcome;
    }

    /// <summary>Option 81's name: canonical wire format when the E flag is set (RFC 4702 §2.3.1), else ASCII.</summary>
    internal static string? ReadFqdn(ReadOnlySpan<byte> data, bool wireFormat)
    {
        if (!wireFormat) return Label(data);
        Span<byte> name = stackalloc byte[255];
        int length = 0;
        int o = 0;
        while (o < data.Length)
        {
            int len = data[o];
            if (len == 0) break;
            if (len > 63 || o + 1 + len > data.Length || length + len + 1 > name.Length) return null;
            if (length > 0) name[length++] = (byte)'.';
            data.Slice(o + 1, len).CopyTo(name[length..]);
            length += len;
            o += 1 + len;
        }
        return length == 0 ? null : Label(name[..length]);
    }

    /// <summary>A name as the client sent it: trailing NULs and dots dropped, non-printable bytes shown as '?'.</summary>
    internal static string Label(ReadOnlySpan<byte> data)
    {
        int end = data.Length;
        while (end > 0 && (data[end - 1] == 0 || data[end - 1] == (byte)'.' || data[end - 1] == (byte)' ')) end--;
        return end == 0 ? "" : DnsMessage.Text(data[..end]);
    }

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s;
}
