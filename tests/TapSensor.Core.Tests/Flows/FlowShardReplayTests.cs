using TapSensor.Core.Flows;
using TapSensor.Core.Packets;
using Xunit.Abstractions;
using static TapSensor.Core.Tests.Flows.FlowTestPackets;

namespace TapSensor.Core.Tests.Flows;

/// <summary>Whole replays through shards: timeouts over hours of packet time, and 1 versus N shards.</summary>
public sealed class FlowShardReplayTests(ITestOutputHelper output)
{
    /// <summary>Replays packets in time order with a tick every second, as the capture thread does when traffic is quiet.</summary>
    private static RecordingWriter Replay(FlowShard shard, List<PacketSummary> packets, long end)
    {
        var writer = new RecordingWriter();
        packets.Sort((x, y) => x.TimestampNs.CompareTo(y.TimestampNs));
        int next = 0;
        for (long tick = T0; tick <= end; tick += Second)
        {
            for (; next < packets.Count && packets[next].TimestampNs < tick; next++)
            {
                var p = packets[next];
                writer.Now = p.TimestampNs;
                shard.OnPacket(in p, writer);
            }
            writer.Now = tick;
            shard.Advance(tick, writer);
        }
        writer.Now = end;
        shard.FlushAll(end, CloseReason.EndOfCapture, writer);
        return writer;
    }

    [Fact]
    public void Timeouts_hold_across_a_two_hour_replay()
    {
        var packets = new List<PacketSummary>();
        var keepalive = new Conversation("192.168.1.10", 50000, "192.0.2.10", 443);
        packets.Add(keepalive.FromClient(T0, Syn));
        packets.Add(keepalive.FromServer(T0 + 1 * Ms, (byte)(Syn | Ack)));
        packets.Add(keepalive.FromClient(T0 + 2 * Ms, Ack));
        for (int k = 1; k < 60; k++) // the last at 7080 s, before a fifth split
        {
            packets.Add(keepalive.FromClient(T0 + k * 120 * Second, Ack, payload: 1));
            packets.Add(keepalive.FromServer(T0 + k * 120 * Second + 30 * Ms, Ack));
        }

        var ntp = new Conversation("192.168.1.10", 123, "192.0.2.123", 123, Udp); // polls every 64 s, idle after 60 s
        int polls = 0;
        for (long t = 5; t <= 7190; t += 64, polls++)
        {
            packets.Add(ntp.FromClient(T0 + t * Second, payload: 48));
            packets.Add(ntp.FromServer(T0 + t * Second + 15 * Ms, payload: 48));
        }

        int lookups = 0;
        for (long t = 7; t < 7000; t += 45, lookups++)
        {
            var dns = new Conversation("192.168.1.10", (ushort)(30000 + lookups), "192.168.1.1", 53, Udp);
            packets.Add(dns.FromClient(T0 + t * Second, payload: 40));
            packets.Add(dns.FromServer(T0 + t * Second + 3 * Ms, payload: 120));
        }

        var web = new Conversation("192.168.1.10", 51000, "203.0.113.7", 80); // the same ports every 10 minutes
        for (int k = 0; k < 12; k++)
        {
            long t = T0 + (k * 600 + 30) * Second;
            packets.Add(web.FromClient(t, Syn));
            packets.Add(web.FromServer(t + 10 * Ms, (byte)(Syn | Ack)));
            packets.Add(web.FromClient(t + 20 * Ms, Ack));
            packets.Add(web.FromClient(t + 30 * Ms, (byte)(Ack | Psh), payload: 300));
            packets.Add(web.FromServer(t + 90 * Ms, (byte)(Ack | Psh), payload: 5000));
            packets.Add(web.FromClient(t + 2 * Second, (byte)(Fin | Ack)));
            packets.Add(web.FromServer(t + 2 * Second + 10 * Ms, (byte)(Fin | Ack)));
            packets.Add(web.FromClient(t + 2 * Second + 20 * Ms, Ack));
        }

        var shard = new FlowShard(Options(), 0, 1);
        long end = T0 + 7201 * Second;
        var writer = Replay(shard, packets, end);
        var finals = writer.Records.Select((r, i) => (Record: r, At: writer.EmittedAt[i])).Where(x => x.Record.IsFinal).ToList();

        var kept = finals.Where(x => x.Record.Key == keepalive.Key).Select(x => x.Record).ToList();
        Assert.Equal([CloseReason.Active, CloseReason.Active, CloseReason.Active, CloseReason.EndOfCapture], kept.Select(r => r.Reason));
        Assert.Equal([0u, 1u, 2u, 3u], kept.Select(r => r.Sequence));
        Assert.Equal([T0, T0 + 1800 * Second, T0 + 3600 * Second, T0 + 5400 * Second], kept.Select(r => r.FirstNs));
        Assert.Equal(3 + 59 * 2, kept.Sum(r => r.OrigPkts + r.RespPkts));

        var ntpRecords = finals.Where(x => x.Record.Key == ntp.Key).ToList();
        Assert.Equal(polls, ntpRecords.Count);
        Assert.All(ntpRecords.SkipLast(1), x =>
        {
            Assert.Equal(CloseReason.Idle, x.Record.Reason);
            Assert.Equal((1, 1), (x.Record.OrigPkts, x.Record.RespPkts));
            Assert.InRange(x.At - x.Record.LastNs, 60 * Second, 61 * Second); // within one sweep pass
        });
        Assert.Equal(CloseReason.EndOfCapture, ntpRecords[^1].Record.Reason);

        var dnsRecords = finals.Where(x => x.Record.RespPort == 53).ToList();
        Assert.Equal(lookups, dnsRecords.Count);
        Assert.All(dnsRecords, x => Assert.InRange(x.At - x.Record.LastNs, 60 * Second, 61 * Second));

        var webRecords = finals.Where(x => x.Record.Key == web.Key).ToList();
        Assert.Equal(12, webRecords.Count);
        Assert.All(webRecords, x =>
        {
            Assert.Equal(CloseReason.Fin, x.Record.Reason);
            Assert.Equal((5, 3), (x.Record.OrigPkts, x.Record.RespPkts));
            Assert.InRange(x.At - x.Record.LastNs, 5 * Second, 6 * Second);
        });

        Assert.Equal(4 + polls + lookups + 12, finals.Count);
        Assert.Equal(finals.Count - 3, shard.Counters.Created); // the three active splits are not new flows
        Assert.Equal(0, shard.ActiveFlows);
    }

    [Theory]
    [InlineData(7, 4)]
    [InlineData(99, 3)]
    public void One_and_n_shards_give_identical_final_records(int seed, int shards)
    {
        output.WriteLine($"seed {seed}, {shards} shards");
        var packets = HouseholdTraffic(new Random(seed), conversations: 600, seconds: 900);
        long end = packets.Max(p => p.TimestampNs) + 120 * Second;

        var single = RunSharded(packets, 1, end);
        var sharded = RunSharded(packets, shards, end);

        output.WriteLine($"{single.Count} final records");
        Assert.True(single.Count > 500, $"seed {seed}: {single.Count} records");
        Assert.Equal(single, sharded);
    }

    /// <summary>
    /// Runs the packets through <paramref name="count"/> shards, each receiving the packets whose hash picks it,
    /// in batches of 64 followed by an Advance of every shard, as the workers do. Returns the final records,
    /// without the fields that depend on timing or placement (deltas and shard), sorted.
    /// </summary>
    private static List<string> RunSharded(List<PacketSummary> packets, int count, long end)
    {
        var options = Options(maxFlows: 100_000);
        var shards = Enumerable.Range(0, count).Select(i => new FlowShard(options, i, count)).ToArray();
        var writer = new RecordingWriter();
        for (int start = 0; start < packets.Count; start += 64)
        {
            int stop = Math.Min(packets.Count, start + 64);
            for (int i = start; i < stop; i++)
            {
                var p = packets[i];
                shards[FlowHash.Shard(p.Hash, count)].OnPacket(in p, writer);
            }
            foreach (var shard in shards) shard.Advance(packets[stop - 1].TimestampNs, writer);
        }
        foreach (var shard in shards)
        {
            Assert.True(shard.Counters.Created > 0, "every shard got flows");
            Assert.False(shard.IsEmergency);
            shard.FlushAll(end, CloseReason.EndOfCapture, writer);
        }

        return writer.Finals
            .Select(r => $"{r.Key} orig={(r.OrigIsA ? "A" : "B")} seq={r.Sequence} {r.FirstNs}-{r.LastNs} {r.Reason} {r.State} "
                + $"{r.History} flags={r.OrigTcpFlags:x2}/{r.RespTcpFlags:x2} pkts={r.OrigPkts}/{r.RespPkts} "
                + $"ip={r.OrigIpBytes}/{r.RespIpBytes} bytes={r.OrigBytes}/{r.RespBytes} mac={r.OrigMac:x}/{r.RespMac:x}")
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>Seeded mix of what a home network does: web, resets, SYN retries, DNS, chatty UDP with pauses, pings, port reuse.</summary>
    private static List<PacketSummary> HouseholdTraffic(Random rng, int conversations, int seconds)
    {
        var packets = new List<PacketSummary>();
        for (int n = 0; n < conversations; n++)
        {
            string client = $"192.168.1.{rng.Next(2, 40)}";
            string server = $"203.0.113.{rng.Next(1, 30)}";
            ushort port = (ushort)rng.Next(32768, 32868); // a narrow range, so some ports get reused
            long t = T0 + rng.NextInt64(0, seconds * Second);
            switch (rng.Next(6))
            {
                case 0: // web page, closed with FINs
                case 1:
                {
                    var c = new Conversation(client, port, server, 443);
                    packets.Add(c.FromClient(t, Syn));
                    packets.Add(c.FromServer(t += rng.Next(1, 50) * Ms, (byte)(Syn | Ack)));
                    packets.Add(c.FromClient(t += Ms, Ack));
                    for (int k = rng.Next(1, 20); k > 0; k--)
                    {
                        packets.Add(c.FromClient(t += rng.Next(1, 2000) * Ms, (byte)(Ack | Psh), rng.Next(50, 600)));
                        packets.Add(c.FromServer(t += rng.Next(1, 100) * Ms, (byte)(Ack | Psh), rng.Next(100, 1460)));
                    }
                    if (rng.Next(4) > 0)
                    {
                        packets.Add(c.FromClient(t += Ms, (byte)(Fin | Ack)));
                        packets.Add(c.FromServer(t += Ms, (byte)(Fin | Ack)));
                        packets.Add(c.FromClient(t += Ms, Ack));
                    }
                    break;
                }
                case 2: // refused, or a SYN that goes unanswered
                {
                    var c = new Conversation(client, port, server, (ushort)rng.Next(1, 1024));
                    packets.Add(c.FromClient(t, Syn));
                    if (rng.Next(2) == 0) packets.Add(c.FromServer(t + 5 * Ms, (byte)(Rst | Ack)));
                    else packets.Add(c.FromClient(t + 1 * Second, Syn));
                    break;
                }
                case 3: // DNS
                {
                    var c = new Conversation(client, port, "192.168.1.1", 53, Udp);
                    packets.Add(c.FromClient(t, payload: rng.Next(30, 60)));
                    packets.Add(c.FromServer(t + rng.Next(1, 80) * Ms, payload: rng.Next(60, 300)));
                    break;
                }
                case 4: // chatty UDP with pauses long enough to end it idle now and then
                {
                    var c = new Conversation(client, port, server, 3478, Udp);
                    for (int k = rng.Next(2, 30); k > 0; k--)
                    {
                        t += rng.Next(0, 10) == 0 ? rng.Next(55, 70) * Second : rng.Next(1, 5000) * Ms;
                        packets.Add(rng.Next(2) == 0 ? c.FromClient(t, payload: rng.Next(20, 1200)) : c.FromServer(t, payload: rng.Next(20, 1200)));
                    }
                    break;
                }
                default: // ping, or TCP already running when the capture started
                {
                    if (rng.Next(2) == 0)
                    {
                        packets.Add(Packet(client, 8, server, 0, Icmp, t, payload: 56));
                        packets.Add(Packet(server, 0, client, 8, Icmp, t + 15 * Ms, payload: 56));
                    }
                    else
                    {
                        var c = new Conversation(client, port, server, 993);
                        packets.Add(c.FromServer(t, Ack, payload: 100));
                        packets.Add(c.FromClient(t + 40 * Ms, Ack));
                    }
                    break;
                }
            }
        }
        packets.Sort((x, y) => x.TimestampNs.CompareTo(y.TimestampNs));
        return packets;
    }
}
