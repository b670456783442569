using TapSensor.Core.Pipeline;

namespace TapSensor.Core.Tests.Pipeline;

public sealed class SpscRingTests
{
    private sealed class Item(int value)
    {
        public int Value { get; } = value;
    }

    [Fact]
    public void Enqueue_fails_when_full_instead_of_growing()
    {
        var ring = new SpscRing<Item>(4);
        for (int i = 0; i < 4; i++) Assert.True(ring.TryEnqueue(new Item(i)));

        Assert.False(ring.TryEnqueue(new Item(99)));
        Assert.Equal(4, ring.Count);
    }

    [Fact]
    public void Items_come_out_in_order_and_the_ring_reuses_its_slots()
    {
        var ring = new SpscRing<Item>(2);
        int next = 0;
        for (int round = 0; round < 100; round++)
        {
            Assert.True(ring.TryEnqueue(new Item(round * 2)));
            Assert.True(ring.TryEnqueue(new Item(round * 2 + 1)));
            Assert.True(ring.TryDequeue(out var a));
            Assert.True(ring.TryDequeue(out var b));
            Assert.Equal(next++, a.Value);
            Assert.Equal(next++, b.Value);
        }
        Assert.False(ring.TryDequeue(out _));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(100)]
    public void Capacity_must_be_a_power_of_two(int capacity)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new SpscRing<Item>(capacity));
    }

    [Fact]
    public void A_producer_and_a_consumer_thread_pass_every_item_once_in_order()
    {
        const int total = 200_000;
        var ring = new SpscRing<Item>(64);
        var items = Enumerable.Range(0, 256).Select(i => new Item(i)).ToArray();
        long sum = 0;
        int received = 0;
        int outOfOrder = 0;

        var consumer = new Thread(() =>
        {
            int expected = 0;
            var spin = new SpinWait();
            while (received < total)
            {
                if (ring.TryDequeue(out var item))
                {
                    if (item.Value != expected % 256) outOfOrder++;
                    expected++;
                    sum += item.Value;
                    received++;
                    spin.Reset();
                }
                else
                {
                    spin.SpinOnce();
                }
            }
        });
        consumer.Start();

        var producerSpin = new SpinWait();
        long expectedSum = 0;
        for (int i = 0; i < total; i++)
        {
            var item = items[i % 256];
            while (!ring.TryEnqueue(item)) producerSpin.SpinOnce();
            expectedSum += item.Value;
        }
        Assert.True(consumer.Join(TimeSpan.FromSeconds(60)), "consumer did not finish");

        Assert.Equal(total, received);
        Assert.Equal(0, outOfOrder);
        Assert.Equal(expectedSum, sum);
    }
}
