using TapSensor.Core.Flows;
using TapSensor.Sinks.Sqlite.Tests.Infrastructure;
using static TapSensor.Sinks.Sqlite.Tests.Infrastructure.Records;

namespace TapSensor.Sinks.Sqlite.Tests;

public sealed class SqliteSinkTests
{
    [Fact]
    public void A_final_record_becomes_one_row_with_up_and_down_from_the_device_view()
    {
        using var store = new TempStore();
        var device = Device("02:00:00:00:00:01", "LAPTOP");
        // The device answered (it is the responder): up is what it sent, the responder's bytes.
        var r = Final(device, T0, up: 700, down: 9_000, remote: "8.8.8.8", remotePort: 50000, localPort: 22, name: "dns.google",
            place: Place("US", 15169, "Google LLC"), deviceIsOrig: false);
        var sink = store.Write(r);
        Assert.Equal(1, sink.RowsWritten);

        using var db = store.OpenReadOnly();
        using var cmd = db.CreateCommand();
        cmd.CommandText = "SELECT device, device_name, local_ip, local_port, remote_ip, remote_port, bytes_up, bytes_down, orig_ip_bytes, " +
                          "resp_ip_bytes, remote_name, remote_name_source, country, asn, org, uid, community_id, conn_state, close_reason, ts, destination FROM flows";
        using var row = cmd.ExecuteReader();
        Assert.True(row.Read());
        Assert.Equal("02:00:00:00:00:01", row.GetString(0));
        Assert.Equal("LAPTOP", row.GetString(1));
        Assert.Equal("192.168.1.10", row.GetString(2));
        Assert.Equal(22, row.GetInt64(3));
        Assert.Equal("8.8.8.8", row.GetString(4));
        Assert.Equal(50000, row.GetInt64(5));
        Assert.Equal(700, row.GetInt64(6));
        Assert.Equal(9_000, row.GetInt64(7));
        Assert.Equal(9_000, row.GetInt64(8));
        Assert.Equal(700, row.GetInt64(9));
        Assert.Equal("dns.google", row.GetString(10));
        Assert.Equal("tls_sni", row.GetString(11));
        Assert.Equal("US", row.GetString(12));
        Assert.Equal(15169, row.GetInt64(13));
        Assert.Equal("Google LLC", row.GetString(14));
        Assert.Equal(FlowUid.Format(in r, 0), row.GetString(15));
        Assert.Equal(CommunityId.Compute(in r), row.GetString(16));
        Assert.Equal(ConnState.Name(in r), row.GetString(17));
        Assert.Equal("fin", row.GetString(18));
        Assert.Equal("2026-01-01T00:00:00.000Z", row.GetString(19));
        Assert.Equal("dns.google", row.GetString(20));
    }

    [Fact]
    public void Interim_records_add_no_rows_but_the_device_and_names_are_kept()
    {
        using var store = new TempStore();
        var device = Device("02:00:00:00:00:01", "LAPTOP");
        var interim = Final(device, T0, name: "a.example");
        interim.Reason = CloseReason.None;
        store.Write(interim, Final(device, T0 + Second, name: "b.example", remote: "198.51.100.9"));
        Assert.Equal(1, store.Scalar("SELECT count(*) FROM flows"));
        Assert.Equal(1, store.Scalar("SELECT count(*) FROM devices WHERE id = '02:00:00:00:00:01' AND name = 'LAPTOP'"));
        Assert.Equal(1, store.Scalar("SELECT count(*) FROM names WHERE device = '02:00:00:00:00:01' AND remote_ip = '198.51.100.9' AND name = 'b.example'"));
    }

    [Fact]
    public void A_full_queue_drops_and_counts_records_without_blocking_the_caller()
    {
        using var store = new TempStore();
        var sink = store.OpenSink(new SqliteOptions { QueueRecords = 3 }, startWriter: false);
        var device = Device("aa");
        var records = Enumerable.Range(0, 5).Select(i => Final(device, T0 + i * Second, localPort: (ushort)(40000 + i))).ToArray();
        sink.Write(records);
        Assert.Equal(3, sink.RecordsQueued);
        Assert.Equal(2, sink.RecordsDropped);
        sink.Complete();
        Assert.Equal(3, sink.RowsWritten);
        Assert.Equal(3, store.Scalar("SELECT count(*) FROM flows"));
        Assert.Contains(sink.ReadCounters(), kv => kv is { Key: "records_dropped", Value: 2 });
    }

    [Fact]
    public void Records_are_committed_in_transactions_of_at_most_the_batch_size()
    {
        using var store = new TempStore();
        var sink = store.OpenSink(new SqliteOptions { BatchRows = 4 }, startWriter: false);
        var device = Device("aa");
        sink.Write([.. Enumerable.Range(0, 10).Select(i => Final(device, T0 + i * Second, localPort: (ushort)(40000 + i)))]);
        sink.Complete();
        Assert.Equal(10, sink.RowsWritten);
        long transactions = sink.ReadCounters().Single(kv => kv.Key == "transactions").Value;
        Assert.True(transactions >= 3, $"10 rows in batches of 4 need at least 3 transactions; got {transactions}");
    }

    [Fact]
    public void Writing_the_same_records_again_adds_no_rows_and_counts_them_as_duplicates()
    {
        using var store = new TempStore();
        var device = Device("aa");
        var records = Enumerable.Range(0, 4).Select(i => Final(device, T0 + i * Second, localPort: (ushort)(40000 + i))).ToArray();
        store.Write(records);
        var again = store.Write(records);
        Assert.Equal(0, again.RowsWritten);
        Assert.Equal(4, again.RowsDuplicate);
        Assert.Equal(4, store.Scalar("SELECT count(*) FROM flows"));
    }

    [Fact]
    public void Rows_older_than_the_retention_are_pruned_in_small_batches()
    {
        using var store = new TempStore();
        var device = Device("aa");
        var old = Enumerable.Range(0, 25).Select(i => Final(device, T0 + i * Second, localPort: (ushort)(40000 + i), name: "old.example")).ToArray();
        var recent = Enumerable.Range(0, 5).Select(i => Final(device, T0 + 10 * Day + i * Second, localPort: (ushort)(41000 + i))).ToArray();
        store.Write([.. old, .. recent]);
        Assert.Equal(30, store.Scalar("SELECT count(*) FROM flows"));

        // Any write opens the store again; the writer prunes what is older than 2 days before the newest flow.
        var sink = store.Write(new SqliteOptions { RetentionDays = 2, PruneBatchRows = 4 }, Final(device, T0 + 10 * Day + Hour, localPort: 42000));
        Assert.Equal(25, sink.RowsPruned);
        Assert.Equal(6, store.Scalar("SELECT count(*) FROM flows"));
        Assert.Equal(0, store.Scalar($"SELECT count(*) FROM flows WHERE first_ns < {T0 + 8 * Day}"));
        Assert.Equal(0, store.Scalar("SELECT count(*) FROM names WHERE name = 'old.example'"));
    }

    [Fact]
    public void The_geolocation_credits_are_kept_for_reports()
    {
        using var store = new TempStore();
        var sink = store.OpenSink();
        sink.RecordAttributions([("IP Geolocation by DB-IP", "https://db-ip.com")]);
        sink.Complete();
        using var db = store.OpenReadOnly();
        using var cmd = db.CreateCommand();
        cmd.CommandText = "SELECT value FROM meta WHERE key = 'attribution'";
        Assert.Equal("IP Geolocation by DB-IP\thttps://db-ip.com\n", cmd.ExecuteScalar() as string);
    }

    [Fact]
    public void Counters_name_the_sink_for_the_summary()
    {
        using var store = new TempStore();
        var sink = store.Write(Final(Device("aa"), T0));
        Assert.Equal("sqlite", sink.SinkName);
        Assert.Equal(1, sink.ReadCounters().Single(kv => kv.Key == "rows_written").Value);
    }
}
