using System.Globalization;
using Microsoft.Data.Sqlite;

namespace TapSensor.Sinks.Sqlite.Store;

/// <summary>
/// The store's tables (README, "Embedded store (SQLite)"). Times are Unix nanoseconds of packet time in
/// integer columns (exact, and what the records carry); <c>flows.ts</c> is a virtual ISO 8601 column for people
/// writing queries. <c>meta</c> holds the schema version: a store written by an older version is migrated step
/// by step, one written by a newer version is refused.
/// </summary>
internal static class StoreSchema
{
    /// <summary>The version this build writes and reads.</summary>
    public const int Version = 1;

    /// <summary>Migrations: index i takes a store from version i to i + 1 (index 0 creates everything).</summary>
    private static readonly string[] Steps =
    [
        """
        CREATE TABLE meta (
            key   TEXT PRIMARY KEY,
            value TEXT NOT NULL
        ) WITHOUT ROWID;

        CREATE TABLE flows (
            id                 INTEGER PRIMARY KEY,
            first_ns           INTEGER NOT NULL,
            last_ns            INTEGER NOT NULL,
            ts                 TEXT GENERATED ALWAYS AS (strftime('%Y-%m-%dT%H:%M:%fZ', first_ns / 1e9, 'unixepoch')) VIRTUAL,
            duration           REAL    NOT NULL,
            device             TEXT,
            device_name        TEXT,
            local              INTEGER NOT NULL,
            local_is_orig      INTEGER NOT NULL,
            proto              TEXT    NOT NULL,
            local_ip           TEXT    NOT NULL,
            local_port         INTEGER NOT NULL,
            remote_ip          TEXT    NOT NULL,
            remote_port        INTEGER NOT NULL,
            remote_name        TEXT,
            remote_name_source TEXT,
            destination        TEXT GENERATED ALWAYS AS (coalesce(remote_name, remote_ip)) VIRTUAL,
            service            TEXT,
            country            TEXT,
            city               TEXT,
            lat                REAL,
            lon                REAL,
            accuracy_km        INTEGER,
            asn                INTEGER,
            org                TEXT,
            orig_ip_bytes      INTEGER NOT NULL,
            resp_ip_bytes      INTEGER NOT NULL,
            orig_pkts          INTEGER NOT NULL,
            resp_pkts          INTEGER NOT NULL,
            orig_bytes         INTEGER NOT NULL,
            resp_bytes         INTEGER NOT NULL,
            bytes_up           INTEGER NOT NULL,
            bytes_down         INTEGER NOT NULL,
            pkts_up            INTEGER NOT NULL,
            pkts_down          INTEGER NOT NULL,
            close_reason       TEXT    NOT NULL,
            conn_state         TEXT    NOT NULL,
            vlan               INTEGER,
            uid                TEXT    NOT NULL,
            community_id       TEXT    NOT NULL
        );
        CREATE UNIQUE INDEX flows_uid ON flows (uid);
        CREATE INDEX flows_time ON flows (first_ns);
        CREATE INDEX flows_device_time ON flows (device, first_ns);
        CREATE INDEX flows_device_destination ON flows (device, destination, first_ns);
        CREATE INDEX flows_remote_name ON flows (remote_name);

        CREATE TABLE devices (
            id            TEXT PRIMARY KEY,
            mac           TEXT,
            name          TEXT,
            name_source   TEXT,
            vendor        TEXT,
            grp           TEXT,
            randomized    INTEGER NOT NULL,
            keyed_by      TEXT    NOT NULL,
            is_router     INTEGER NOT NULL,
            first_ns      INTEGER NOT NULL,
            last_ns       INTEGER NOT NULL,
            addresses     TEXT    NOT NULL,
            bytes_up      INTEGER NOT NULL,
            bytes_down    INTEGER NOT NULL,
            packets_up    INTEGER NOT NULL,
            packets_down  INTEGER NOT NULL,
            flows         INTEGER NOT NULL,
            updated_ns    INTEGER NOT NULL
        ) WITHOUT ROWID;

        CREATE TABLE names (
            device    TEXT NOT NULL,
            remote_ip TEXT NOT NULL,
            name      TEXT NOT NULL,
            source    TEXT NOT NULL,
            first_ns  INTEGER NOT NULL,
            last_ns   INTEGER NOT NULL,
            PRIMARY KEY (device, remote_ip, name)
        ) WITHOUT ROWID;
        CREATE INDEX names_name ON names (name);
        CREATE INDEX names_last ON names (last_ns);
        """,
    ];

    /// <summary>
    /// Brings the store to <see cref="Version"/>: creates it when empty, migrates an older one, refuses a newer one
    /// or a file that is not a TapSensor store (<see cref="StoreException"/>). Returns the version found (0: new).
    /// </summary>
    public static int Ensure(SqliteConnection connection)
    {
        int found = ReadVersion(connection);
        if (found > Version)
            throw new StoreException($"the store was written by a newer TapSensor (schema version {found}; this version reads {Version}); use a newer tapsensor or another --db file");
        for (int v = found; v < Version; v++)
        {
            using var tx = connection.BeginTransaction();
            using (var cmd = connection.CreateCommand())
            {
                cmd.Transaction = tx;
                cmd.CommandText = Steps[v];
                cmd.ExecuteNonQuery();
                cmd.CommandText = "INSERT INTO meta (key, value) VALUES ('schema_version', $v) ON CONFLICT (key) DO UPDATE SET value = excluded.value";
                cmd.Parameters.AddWithValue("$v", (v + 1).ToString(CultureInfo.InvariantCulture));
                cmd.ExecuteNonQuery();
                if (v == 0)
                {
                    cmd.Parameters.Clear();
                    cmd.CommandText = "INSERT INTO meta (key, value) VALUES ('created', $t)";
                    cmd.Parameters.AddWithValue("$t", DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
                    cmd.ExecuteNonQuery();
                }
            }
            tx.Commit();
        }
        return found;
    }

    /// <summary>The schema version of an open store: 0 when the file is empty; refuses a database that is not a store.</summary>
    public static int ReadVersion(SqliteConnection connection)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'meta'";
        bool hasMeta = Convert.ToInt64(cmd.ExecuteScalar(), CultureInfo.InvariantCulture) > 0;
        if (!hasMeta)
        {
            cmd.CommandText = "SELECT count(*) FROM sqlite_schema";
            if (Convert.ToInt64(cmd.ExecuteScalar(), CultureInfo.InvariantCulture) > 0)
                throw new StoreException("the file is an SQLite database but not a TapSensor store (no meta table); use another --db file");
            return 0;
        }
        cmd.CommandText = "SELECT value FROM meta WHERE key = 'schema_version'";
        var text = cmd.ExecuteScalar() as string;
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int version) || version < 1)
            throw new StoreException($"the store's schema version is unreadable ('{text}'); use another --db file");
        return version;
    }
}

/// <summary>The store cannot be used (not a store, newer schema, corrupt, locked, unwritable). The message says why, for one line on stderr.</summary>
public sealed class StoreException(string message, Exception? inner = null) : Exception(message, inner);
