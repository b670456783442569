using TapSensor.Sinks.Sqlite.Report;
using TapSensor.Sinks.Sqlite.Tests.Infrastructure;
using static TapSensor.Sinks.Sqlite.Tests.Infrastructure.Records;

namespace TapSensor.Sinks.Sqlite.Tests.Report;

public sealed class StoreQueryTests : IDisposable
{
    private readonly TempStore _store = new();

    public StoreQueryTests() => _store.Write(Final(Device("aa"), T0, name: "a.example"), Final(Device("aa"), T0 + Hour, localPort: 40001));

    [Fact]
    public void A_select_returns_its_columns_and_rows()
    {
        using var db = _store.OpenReadOnly();
        var r = StoreQuery.Run(db, "-- comment\nSELECT destination, bytes_up + bytes_down AS bytes FROM flows ORDER BY first_ns;");
        Assert.Equal(["destination", "bytes"], r.Columns);
        Assert.Equal(["a.example", "203.0.113.7"], r.Rows.Select(x => x[0]));
        Assert.Equal(21_000L, r.Rows[0][1]);
    }

    [Theory]
    [InlineData("INSERT INTO meta (key, value) VALUES ('x', 'y')")]
    [InlineData("DELETE FROM flows")]
    [InlineData("UPDATE flows SET bytes_up = 0")]
    [InlineData("DROP TABLE flows")]
    [InlineData("ATTACH DATABASE '/tmp/other.db' AS other")]
    [InlineData("PRAGMA user_version = 7")]
    [InlineData("PRAGMA query_only = 0")]
    [InlineData("WITH x AS (SELECT 1) DELETE FROM flows")]
    [InlineData("SELECT 1; DELETE FROM flows")]
    [InlineData("VACUUM")]
    public void Anything_but_one_read_only_select_is_refused_and_changes_nothing(string sql)
    {
        using (var db = _store.OpenReadOnly())
            Assert.Throws<QueryRefusedException>(() => StoreQuery.Run(db, sql));
        Assert.Equal(2, _store.Scalar("SELECT count(*) FROM flows"));
        Assert.Equal(0, _store.Scalar("SELECT count(*) FROM meta WHERE key = 'x'"));
        Assert.Equal(0, _store.Scalar("PRAGMA user_version"));
    }

    [Fact]
    public void Bad_sql_is_refused_with_sqlites_message()
    {
        using var db = _store.OpenReadOnly();
        var ex = Assert.Throws<QueryRefusedException>(() => StoreQuery.Run(db, "SELECT nonsense FROM flows"));
        Assert.Contains("no such column: nonsense", ex.Message);
    }

    public void Dispose() => _store.Dispose();
}
