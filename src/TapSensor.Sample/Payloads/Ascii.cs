namespace TapSensor.Sample.Payloads;

/// <summary>Copies catalogue strings (plain ASCII by construction) into packets without allocating.</summary>
internal static class Ascii
{
    public static int Write(Span<byte> destination, string text)
    {
        for (int i = 0; i < text.Length; i++)
            destination[i] = (byte)text[i];
        return text.Length;
    }

    public static int Write(Span<byte> destination, long value)
    {
        value.TryFormat(destination, out int written, default, System.Globalization.CultureInfo.InvariantCulture);
        return written;
    }
}
