namespace TapSensor.Sinks.Sqlite;

/// <summary>
/// The embedded store (section <c>TapSensor:Sqlite</c>). With no InfluxDB configured the store is on by
/// default, so the sensor remembers the traffic and <c>tapsensor report</c> can answer questions about it.
/// </summary>
public sealed class SqliteOptions
{
    public const string SectionName = "Sqlite";

    /// <summary>The file name of the store inside the data folder when <see cref="Path"/> is not set.</summary>
    public const string DefaultFileName = "tapsensor.db";

    /// <summary>The database file; empty: <c>tapsensor.db</c> in the data folder ($TAPSENSOR_DATA, /var/lib/tapsensor for root, else ~/.local/share/tapsensor).</summary>
    public string? Path { get; set; }

    /// <summary>On, off, or unset: on unless InfluxDB is configured (then on only when <see cref="Path"/> is given).</summary>
    public bool? Enabled { get; set; }

    /// <summary>Flows older than this (packet time, measured from the newest flow written) are deleted; 0 keeps everything.</summary>
    public double RetentionDays { get; set; } = 30;

    /// <summary>Rows committed per transaction at most.</summary>
    public int BatchRows { get; set; } = 5000;

    /// <summary>How long a record may wait in the queue before its transaction is committed.</summary>
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Records the queue between the aggregator and the writer holds; when full, records are dropped and counted.</summary>
    public int QueueRecords { get; set; } = 100_000;

    /// <summary>Rows deleted per statement when pruning, so a prune never holds the writer long.</summary>
    public int PruneBatchRows { get; set; } = 2000;

    /// <summary>How often (wall clock) the writer looks for rows past the retention.</summary>
    public TimeSpan PruneInterval { get; set; } = TimeSpan.FromMinutes(1);

    public IEnumerable<string> Validate()
    {
        if (RetentionDays < 0 || double.IsNaN(RetentionDays))
            yield return $"{SectionName}:RetentionDays must be 0 (keep everything) or positive; got {RetentionDays}";
        if (BatchRows is < 1 or > 1_000_000) yield return $"{SectionName}:BatchRows must be between 1 and 1000000; got {BatchRows}";
        if (FlushInterval < TimeSpan.FromMilliseconds(10) || FlushInterval > TimeSpan.FromMinutes(10))
            yield return $"{SectionName}:FlushInterval must be between 10 ms and 10 min; got {FlushInterval}";
        if (QueueRecords is < 1 or > 10_000_000) yield return $"{SectionName}:QueueRecords must be between 1 and 10000000; got {QueueRecords}";
        if (PruneBatchRows is < 1 or > 1_000_000) yield return $"{SectionName}:PruneBatchRows must be between 1 and 1000000; got {PruneBatchRows}";
        if (PruneInterval < TimeSpan.FromSeconds(1)) yield return $"{SectionName}:PruneInterval must be at least 1 s; got {PruneInterval}";
    }

    /// <summary>Whether the store runs, given whether InfluxDB is configured.</summary>
    public bool IsOn(bool influxConfigured) => Enabled ?? (!influxConfigured || !string.IsNullOrWhiteSpace(Path));

    /// <summary>The file to open: <see cref="Path"/>, else <see cref="DefaultFileName"/> in <paramref name="dataFolder"/>.</summary>
    public string ResolvePath(string dataFolder) =>
        string.IsNullOrWhiteSpace(Path) ? System.IO.Path.Combine(dataFolder, DefaultFileName) : System.IO.Path.GetFullPath(Path);
}
