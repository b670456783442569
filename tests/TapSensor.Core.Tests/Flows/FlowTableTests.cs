using TapSensor.Core.Flows;
using Xunit.Abstractions;
using static TapSensor.Core.Tests.Flows.FlowTestPackets;

namespace TapSensor.Core.Tests.Flows;

/// <summary>The open-addressed table on its own: probing, backward-shift removal, growth.</summary>
public sealed class FlowTableTests(ITestOutputHelper output)
{
    private static FlowKey Key(int i) =>
        FlowKey.Create(0, FlowKey.V4Lo(0x0A000000u + (uint)i), (ushort)(i & 0xFFFF), 0, FlowKey.V4Lo(0xC0000201), 443, Tcp, 4, 0, out _);

    /// <summary>A hash whose home slot in a table of <paramref name="capacity"/> slots is <paramref name="home"/>.</summary>
    private static uint HashFor(int home, int capacity) => (uint)((((ulong)home << 32) + (ulong)capacity - 1) / (ulong)capacity);

    private static int Insert(FlowTable table, int i, uint hash, long value)
    {
        var key = Key(i);
        Assert.Equal(-1, table.Find(in key, hash, out int empty));
        ref FlowEntry e = ref table.Insert(empty, in key, hash);
        e.OrigPkts = value;
        return empty;
    }

    [Fact]
    public void Hash_helper_lands_on_the_requested_home_slot()
    {
        var table = new FlowTable(10, 10);
        for (int home = 0; home < 10; home++) Assert.Equal(home, table.Home(HashFor(home, 10)));
    }

    [Fact]
    public void Removal_shifts_back_entries_that_wrapped_past_the_end_of_the_array()
    {
        var table = new FlowTable(10, 10);
        uint nine = HashFor(9, 10), zero = HashFor(0, 10);
        Assert.Equal(9, Insert(table, 1, nine, 1));
        Assert.Equal(0, Insert(table, 2, nine, 2)); // wrapped
        Assert.Equal(1, Insert(table, 3, nine, 3));
        Assert.Equal(2, Insert(table, 4, zero, 4)); // displaced by the wrapped cluster
        Assert.Equal(2, table.LongestProbe);

        var first = Key(1);
        table.RemoveAt(table.Find(in first, nine, out _));

        var k2 = Key(2); var k3 = Key(3); var k4 = Key(4);
        Assert.Equal(9, table.Find(in k2, nine, out _));
        Assert.Equal(0, table.Find(in k3, nine, out _));
        Assert.Equal(1, table.Find(in k4, zero, out _));
        Assert.False(table.EntryAt(2).IsUsed);
        Assert.Equal(3, table.Count);
    }

    [Fact]
    public void Removal_leaves_entries_that_are_already_home()
    {
        var table = new FlowTable(10, 10);
        Insert(table, 1, HashFor(3, 10), 1);
        Insert(table, 2, HashFor(4, 10), 2);
        var first = Key(1);
        table.RemoveAt(table.Find(in first, HashFor(3, 10), out _));

        var second = Key(2);
        Assert.Equal(4, table.Find(in second, HashFor(4, 10), out _));
        Assert.False(table.EntryAt(3).IsUsed);
    }

    [Fact]
    public void Growth_keeps_every_entry_findable_and_stops_at_the_maximum()
    {
        var table = new FlowTable(4, 50);
        var rng = new Random(5);
        var hashes = new uint[37];
        for (int i = 0; i < hashes.Length; i++)
        {
            hashes[i] = (uint)rng.Next();
            if (table.NeedsGrowth) table.Grow();
            Insert(table, i, hashes[i], i);
        }

        Assert.Equal(50, table.Capacity);
        Assert.False(table.NeedsGrowth);
        for (int i = 0; i < hashes.Length; i++)
        {
            var key = Key(i);
            int slot = table.Find(in key, hashes[i], out _);
            Assert.True(slot >= 0, $"key {i} lost in growth");
            Assert.Equal(i, table.EntryAt(slot).OrigPkts);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(42)]
    [InlineData(20_240_601)]
    public void Table_agrees_with_a_dictionary_model_under_random_inserts_and_removals(int defaultSeed)
    {
        int seed = int.TryParse(Environment.GetEnvironmentVariable("TAPSENSOR_TEST_SEED"), out int s) ? s : defaultSeed;
        output.WriteLine($"seed {seed}");
        var rng = new Random(seed);
        var table = new FlowTable(8, 97); // not a power of two; grows 8 → 16 → 32 → 64 → 97
        const int MaxEntries = 72;         // 0.75 × 97
        var model = new Dictionary<int, (uint Hash, long Value)>();
        var live = new List<int>();
        int nextKey = 0;

        for (int op = 0; op < 8_000; op++)
        {
            var where = (Seed: seed, Op: op);
            int roll = rng.Next(100);
            if (roll < 50 && model.Count < MaxEntries)
            {
                // Few distinct hash values: long clusters, collisions with equal hashes, wrap-around.
                uint hash = (uint)rng.Next(12) * 0x1555_5555u + (uint)rng.Next(3);
                if (table.NeedsGrowth) table.Grow();
                int i = nextKey++;
                Insert(table, i, hash, op);
                model[i] = (hash, op);
                live.Add(i);
            }
            else if (roll < 90 && live.Count > 0)
            {
                int pick = rng.Next(live.Count);
                int i = live[pick];
                live[pick] = live[^1];
                live.RemoveAt(live.Count - 1);
                var key = Key(i);
                int slot = table.Find(in key, model[i].Hash, out _);
                if (slot < 0) Assert.Fail($"{where}: key {i} missing before removal");
                table.RemoveAt(slot);
                model.Remove(i);
            }
            else
            {
                // Lookup of a key that was never inserted (or was removed) must miss.
                int i = rng.Next(nextKey + 10);
                if (!model.ContainsKey(i))
                {
                    var key = Key(i);
                    if (table.Find(in key, (uint)rng.Next(12) * 0x1555_5555u, out int empty) >= 0) Assert.Fail($"{where}: phantom key {i}");
                    if (table.EntryAt(empty).IsUsed) Assert.Fail($"{where}: insert slot is taken");
                }
            }
            Verify(table, model, where);
        }
        Assert.Equal(97, table.Capacity);
    }

    /// <summary>Count, contents, and the probing invariant: no empty slot between any entry and its home.</summary>
    private static void Verify(FlowTable table, Dictionary<int, (uint Hash, long Value)> model, (int Seed, int Op) where)
    {
        if (model.Count != table.Count) Assert.Fail($"{where}: count {table.Count}, model {model.Count}");
        foreach (var (i, (hash, value)) in model)
        {
            var key = Key(i);
            int slot = table.Find(in key, hash, out _);
            if (slot < 0) Assert.Fail($"{where}: key {i} missing");
            if (table.EntryAt(slot).OrigPkts != value) Assert.Fail($"{where}: key {i} holds the wrong entry");
        }
        int used = 0;
        for (int slot = 0; slot < table.Capacity; slot++)
        {
            ref FlowEntry e = ref table.EntryAt(slot);
            if (!e.IsUsed) continue;
            used++;
            for (int s = table.Home(e.Hash); s != slot; s = (s + 1) % table.Capacity)
                if (!table.EntryAt(s).IsUsed) Assert.Fail($"{where}: gap at {s} between home {table.Home(e.Hash)} and slot {slot}");
        }
        if (used != model.Count) Assert.Fail($"{where}: {used} used slots, model {model.Count}");
    }

    private static void Seen(FlowTable table, int slot, long lastNs) => table.EntryAt(slot).LastNs = lastNs;

    [Fact]
    public void Eviction_candidate_is_the_least_recent_entry_on_the_new_keys_probe_path()
    {
        var table = new FlowTable(40, 40);
        uint zero = HashFor(0, 40);
        Insert(table, 1, zero, 0); Seen(table, 0, 30);
        Insert(table, 2, zero, 0); Seen(table, 1, 10);
        Insert(table, 3, zero, 0); Seen(table, 2, 20);
        Insert(table, 4, HashFor(5, 40), 0); Seen(table, 5, 1); // older, but past the empty slot 3

        Assert.Equal(1, table.EvictionCandidate(zero, 16, out bool onPath));
        Assert.True(onPath);
    }

    [Fact]
    public void Eviction_candidate_for_an_empty_home_is_the_least_recent_entry_in_the_window()
    {
        var table = new FlowTable(40, 40);
        Insert(table, 1, HashFor(5, 40), 0); Seen(table, 5, 50);
        Insert(table, 2, HashFor(9, 40), 0); Seen(table, 9, 40);
        Insert(table, 3, HashFor(25, 40), 0); Seen(table, 25, 1); // oldest, but outside the window

        Assert.Equal(9, table.EvictionCandidate(HashFor(3, 40), 16, out bool onPath));
        Assert.False(onPath);
        Assert.Equal(25, table.EvictionCandidate(HashFor(10, 40), 8, out onPath)); // empty window: the next entry after it
        Assert.False(onPath);
    }

    [Fact]
    public void Eviction_candidate_looks_no_further_than_the_window_along_a_long_path()
    {
        var table = new FlowTable(40, 40);
        uint zero = HashFor(0, 40);
        for (int i = 0; i < 20; i++)
        {
            Insert(table, i, zero, 0);
            Seen(table, i, 100 - i); // slot 19 is the oldest, slot 15 the oldest within 16 slots
        }

        Assert.Equal(15, table.EvictionCandidate(zero, 16, out bool onPath));
        Assert.True(onPath);
    }

    [Fact]
    public void Replacing_an_evicted_entry_keeps_the_count_and_makes_the_new_key_findable()
    {
        var table = new FlowTable(40, 40);
        uint zero = HashFor(0, 40);
        Insert(table, 1, zero, 7);
        Insert(table, 2, zero, 8);
        var newcomer = Key(3);
        table.Replace(0, in newcomer, zero);

        Assert.Equal(2, table.Count);
        Assert.Equal(0, table.Find(in newcomer, zero, out _));
        Assert.Equal(0, table.EntryAt(0).OrigPkts);
        var evicted = Key(1);
        Assert.Equal(-1, table.Find(in evicted, zero, out _));
    }
}
