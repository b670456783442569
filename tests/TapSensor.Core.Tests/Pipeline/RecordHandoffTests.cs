using TapSensor.Core.Discovery;
using TapSensor.Core.Flows;
using TapSensor.Core.Pipeline;

namespace TapSensor.Core.Tests.Pipeline;

/// <summary>
/// Observations travel from a worker to the aggregator inside pooled record chunks, DNS answers' addresses in the
/// chunk's own array: what the aggregator takes must be exactly what the worker wrote, in order, and reusing the
/// chunks must not overwrite answers not yet applied.
/// </summary>
public class RecordHandoffTests
{
    private static FlowWorker Worker(RecordHandoff handoff) =>
        new(0, new FlowShard(new FlowTableOptions(), 0, 1), handoff, null, null, soleWorker: true);

    private static (NetAddress, uint)[] AnswersFor(int i) =>
        [.. Enumerable.Range(0, 1 + i % 7).Select(k => (NetAddress.FromIPv4(0xC0000200u + (uint)(i * 8 + k)), (uint)(60 + k)))];

    [Fact]
    public void Dns_answers_reach_the_aggregator_as_written_even_when_they_overflow_a_chunk()
    {
        // Far more answers than one chunk carries: the worker publishes full chunks early, and the queue holds them all.
        var handoff = new RecordHandoff(chunkSize: 16, capacity: 64, waitWhenFull: true);
        var worker = Worker(handoff);
        const int observations = 400; // ≈ 1 600 addresses, over three chunks' worth
        for (int i = 0; i < observations; i++)
        {
            worker.Write(new Observation { Kind = ObservationKind.DnsAnswer, TimestampNs = i, Name = $"name-{i}.example" }, AnswersFor(i));
        }
        worker.Write(new Observation { Kind = ObservationKind.Binding, TimestampNs = observations }); // no answers
        worker.Process(new PacketBatch(16, 0) { Kind = BatchKind.Flush, TimeNs = 1, FlushReason = CloseReason.EndOfCapture });
        handoff.Complete();

        int seen = 0, chunks = 0;
        while (handoff.Take(out var chunk))
        {
            chunks++;
            foreach (var o in chunk.Observations)
            {
                if (seen == observations)
                {
                    Assert.Equal(ObservationKind.Binding, o.Kind);
                    Assert.True(o.Answers.IsEmpty);
                    seen++;
                    continue;
                }
                Assert.Equal($"name-{seen}.example", o.Name);
                Assert.Equal(AnswersFor(seen), o.Answers.ToArray());
                seen++;
            }
            Assert.True(chunk.AnswersUsed <= FlowRecordChunk.AnswerCapacity);
            handoff.Return(chunk);
        }
        Assert.Equal(observations + 1, seen);
        Assert.True(chunks >= 4, $"{chunks} chunks: the answers did not overflow one");
    }

    [Fact]
    public void A_returned_chunk_comes_back_empty()
    {
        var handoff = new RecordHandoff(chunkSize: 16, capacity: 4, waitWhenFull: true);
        var worker = Worker(handoff);
        worker.Write(new Observation { Kind = ObservationKind.DnsAnswer, Name = "a.example" }, AnswersFor(3));
        worker.Process(new PacketBatch(16, 0) { Kind = BatchKind.Flush, TimeNs = 1, FlushReason = CloseReason.EndOfCapture });
        Assert.True(handoff.Take(out var chunk));
        Assert.Equal(4, chunk.AnswersUsed);
        handoff.Return(chunk);

        var again = handoff.Rent();
        Assert.True(again.IsEmpty);
        Assert.Equal(0, again.AnswersUsed);
    }

    [Fact]
    public void Take_waits_for_a_publish_and_ends_after_completion()
    {
        var handoff = new RecordHandoff(chunkSize: 16, capacity: 4, waitWhenFull: false);
        var taken = new List<int>();
        var reader = new Thread(() =>
        {
            while (handoff.Take(out var chunk))
            {
                taken.Add(chunk.Count);
                handoff.Return(chunk);
            }
        });
        reader.Start();
        for (int i = 1; i <= 3; i++)
        {
            Thread.Sleep(20); // the reader parks in between
            var chunk = handoff.Rent();
            chunk.Count = i;
            handoff.Publish(chunk);
        }
        handoff.Complete();
        Assert.True(reader.Join(TimeSpan.FromSeconds(30)), "the reader did not end after completion");
        Assert.Equal([1, 2, 3], taken);
        Assert.Equal(6, handoff.PublishedRecords);
        Assert.Equal(0, handoff.DroppedRecords);
    }
}
