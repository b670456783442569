using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using TapSensor.Core.Flows;

namespace TapSensor.Sinks.Sqlite.Tests.Infrastructure;

/// <summary>A temporary folder with a store file in it, written through the real sink; deleted at the end.</summary>
internal sealed class TempStore : IDisposable
{
    public TempStore()
    {
        Folder = Directory.CreateTempSubdirectory("tapsensor-sqlite-").FullName;
        Path = System.IO.Path.Combine(Folder, "tapsensor.db");
    }

    public string Folder { get; }
    public string Path { get; }

    public SqliteSink OpenSink(SqliteOptions? options = null, bool startWriter = true) =>
        new(options ?? new SqliteOptions(), Path, NullLogger.Instance, null, 0, startWriter);

    /// <summary>Writes the records through a sink, one Write per record, and completes it.</summary>
    public SqliteSink Write(params FlowRecord[] records) => Write(null, records);

    public SqliteSink Write(SqliteOptions? options, params FlowRecord[] records)
    {
        var sink = OpenSink(options);
        foreach (var r in records) sink.Write([r]);
        sink.Complete();
        return sink;
    }

    public SqliteConnection OpenReadOnly() => Sqlite.Store.StoreConnection.OpenReadOnly(Path);

    public long Scalar(string sql)
    {
        using var db = OpenReadOnly();
        using var cmd = db.CreateCommand();
        cmd.CommandText = sql;
        return Convert.ToInt64(cmd.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
