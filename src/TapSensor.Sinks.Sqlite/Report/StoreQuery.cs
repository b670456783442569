using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace TapSensor.Sinks.Sqlite.Report;

/// <summary>The result of <see cref="StoreQuery.Run"/>: column names and rows (long, double, string, byte[] or null).</summary>
public sealed record QueryResult(IReadOnlyList<string> Columns, IReadOnlyList<object?[]> Rows);

/// <summary>A query the store refused to run (not a single read-only SELECT, or SQL that does not compile).</summary>
public sealed class QueryRefusedException(string message) : Exception(message);

/// <summary>
/// <c>tapsensor query</c>: one read-only statement over the store. Three locks, each enough alone: the connection
/// is opened read-only and with <c>PRAGMA query_only</c>; the statement must be a single SELECT or WITH (VALUES
/// too); and SQLite itself must call it read-only (<c>sqlite3_stmt_readonly</c>) once compiled, which catches a
/// WITH ... DELETE. ATTACH, PRAGMA assignments, INSERT, UPDATE, DELETE and DDL are refused before they run.
/// </summary>
public static class StoreQuery
{
    public static QueryResult Run(SqliteConnection db, string sql, int maxRows = int.MaxValue)
    {
        string text = sql.Trim().TrimEnd(';').Trim();
        string first = FirstKeyword(text);
        if (first is not ("SELECT" or "WITH" or "VALUES"))
            throw new QueryRefusedException($"only a single SELECT (or WITH ... SELECT) statement is allowed; got '{(first.Length == 0 ? "(empty)" : first)}'");
        CheckSingleReadOnly(db, text);

        using var cmd = db.CreateCommand();
        cmd.CommandText = text;
        try
        {
            using var r = cmd.ExecuteReader();
            var columns = new string[r.FieldCount];
            for (int i = 0; i < columns.Length; i++) columns[i] = r.GetName(i);
            var rows = new List<object?[]>();
            while (rows.Count < maxRows && r.Read())
            {
                var row = new object?[columns.Length];
                for (int i = 0; i < row.Length; i++) row[i] = r.IsDBNull(i) ? null : r.GetValue(i);
                rows.Add(row);
            }
            return new QueryResult(columns, rows);
        }
        catch (SqliteException ex)
        {
            throw new QueryRefusedException(ex.Message);
        }
    }

    /// <summary>Compiles the text with SQLite and refuses a second statement or one that would write.</summary>
    private static void CheckSingleReadOnly(SqliteConnection db, string text)
    {
        var handle = db.Handle ?? throw new InvalidOperationException("the connection is not open");
        int rc = raw.sqlite3_prepare_v2(handle, text, out sqlite3_stmt stmt, out string tail);
        using (stmt)
        {
            if (rc != raw.SQLITE_OK) throw new QueryRefusedException(raw.sqlite3_errmsg(handle).utf8_to_string());
            if (stmt.IsInvalid) throw new QueryRefusedException("the query is empty");
            if (!string.IsNullOrWhiteSpace(StripComments(tail))) throw new QueryRefusedException("only one statement is allowed");
            if (raw.sqlite3_stmt_readonly(stmt) == 0) throw new QueryRefusedException("the statement would change the store; queries are read-only");
        }
    }

    /// <summary>The first word after leading comments and parentheses, upper case.</summary>
    internal static string FirstKeyword(string sql)
    {
        string s = StripComments(sql).TrimStart('(', ' ', '\t', '\r', '\n');
        int n = 0;
        while (n < s.Length && (char.IsAsciiLetter(s[n]) || s[n] == '_')) n++;
        return s[..n].ToUpperInvariant();
    }

    private static string StripComments(string sql)
    {
        string s = sql.TrimStart();
        while (true)
        {
            if (s.StartsWith("--", StringComparison.Ordinal))
            {
                int nl = s.IndexOf('\n', StringComparison.Ordinal);
                s = nl < 0 ? "" : s[(nl + 1)..].TrimStart();
            }
            else if (s.StartsWith("/*", StringComparison.Ordinal))
            {
                int end = s.IndexOf("*/", 2, StringComparison.Ordinal);
                s = end < 0 ? "" : s[(end + 2)..].TrimStart();
            }
            else return s;
        }
    }
}
