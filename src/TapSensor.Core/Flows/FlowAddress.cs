using System.Text;

namespace TapSensor.Core.Flows;

/// <summary>
/// An IP address as the flow key holds it (two big-endian halves, IPv4 mapped into ::ffff:0:0/96), formatted
/// to UTF-8 without allocating. <see cref="Family"/> 0 means none.
/// </summary>
public readonly record struct FlowAddress(ulong Hi, ulong Lo, byte Family)
{
    /// <summary>Longest text: a full IPv6 address (8 groups of 4 hex digits and 7 colons), or ::ffff: plus a dotted quad.</summary>
    public const int MaxLength = 45;

    private static ReadOnlySpan<byte> Hex => "0123456789abcdef"u8;

    public bool IsNone => Family == 0;

    /// <summary>
    /// Writes the address in its usual text form: IPv4 as a dotted quad; IPv6 as RFC 5952 §4 recommends:
    /// lowercase hex, no leading zeros, the longest run of two or more zero groups (the first of equal runs)
    /// shortened to <c>::</c>, and an IPv4-mapped address as <c>::ffff:a.b.c.d</c> (§5). Returns the length.
    /// </summary>
    public int Format(Span<byte> destination)
    {
        if (Family == 0) return 0;
        if (Family == 4) return FormatV4((uint)Lo, destination);
        if (Hi == 0 && (Lo >> 32) == 0xFFFF)
        {
            "::ffff:"u8.CopyTo(destination);
            return 7 + FormatV4((uint)Lo, destination[7..]);
        }

        Span<ushort> groups = stackalloc ushort[8];
        for (int i = 0; i < 4; i++)
        {
            groups[i] = (ushort)(Hi >> (48 - 16 * i));
            groups[4 + i] = (ushort)(Lo >> (48 - 16 * i));
        }
        int bestStart = -1, bestLength = 1;
        for (int i = 0; i < 8;)
        {
            if (groups[i] != 0)
            {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && groups[j] == 0) j++;
            if (j - i > bestLength)
            {
                bestStart = i;
                bestLength = j - i;
            }
            i = j;
        }

        int n = 0;
        for (int i = 0; i < 8; i++)
        {
            if (i == bestStart)
            {
                destination[n++] = (byte)':';
                if (i == 0) destination[n++] = (byte)':';
                i += bestLength - 1;
                continue;
            }
            ushort g = groups[i];
            bool started = false;
            for (int shift = 12; shift >= 0; shift -= 4)
            {
                int d = (g >> shift) & 0xF;
                if (d == 0 && !started && shift != 0) continue;
                started = true;
                destination[n++] = Hex[d];
            }
            if (i != 7) destination[n++] = (byte)':';
        }
        return n;
    }

    private static int FormatV4(uint v4, Span<byte> destination)
    {
        int n = 0;
        for (int shift = 24; shift >= 0; shift -= 8)
        {
            ((byte)(v4 >> shift)).TryFormat(destination[n..], out int used);
            n += used;
            if (shift != 0) destination[n++] = (byte)'.';
        }
        return n;
    }

    public override string ToString()
    {
        Span<byte> text = stackalloc byte[MaxLength];
        return Encoding.ASCII.GetString(text[..Format(text)]);
    }

    /// <summary>
    /// Addresses that stay inside a home network: RFC 1918 private, RFC 6598 shared (carrier-grade NAT),
    /// RFC 3927 link-local, loopback, and for IPv6 unique local (RFC 4193, fc00::/7), link-local (fe80::/10) and
    /// loopback. Multicast and broadcast are not "local" here: a packet to a group is sent by the local end.
    /// </summary>
    public bool IsPrivate()
    {
        if (Family == 4 || (Hi == 0 && (Lo >> 32) == 0xFFFF))
        {
            uint a = (uint)Lo;
            return (a >> 24) == 10
                   || (a >> 20) == (172 << 4 | 1)
                   || (a >> 16) == (192 << 8 | 168)
                   || (a >> 22) == (100 << 2 | 1)
                   || (a >> 16) == (169 << 8 | 254)
                   || (a >> 24) == 127;
        }
        if (Family != 6) return false;
        return (Hi >> 57) == (0xFC >> 1)
               || (Hi >> 54) == (0xFE80 >> 6)
               || (Hi == 0 && Lo == 1);
    }

    internal static FlowAddress Originator(in FlowRecord r) => new(r.OrigHi, r.OrigLo, r.Key.Family);
    internal static FlowAddress Responder(in FlowRecord r) => new(r.RespHi, r.RespLo, r.Key.Family);

    /// <summary>
    /// Which end of a record is the household's: the household enrichment says so when it found the device;
    /// otherwise <see cref="GuessLocalIsOriginator"/>. Every exporter (InfluxDB, SQLite) splits up and down with this.
    /// </summary>
    public static bool LocalIsOriginator(in FlowRecord r) => r.Device is not null ? r.DeviceIsOrig : GuessLocalIsOriginator(in r);

    /// <summary>
    /// Until device enrichment says which addresses are the household's: the end with a private address when
    /// only one has one (a device talking to the internet, or the internet reaching a device through a port
    /// forward), otherwise the originator (households mostly open their connections; this also covers IPv6
    /// global addresses and traffic between two local devices).
    /// </summary>
    public static bool GuessLocalIsOriginator(in FlowRecord r)
    {
        bool origPrivate = Originator(in r).IsPrivate();
        bool respPrivate = Responder(in r).IsPrivate();
        return origPrivate || !respPrivate;
    }
}
