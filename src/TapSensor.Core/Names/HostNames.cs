namespace TapSensor.Core.Names;

/// <summary>
/// Checks and normalisation for destination names taken from the wire (SNI, Host) before they are stored.
/// Names stay bytes on the packet path; <see cref="ToLower"/> normalises them into a caller's buffer (the worker
/// interns the result), <see cref="ToLowerString"/> into a new string.
/// </summary>
public static class HostNames
{
    /// <summary>RFC 1035 §2.3.4 / RFC 2181 §11: a name is at most 255 octets on the wire, 253 characters as text.</summary>
    public const int MaxLength = 253;

    /// <summary>RFC 1035 §2.3.4: a label is at most 63 octets.</summary>
    public const int MaxLabelLength = 63;

    /// <summary>
    /// True for 1 to 253 bytes (not counting one trailing dot) of dot-separated labels, each 1 to 63 letters,
    /// digits, '-' or '_'. Underscores are not valid in host names (RFC 952, RFC 1123 §2.1) but appear in real
    /// service names, so they pass; anything else, including control bytes, spaces, ':' (so IPv6 literals) and
    /// non-ASCII bytes, fails. IPv4 literals pass: they are digits and dots.
    /// </summary>
    public static bool IsPlausible(ReadOnlySpan<byte> name)
    {
        if (!name.IsEmpty && name[^1] == (byte)'.') name = name[..^1];
        if (name.IsEmpty || name.Length > MaxLength) return false;
        int label = 0;
        foreach (byte b in name)
        {
            if (b == (byte)'.')
            {
                if (label == 0) return false; // empty label: leading dot or ".."
                label = 0;
                continue;
            }
            if (!IsLabelByte(b) || ++label > MaxLabelLength) return false;
        }
        return label > 0;
    }

    /// <summary>
    /// The name as a string, ASCII letters lower-cased and one trailing dot removed. Other bytes map to the char
    /// of the same value; call <see cref="IsPlausible"/> first to keep only real names. Allocates the string.
    /// </summary>
    public static string ToLowerString(ReadOnlySpan<byte> name)
    {
        if (name.IsEmpty) return string.Empty;
        Span<char> chars = name.Length <= 256 ? stackalloc char[name.Length] : new char[name.Length];
        return new string(chars[..ToLower(name, chars)]);
    }

    /// <summary>
    /// Writes the name as <see cref="ToLowerString"/> would into <paramref name="destination"/> (cut at its length)
    /// and returns the chars written. Allocates nothing.
    /// </summary>
    public static int ToLower(ReadOnlySpan<byte> name, Span<char> destination)
    {
        if (!name.IsEmpty && name[^1] == (byte)'.') name = name[..^1];
        int n = Math.Min(name.Length, destination.Length);
        for (int i = 0; i < n; i++)
        {
            byte b = name[i];
            destination[i] = (char)(b is >= (byte)'A' and <= (byte)'Z' ? b | 0x20 : b);
        }
        return n;
    }

    private static bool IsLabelByte(byte b) =>
        b is >= (byte)'a' and <= (byte)'z' or >= (byte)'A' and <= (byte)'Z' or >= (byte)'0' and <= (byte)'9'
            or (byte)'-' or (byte)'_';
}
