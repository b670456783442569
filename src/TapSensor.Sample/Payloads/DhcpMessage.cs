using System.Buffers.Binary;

namespace TapSensor.Sample.Payloads;

/// <summary>What a device says about itself in DHCP: host name (option 12), vendor class (60), FQDN (81).</summary>
internal readonly record struct DhcpIdentity(string? HostName, string? VendorClass, string? Fqdn, byte[] ParameterRequestList);

/// <summary>BOOTP/DHCP messages (RFC 2131 §2 and §4.3, options from RFC 2132).</summary>
internal static class DhcpMessage
{
    public const byte Discover = 1;
    public const byte Offer = 2;
    public const byte Request = 3;
    public const byte Ack = 5;

    private const int FixedLength = 236;
    private const uint MagicCookie = 0x63825363;
    /// <summary>Many clients pad to the BOOTP minimum of 300 bytes (RFC 1542 §3.2.1).</summary>
    private const int MinimumLength = 300;

    /// <summary>
    /// Writes a client (DISCOVER, REQUEST) or server (OFFER, ACK) message. <paramref name="yourAddress"/> and
    /// <paramref name="serverId"/> are the offered address and the server identifier (option 54).
    /// </summary>
    public static int Write(Span<byte> p, byte type, uint transactionId, ushort seconds, ulong clientMac,
        uint yourAddress, uint serverId, in DhcpIdentity identity, in DhcpLease lease)
    {
        bool fromServer = type is Offer or Ack;
        p[..FixedLength].Clear();
        p[0] = fromServer ? (byte)2 : (byte)1; // op: BOOTREPLY / BOOTREQUEST
        p[1] = 1; // htype Ethernet
        p[2] = 6; // hlen
        BinaryPrimitives.WriteUInt32BigEndian(p[4..], transactionId);
        BinaryPrimitives.WriteUInt16BigEndian(p[8..], fromServer ? (ushort)0 : seconds);
        if (fromServer)
            BinaryPrimitives.WriteUInt32BigEndian(p[16..], yourAddress);
        Wire.Frames.WriteMac(p[28..], clientMac);
        BinaryPrimitives.WriteUInt32BigEndian(p[FixedLength..], MagicCookie);
        int o = FixedLength + 4;

        o = Option(p, o, 53, type);
        if (fromServer)
        {
            o = Option32(p, o, 54, serverId);
            o = Option32(p, o, 51, lease.LeaseSeconds);
            o = Option32(p, o, 58, lease.LeaseSeconds / 2);      // T1, RFC 2131 §4.4.5
            o = Option32(p, o, 59, lease.LeaseSeconds / 8 * 7);  // T2
            o = Option32(p, o, 1, lease.SubnetMask);
            o = Option32(p, o, 28, (yourAddress & lease.SubnetMask) | ~lease.SubnetMask);
            o = Option32(p, o, 3, lease.Router);
            o = Option32(p, o, 6, lease.DnsServer);
            o = OptionText(p, o, 15, lease.DomainName);
        }
        else
        {
            // Client identifier: hardware type 1 followed by the MAC (RFC 2132 §9.14).
            p[o] = 61;
            p[o + 1] = 7;
            p[o + 2] = 1;
            Wire.Frames.WriteMac(p[(o + 3)..], clientMac);
            o += 9;
            p[o] = 57;
            p[o + 1] = 2;
            BinaryPrimitives.WriteUInt16BigEndian(p[(o + 2)..], 1500);
            o += 4;
            if (type == Request)
            {
                o = Option32(p, o, 50, yourAddress);
                o = Option32(p, o, 54, serverId);
            }
            if (identity.HostName is not null)
                o = OptionText(p, o, 12, identity.HostName);
            if (identity.Fqdn is not null && type == Request)
            {
                // Client FQDN (RFC 4702 §2): flags S=0 (the client updates nothing itself), RCODEs 0, ASCII name.
                p[o] = 81;
                p[o + 1] = (byte)(3 + identity.Fqdn.Length);
                p[o + 2] = 0;
                p[o + 3] = 0;
                p[o + 4] = 0;
                o += 5 + Ascii.Write(p[(o + 5)..], identity.Fqdn);
            }
            if (identity.VendorClass is not null)
                o = OptionText(p, o, 60, identity.VendorClass);
            p[o] = 55;
            p[o + 1] = (byte)identity.ParameterRequestList.Length;
            identity.ParameterRequestList.CopyTo(p[(o + 2)..]);
            o += 2 + identity.ParameterRequestList.Length;
        }
        p[o++] = 255;
        if (o < MinimumLength)
        {
            p[o..MinimumLength].Clear();
            o = MinimumLength;
        }
        return o;
    }

    private static int Option(Span<byte> p, int o, byte code, byte value)
    {
        p[o] = code;
        p[o + 1] = 1;
        p[o + 2] = value;
        return o + 3;
    }

    private static int Option32(Span<byte> p, int o, byte code, uint value)
    {
        p[o] = code;
        p[o + 1] = 4;
        BinaryPrimitives.WriteUInt32BigEndian(p[(o + 2)..], value);
        return o + 6;
    }

    private static int OptionText(Span<byte> p, int o, byte code, string text)
    {
        p[o] = code;
        p[o + 1] = (byte)text.Length;
        return o + 2 + Ascii.Write(p[(o + 2)..], text);
    }
}

/// <summary>The router's answer: the same for every device on the LAN.</summary>
internal readonly record struct DhcpLease(uint SubnetMask, uint Router, uint DnsServer, uint LeaseSeconds, string DomainName);
