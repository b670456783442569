using System.Diagnostics;
using Microsoft.Data.Sqlite;
using TapSensor.Sinks.Sqlite.Tests.Infrastructure;
using TapSensor.Testing;

namespace TapSensor.Sinks.Sqlite.Tests.Integration;

/// <summary>
/// SIGKILL in the middle of a paced read: whatever was committed before the kill is still there, whole, and the
/// file passes SQLite's integrity check.
/// </summary>
public sealed class KillTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("tapsensor-kill-").FullName;

    [Fact]
    public void A_killed_sensor_leaves_a_sound_store_with_every_committed_row()
    {
        string pcap = Path.Combine(_folder, "sample.pcap");
        string db = Path.Combine(_folder, "store.db");
        // 20 000 packets span about 34 s of traffic; paced, records trickle in for that long.
        var sample = TapSensorProcess.Run(TimeSpan.FromMinutes(2), "sample", pcap, "--packets", "20000", "--seed", "5");
        Assert.True(sample.ExitCode == 0, sample.StdErr);

        var psi = TapSensorProcess.Start(TapSensorProcess.Executable, ["read", pcap, "--pace", "--no-progress", "--db", db],
            new Dictionary<string, string> { ["TapSensor__Sqlite__FlushInterval"] = "00:00:00.2" });
        using var sensor = Process.Start(psi)!;
        sensor.StandardOutput.ReadToEndAsync();
        sensor.StandardError.ReadToEndAsync();

        // Watch from a second connection until two commits are seen, then remember every uid seen.
        HashSet<string> seen = [];
        long firstCount = 0;
        var watch = Stopwatch.StartNew();
        try
        {
            while (watch.Elapsed < TimeSpan.FromSeconds(60) && !sensor.HasExited)
            {
                Thread.Sleep(100);
                if (!File.Exists(db)) continue;
                var uids = Uids(db);
                if (uids is null || uids.Count == 0) continue;
                if (firstCount == 0) firstCount = uids.Count;
                else if (uids.Count > firstCount)
                {
                    seen = uids;
                    break;
                }
            }
            Assert.False(sensor.HasExited, "the paced read ended before two commits were seen; the sample is too short for this machine");
            Assert.True(seen.Count > 0, $"no second commit within 60 s (first count {firstCount})");
        }
        finally
        {
            if (!sensor.HasExited) sensor.Kill(); // SIGKILL
            sensor.WaitForExit(TimeSpan.FromSeconds(10));
        }

        using var check = new SqliteConnection($"Data Source={db};Mode=ReadWrite;Pooling=False");
        check.Open();
        Assert.Equal("ok", Scalar(check, "PRAGMA integrity_check"));
        var after = Uids(db)!;
        Assert.True(after.Count >= seen.Count, $"{after.Count} rows after the kill, {seen.Count} seen before it");
        Assert.Empty(seen.Except(after));
        // Every row is whole: what the device sent and received is the record's two sides, and every key column is set.
        Assert.Equal(0L, Scalar(check, "SELECT count(*) FROM flows WHERE bytes_up + bytes_down <> orig_ip_bytes + resp_ip_bytes " +
                                       "OR uid IS NULL OR community_id IS NULL OR conn_state IS NULL OR last_ns < first_ns"));
    }

    private static HashSet<string>? Uids(string db)
    {
        try
        {
            using var c = new SqliteConnection($"Data Source={db};Mode=ReadOnly;Pooling=False");
            c.Open();
            using var cmd = c.CreateCommand();
            cmd.CommandText = "SELECT uid FROM flows";
            var all = new HashSet<string>(StringComparer.Ordinal);
            using var r = cmd.ExecuteReader();
            while (r.Read()) all.Add(r.GetString(0));
            return all;
        }
        catch (SqliteException)
        {
            return null; // the schema is not there yet
        }
    }

    private static object? Scalar(SqliteConnection c, string sql)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        return cmd.ExecuteScalar();
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
