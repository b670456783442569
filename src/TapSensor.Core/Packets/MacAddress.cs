using System.Text;

namespace TapSensor.Core.Packets;

/// <summary>
/// Text of a 48-bit Ethernet address held as a number (first octet most significant): six lowercase hex pairs
/// joined by colons, as Zeek and tcpdump print them. One formatter for every output (conn records, devices,
/// InfluxDB tags, logs).
/// </summary>
public static class MacAddress
{
    /// <summary>Length of the text: "aa:bb:cc:dd:ee:ff".</summary>
    public const int TextLength = 17;

    private static ReadOnlySpan<byte> HexDigits => "0123456789abcdef"u8;

    /// <summary>Writes the text as ASCII into <paramref name="destination"/> (at least 17 bytes); returns 17.</summary>
    public static int Format(ulong mac, Span<byte> destination)
    {
        int n = 0;
        for (int shift = 40; shift >= 0; shift -= 8)
        {
            byte b = (byte)(mac >> shift);
            destination[n++] = HexDigits[b >> 4];
            destination[n++] = HexDigits[b & 0xF];
            if (shift != 0) destination[n++] = (byte)':';
        }
        return n;
    }

    /// <summary>The text as a new string.</summary>
    public static string ToText(ulong mac)
    {
        Span<byte> text = stackalloc byte[TextLength];
        return Encoding.ASCII.GetString(text[..Format(mac, text)]);
    }
}
