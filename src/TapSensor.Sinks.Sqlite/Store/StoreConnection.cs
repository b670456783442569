using System.Globalization;
using Microsoft.Data.Sqlite;

namespace TapSensor.Sinks.Sqlite.Store;

/// <summary>Opens the store file: the writer's connection (WAL, synchronous=NORMAL) or a read-only one for reports and queries.</summary>
public static class StoreConnection
{
    /// <summary>How long a statement waits for another process's lock before it fails with "database is locked".</summary>
    public static readonly TimeSpan BusyTimeout = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Opens (creating it and its folder when missing) the store for writing, brings its schema up to date and
    /// proves it can write. Throws <see cref="StoreException"/> with a one-line reason when it cannot.
    /// </summary>
    internal static SqliteConnection OpenForWriting(string path, out int versionFound)
    {
        SqliteConnection? connection = null;
        try
        {
            string? folder = Path.GetDirectoryName(Path.GetFullPath(path));
            if (!string.IsNullOrEmpty(folder)) Directory.CreateDirectory(folder);
            connection = new SqliteConnection(new SqliteConnectionStringBuilder
            {
                DataSource = path,
                Mode = SqliteOpenMode.ReadWriteCreate,
                Pooling = false,
                DefaultTimeout = (int)BusyTimeout.TotalSeconds,
            }.ToString());
            connection.Open();
            Execute(connection, $"PRAGMA busy_timeout = {(int)BusyTimeout.TotalMilliseconds}");
            string mode = Convert.ToString(Scalar(connection, "PRAGMA journal_mode = WAL"), CultureInfo.InvariantCulture) ?? "";
            if (!mode.Equals("wal", StringComparison.OrdinalIgnoreCase))
                throw new StoreException($"cannot switch '{path}' to write-ahead logging (journal mode stays '{mode}')");
            Execute(connection, "PRAGMA synchronous = NORMAL");
            versionFound = StoreSchema.Ensure(connection);
            // A write proves the file is writable and not locked by another writer, before the run starts.
            Execute(connection, "INSERT INTO meta (key, value) VALUES ('opened', strftime('%Y-%m-%dT%H:%M:%SZ', 'now')) " +
                                "ON CONFLICT (key) DO UPDATE SET value = excluded.value");
            return connection;
        }
        catch (Exception ex) when (ex is SqliteException or IOException or UnauthorizedAccessException or StoreException)
        {
            connection?.Dispose();
            if (ex is StoreException) throw;
            throw new StoreException($"cannot open the store '{path}': {Describe(ex)}", ex);
        }
    }

    /// <summary>Opens an existing store read-only (reports, queries) and checks its schema version.</summary>
    public static SqliteConnection OpenReadOnly(string path)
    {
        if (!File.Exists(path)) throw new StoreException($"no store at '{path}' (run 'tapsensor read' or 'tapsensor capture' first, or give --db FILE)");
        SqliteConnection? connection = null;
        try
        {
            connection = new SqliteConnection(new SqliteConnectionStringBuilder
            {
                DataSource = path,
                Mode = SqliteOpenMode.ReadOnly,
                Pooling = false,
                DefaultTimeout = (int)BusyTimeout.TotalSeconds,
            }.ToString());
            connection.Open();
            Execute(connection, $"PRAGMA busy_timeout = {(int)BusyTimeout.TotalMilliseconds}");
            Execute(connection, "PRAGMA query_only = 1");
            int version = StoreSchema.ReadVersion(connection);
            if (version == 0) throw new StoreException($"'{path}' is an empty database, not a TapSensor store");
            if (version != StoreSchema.Version)
                throw new StoreException(version > StoreSchema.Version
                    ? $"the store '{path}' was written by a newer TapSensor (schema version {version}; this version reads {StoreSchema.Version})"
                    : $"the store '{path}' has schema version {version}; run 'tapsensor read' or 'capture' with this version once to migrate it to {StoreSchema.Version}");
            return connection;
        }
        catch (Exception ex) when (ex is SqliteException or IOException or UnauthorizedAccessException or StoreException)
        {
            connection?.Dispose();
            if (ex is StoreException) throw;
            throw new StoreException($"cannot read the store '{path}': {Describe(ex)}", ex);
        }
    }

    /// <summary>SQLite's own words, with a hint for the usual causes.</summary>
    internal static string Describe(Exception ex) => ex switch
    {
        SqliteException { SqliteErrorCode: 26 } => "the file is not an SQLite database (or it is corrupt)",
        SqliteException { SqliteErrorCode: 11 } => "the database file is corrupt (" + ex.Message + ")",
        SqliteException { SqliteErrorCode: 5 or 6 } => "the database is locked by another process",
        SqliteException { SqliteErrorCode: 8 } => "the database is read-only here (check the file's permissions)",
        SqliteException { SqliteErrorCode: 14 } => "the file cannot be opened (check the folder exists and is writable)",
        SqliteException s => s.Message,
        _ => ex.Message,
    };

    internal static void Execute(SqliteConnection connection, string sql)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    internal static object? Scalar(SqliteConnection connection, string sql)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        return cmd.ExecuteScalar();
    }
}
