using Microsoft.Data.Sqlite;
using TapSensor.Sinks.Sqlite.Store;
using TapSensor.Sinks.Sqlite.Tests.Infrastructure;
using static TapSensor.Sinks.Sqlite.Tests.Infrastructure.Records;

namespace TapSensor.Sinks.Sqlite.Tests.Store;

public sealed class StoreSchemaTests
{
    [Fact]
    public void A_new_store_records_the_schema_version_and_uses_write_ahead_logging()
    {
        using var store = new TempStore();
        store.Write(Final(Device("aa"), T0));
        Assert.Equal(StoreSchema.Version, store.Scalar("SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'schema_version'"));
        using var db = store.OpenReadOnly();
        using var cmd = db.CreateCommand();
        cmd.CommandText = "PRAGMA journal_mode";
        Assert.Equal("wal", cmd.ExecuteScalar() as string);
    }

    [Fact]
    public void Reopening_a_store_keeps_its_rows_and_appends()
    {
        using var store = new TempStore();
        store.Write(Final(Device("aa"), T0));
        store.Write(Final(Device("aa"), T0 + Hour));
        Assert.Equal(2, store.Scalar("SELECT count(*) FROM flows"));
    }

    [Fact]
    public void A_store_from_a_newer_version_is_refused_with_both_versions_named()
    {
        using var store = new TempStore();
        store.Write(Final(Device("aa"), T0));
        using (var db = new SqliteConnection($"Data Source={store.Path};Pooling=False"))
        {
            db.Open();
            using var cmd = db.CreateCommand();
            cmd.CommandText = "UPDATE meta SET value = '99' WHERE key = 'schema_version'";
            cmd.ExecuteNonQuery();
        }
        var ex = Assert.Throws<StoreException>(() => store.OpenSink());
        Assert.Contains("newer TapSensor (schema version 99; this version reads 1)", ex.Message);
        Assert.Throws<StoreException>(() => store.OpenReadOnly());
    }

    [Fact]
    public void An_sqlite_database_that_is_not_a_store_is_refused()
    {
        using var store = new TempStore();
        using (var db = new SqliteConnection($"Data Source={store.Path};Pooling=False"))
        {
            db.Open();
            using var cmd = db.CreateCommand();
            cmd.CommandText = "CREATE TABLE notes (x TEXT)";
            cmd.ExecuteNonQuery();
        }
        var ex = Assert.Throws<StoreException>(() => store.OpenSink());
        Assert.Contains("not a TapSensor store", ex.Message);
    }

    [Fact]
    public void A_file_that_is_not_a_database_is_refused_with_a_clear_reason()
    {
        using var store = new TempStore();
        File.WriteAllText(store.Path, new string('x', 8192));
        var ex = Assert.Throws<StoreException>(() => store.OpenSink());
        Assert.Contains("not an SQLite database", ex.Message);
    }
}
