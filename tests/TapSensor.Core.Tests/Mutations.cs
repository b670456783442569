namespace TapSensor.Core.Tests;

/// <summary>Seeded damage for the parsers' fuzz tests: flipped bits, extreme 16-bit fields, cuts and additions.</summary>
internal static class Mutations
{
    /// <summary>One to four edits of a copy of <paramref name="valid"/>.</summary>
    public static byte[] Edit(Random rng, byte[] valid)
    {
        var bytes = new List<byte>(valid);
        int edits = rng.Next(1, 5);
        for (int e = 0; e < edits; e++)
        {
            int at = bytes.Count == 0 ? 0 : rng.Next(bytes.Count);
            switch (rng.Next(7))
            {
                case 0 when bytes.Count > 0: bytes[at] ^= (byte)(1 << rng.Next(8)); break;
                case 1 when bytes.Count > 0: bytes[at] = (byte)rng.Next(256); break;
                case 2 when bytes.Count > 1: // a 16-bit field forced to an extreme: lengths are where parsers break
                    int v = rng.Next(4) switch { 0 => 0, 1 => 0xFFFF, 2 => 0x4000, _ => rng.Next(0x10000) };
                    bytes[Math.Min(at, bytes.Count - 2)] = (byte)(v >> 8);
                    bytes[Math.Min(at, bytes.Count - 2) + 1] = (byte)v;
                    break;
                case 3: bytes.Insert(at, (byte)rng.Next(256)); break;
                case 4 when bytes.Count > 0: bytes.RemoveAt(at); break;
                case 5: bytes.RemoveRange(at, bytes.Count - at); break;
                default:
                    byte[] tail = new byte[rng.Next(1, 64)];
                    rng.NextBytes(tail);
                    bytes.AddRange(tail);
                    break;
            }
        }
        return [.. bytes];
    }
}
