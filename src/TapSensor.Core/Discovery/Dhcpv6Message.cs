using System.Buffers.Binary;

namespace TapSensor.Core.Discovery;

/// <summary>
/// The naming parts of a DHCPv6 message (RFC 8415): the client's DUID (option 1), its FQDN (option 39,
/// RFC 4704) and the addresses of IA_NA options (option 3 with IAADDR, option 5). Relay messages are not
/// unwrapped: a household's router is the server itself.
/// </summary>
public sealed class Dhcpv6Message
{
    private const int OptionClientId = 1;
    private const int OptionIaNa = 3;
    private const int OptionIaAddress = 5;
    private const int OptionClientFqdn = 39;

    public int MessageType { get; private init; }
    /// <summary>Option 1 as lowercase hex.</summary>
    public string? ClientDuid { get; private init; }
    /// <summary>The link-layer address inside a DUID-LLT or DUID-LL of an Ethernet client, else 0.</summary>
    public ulong DuidMac { get; private init; }
    public string? ClientFqdn { get; private init; }
    public IReadOnlyList<NetAddress> Addresses { get; private init; } = [];

    /// <summary>Solicit, Request, Confirm, Renew, Rebind, Release, Decline, Information-request.</summary>
    public bool IsFromClient => MessageType is 1 or 3 or 4 or 5 or 6 or 8 or 9 or 11;

    public static DiscoveryParse TryParse(ReadOnlySpan<byte> message, out Dhcpv6Message? result)
    {
        result = null;
        if (message.Length < 4) return DiscoveryParse.Truncated;
        int type = message[0];
        if (type is 0 or 12 or 13 or > 36) return DiscoveryParse.Ignored;

        string? duid = null, fqdn = null;
        ulong duidMac = 0;
        var addresses = new List<NetAddress>();
        var outcome = DiscoveryParse.Ok;
        int o = 4;
        while (o < message.Length)
        {
            if (o + 4 > message.Length) { outcome = DiscoveryParse.Truncated; break; }
            int code = BinaryPrimitives.ReadUInt16BigEndian(message[o..]);
            int len = BinaryPrimitives.ReadUInt16BigEndian(message[(o + 2)..]);
            int value = o + 4;
            if (value + len > message.Length) { outcome = DiscoveryParse.Truncated; break; }
            var data = message.Slice(value, len);
            switch (code)
            {
                case OptionClientId when len >= 2:
                    duid = Convert.ToHexStringLower(data);
                    duidMac = DuidLinkLayer(data);
                    break;
                case OptionClientFqdn when len > 1:
                    fqdn = DhcpMessage.ReadFqdn(data[1..], wireFormat: true);
                    break;
                case OptionIaNa when len >= 12:
                    ReadIaAddresses(data[12..], addresses);
                    break;
            }
            o = value + len;
        }

        result = new Dhcpv6Message
        {
            MessageType = type,
            ClientDuid = duid,
            DuidMac = duidMac,
            ClientFqdn = string.IsNullOrWhiteSpace(fqdn) ? null : fqdn,
            Addresses = addresses,
        };
        return outcome;
    }

    private static void ReadIaAddresses(ReadOnlySpan<byte> options, List<NetAddress> into)
    {
        int o = 0;
        while (o + 4 <= options.Length && into.Count < 16)
        {
            int code = BinaryPrimitives.ReadUInt16BigEndian(options[o..]);
            int len = BinaryPrimitives.ReadUInt16BigEndian(options[(o + 2)..]);
            if (o + 4 + len > options.Length) return;
            if (code == OptionIaAddress && len >= 24) into.Add(NetAddress.FromIPv6(options.Slice(o + 4, 16)));
            o += 4 + len;
        }
    }

    /// <summary>DUID-LLT (type 1: hardware type, time, address) or DUID-LL (type 3: hardware type, address) of Ethernet (hardware type 1).</summary>
    private static ulong DuidLinkLayer(ReadOnlySpan<byte> duid)
    {
        if (duid.Length < 4) return 0;
        int type = BinaryPrimitives.ReadUInt16BigEndian(duid);
        int hardware = BinaryPrimitives.ReadUInt16BigEndian(duid[2..]);
        if (hardware != 1) return 0;
        int at = type switch { 1 => 8, 3 => 4, _ => -1 };
        if (at < 0 || duid.Length != at + 6) return 0;
        return ((ulong)BinaryPrimitives.ReadUInt32BigEndian(duid[at..]) << 16) | BinaryPrimitives.ReadUInt16BigEndian(duid[(at + 4)..]);
    }
}
