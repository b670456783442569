using System.Runtime.CompilerServices;

namespace TapSensor.Core.Flows;

/// <summary>
/// Seeded hash of a normalised <see cref="FlowKey"/>. Because the key is already normalised, both
/// directions hash alike. The seed is drawn at start (pinned in tests) so that crafted traffic cannot
/// aim every flow at one probe chain (Suricata draws hash_rand in src/flow.c for the same reason).
/// The high 32 bits pick the shard, the low 32 bits pick the slot, so the two choices stay independent.
/// </summary>
public static class FlowHash
{
    private const ulong P0 = 0xa0761d6478bd642fUL;
    private const ulong P1 = 0xe7037ed1a0b428dbUL;
    private const ulong P2 = 0x8ebc6af09c88c6e3UL;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Compute(in FlowKey key, ulong seed)
    {
        ulong tail = ((ulong)key.PortA << 48) | ((ulong)key.PortB << 32) | ((ulong)key.Protocol << 24)
                     | ((ulong)key.Family << 16) | key.Vlan;
        ulong h = Mix(key.AHi ^ P0 ^ seed, key.ALo ^ P1);
        h = Mix(h ^ key.BHi, key.BLo ^ P2);
        h = Mix(h ^ tail, seed ^ P1);
        return h;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Mix(ulong a, ulong b)
    {
        ulong hi = Math.BigMul(a, b, out ulong lo);
        return hi ^ lo;
    }

    /// <summary>Shard index in [0, shards) from the high 32 bits (multiply-shift, no modulo).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Shard(ulong hash, int shards) => (int)(((hash >> 32) * (ulong)(uint)shards) >> 32);
}
