using TapSensor.Sinks.Influx.LineProtocol;

namespace TapSensor.Sinks.Influx;

/// <summary>
/// InfluxDB output (configuration section <c>TapSensor:Influx</c>; environment <c>TAPSENSOR__INFLUX__URL</c> and so
/// on; command line <c>--influx-url</c>, <c>--influx-database</c>, <c>--influx-org</c>, <c>--influx-bucket</c>,
/// <c>--influx-token-file</c>). Off unless <see cref="Url"/> is set. Two write APIs: with <see cref="Database"/>
/// the 1.x <c>/write</c> (InfluxDB 1.x, and 2.x/3.x through their 1.x compatibility), with <see cref="Org"/> and
/// <see cref="Bucket"/> the <c>/api/v2/write</c> of InfluxDB 2.x and 3.x with a token.
/// </summary>
internal sealed class InfluxOptions
{
    public const string SectionName = "Influx";

    /// <summary>Base URL, e.g. <c>http://localhost:8086</c> (a path prefix behind a proxy is kept).</summary>
    public string? Url { get; set; }

    // ---- 1.x API ----
    public string? Database { get; set; }
    /// <summary>Retention policy (1.x); empty: the database's default.</summary>
    public string? RetentionPolicy { get; set; }
    public string? Username { get; set; }
    /// <summary>File holding the password (first line), for <see cref="Username"/>.</summary>
    public string? PasswordFile { get; set; }
    /// <summary>The password itself, from the environment (<c>TAPSENSOR__INFLUX__PASSWORD</c>); prefer <see cref="PasswordFile"/>.</summary>
    public Secret? Password { get; set; }
    /// <summary>1.x: create <see cref="Database"/> when the server says it does not exist (as Telegraf does).</summary>
    public bool CreateDatabase { get; set; } = true;

    // ---- 2.x / 3.x API ----
    public string? Org { get; set; }
    public string? Bucket { get; set; }
    /// <summary>File holding the API token (first line).</summary>
    public string? TokenFile { get; set; }
    /// <summary>The token itself, from the environment (<c>TAPSENSOR__INFLUX__TOKEN</c>). Never logged.</summary>
    public Secret? Token { get; set; }

    // ---- points ----
    /// <summary>Timestamp precision: ns, us, ms or s. Microseconds match the flow records' <c>ts</c>.</summary>
    public string Precision { get; set; } = "us";
    /// <summary>The <c>sensor</c> tag of every point; default: the host name.</summary>
    public string? Sensor { get; set; }
    /// <summary>Write a <c>new_destinations</c> point when a device reaches a destination for the first time.</summary>
    public bool Destinations { get; set; } = true;
    /// <summary>Interval of the <c>device_traffic</c> measurement, in packet time.</summary>
    public TimeSpan TrafficInterval { get; set; } = TimeSpan.FromSeconds(10);
    /// <summary>Interval of the <c>sensor</c> measurement, in wall-clock time.</summary>
    public TimeSpan SensorInterval { get; set; } = TimeSpan.FromSeconds(10);

    // ---- batching ----
    /// <summary>A batch is sent when it holds this many points ...</summary>
    public int BatchPoints { get; set; } = 5000;
    /// <summary>... or this many bytes of line protocol (before gzip) ...</summary>
    public int BatchBytes { get; set; } = 4 * 1024 * 1024;
    /// <summary>... or when its first point is this old.</summary>
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromSeconds(1);
    /// <summary>Points waiting in memory for the writer; past it batches go to the spool.</summary>
    public int MaxQueuedPoints { get; set; } = 100_000;

    // ---- failures ----
    /// <summary>Directory of spool segments; empty: spool in memory (at most 64 MiB; lost at exit, counted as dropped).</summary>
    public string? SpoolDirectory { get; set; }
    /// <summary>Bound of the spool (files or memory); past it the oldest segment is dropped and counted.</summary>
    public long SpoolMaxBytes { get; set; } = 256L * 1024 * 1024;
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);
    /// <summary>Immediate retries of a batch (exponential backoff with jitter) before it is spooled.</summary>
    public int MaxRetries { get; set; } = 3;
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(60);
    /// <summary>How long the end of a run may wait for the queue to be written; what is left is spooled.</summary>
    public TimeSpan CompleteTimeout { get; set; } = TimeSpan.FromSeconds(15);

    public bool Enabled => !string.IsNullOrWhiteSpace(Url);

    /// <summary>The v2 API (<c>/api/v2/write</c>) rather than 1.x <c>/write</c>.</summary>
    public bool UsesV2 => !string.IsNullOrWhiteSpace(Bucket) || !string.IsNullOrWhiteSpace(Org);

    public string SensorName => string.IsNullOrWhiteSpace(Sensor) ? Environment.MachineName : Sensor.Trim();

    public TimestampPrecision ParsedPrecision =>
        TimestampPrecisions.TryParse(Precision, out var p) ? p : throw new InvalidOperationException($"{SectionName}:Precision is invalid: '{Precision}'");

    /// <summary>Problems with the settings, each naming its configuration path and what would be valid; empty when valid. Start-up only (reads the credential files).</summary>
    public IEnumerable<string> Validate()
    {
        const string S = SectionName;
        var errors = new List<string>();
        if (!Enabled)
        {
            foreach (var (name, value) in new[] { ("Database", Database), ("Org", Org), ("Bucket", Bucket), ("TokenFile", TokenFile) })
                if (!string.IsNullOrWhiteSpace(value))
                {
                    errors.Add($"{S}:{name} is set but {S}:Url is not; set {S}:Url (e.g. http://localhost:8086) or remove {S}:{name}");
                    break;
                }
            return errors;
        }

        if (!Uri.TryCreate(Url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            errors.Add($"{S}:Url must be an absolute http(s) URL; got '{Redact(Url)}'");
        else if (!string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment))
            errors.Add($"{S}:Url must not have a query or fragment; got '{Redact(Url)}'");
        else if (!string.IsNullOrEmpty(uri.UserInfo))
            errors.Add($"{S}:Url must not carry credentials; use {S}:Username and {S}:PasswordFile, or {S}:TokenFile");

        bool v1 = !string.IsNullOrWhiteSpace(Database);
        bool hasOrg = !string.IsNullOrWhiteSpace(Org), hasBucket = !string.IsNullOrWhiteSpace(Bucket);
        bool hasToken = Token is { IsEmpty: false } || !string.IsNullOrWhiteSpace(TokenFile);
        if (v1 && (hasOrg || hasBucket))
            errors.Add($"{S}: set either Database (InfluxDB 1.x API) or Org and Bucket (v2 API of InfluxDB 2.x/3.x), not both");
        else if (!v1 && !hasOrg && !hasBucket)
            errors.Add($"{S}:Url needs {S}:Database (InfluxDB 1.x API) or {S}:Org and {S}:Bucket (v2 API of InfluxDB 2.x/3.x)");
        else if (!v1)
        {
            if (!hasOrg) errors.Add($"{S}:Org is required with {S}:Bucket (v2 API)");
            if (!hasBucket) errors.Add($"{S}:Bucket is required with {S}:Org (v2 API)");
            if (!hasToken) errors.Add($"{S}:TokenFile (or the TAPSENSOR__INFLUX__TOKEN environment variable) is required with the v2 API");
            if (!string.IsNullOrWhiteSpace(Username) || !string.IsNullOrWhiteSpace(PasswordFile))
                errors.Add($"{S}:Username and {S}:PasswordFile apply to the 1.x API (with {S}:Database); the v2 API uses {S}:TokenFile");
            if (!string.IsNullOrWhiteSpace(RetentionPolicy))
                errors.Add($"{S}:RetentionPolicy applies to the 1.x API (with {S}:Database); the v2 API writes to {S}:Bucket");
        }
        else
        {
            if (hasToken)
                errors.Add($"{S}:TokenFile and the token apply to the v2 API (with {S}:Org and {S}:Bucket); with {S}:Database use {S}:Username and {S}:PasswordFile");
            bool hasPassword = Password is { IsEmpty: false } || !string.IsNullOrWhiteSpace(PasswordFile);
            if (!string.IsNullOrWhiteSpace(Username) && !hasPassword)
                errors.Add($"{S}:PasswordFile (or TAPSENSOR__INFLUX__PASSWORD) is required with {S}:Username");
            if (string.IsNullOrWhiteSpace(Username) && hasPassword)
                errors.Add($"{S}:Username is required with a password");
        }
        if (Token is { IsEmpty: false } && !string.IsNullOrWhiteSpace(TokenFile))
            errors.Add($"{S}: set {S}:TokenFile or the TAPSENSOR__INFLUX__TOKEN variable, not both");
        if (Password is { IsEmpty: false } && !string.IsNullOrWhiteSpace(PasswordFile))
            errors.Add($"{S}: set {S}:PasswordFile or the TAPSENSOR__INFLUX__PASSWORD variable, not both");
        CheckSecretFile(errors, "TokenFile", TokenFile);
        CheckSecretFile(errors, "PasswordFile", PasswordFile);

        if (!TimestampPrecisions.TryParse(Precision, out _))
            errors.Add($"{S}:Precision must be ns, us, ms or s; got '{Precision}'");
        if (Sensor is not null && string.IsNullOrWhiteSpace(Sensor))
            errors.Add($"{S}:Sensor must not be blank (leave it unset for the host name)");
        if (BatchPoints is < 1 or > 100_000)
            errors.Add($"{S}:BatchPoints must be between 1 and 100000; got {BatchPoints}");
        if (BatchBytes is < 4096 or > 64 * 1024 * 1024)
            errors.Add($"{S}:BatchBytes must be between 4096 and 67108864; got {BatchBytes}");
        if (MaxQueuedPoints < BatchPoints)
            errors.Add($"{S}:MaxQueuedPoints must be at least {S}:BatchPoints ({BatchPoints}); got {MaxQueuedPoints}");
        CheckSpan(errors, "FlushInterval", FlushInterval, TimeSpan.FromMilliseconds(10), TimeSpan.FromMinutes(10));
        CheckSpan(errors, "TrafficInterval", TrafficInterval, TimeSpan.FromSeconds(1), TimeSpan.FromHours(1));
        CheckSpan(errors, "SensorInterval", SensorInterval, TimeSpan.FromSeconds(1), TimeSpan.FromHours(1));
        CheckSpan(errors, "RequestTimeout", RequestTimeout, TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(10));
        CheckSpan(errors, "RetryBaseDelay", RetryBaseDelay, TimeSpan.FromMilliseconds(1), TimeSpan.FromMinutes(10));
        CheckSpan(errors, "RetryMaxDelay", RetryMaxDelay, RetryBaseDelay, TimeSpan.FromHours(1));
        CheckSpan(errors, "CompleteTimeout", CompleteTimeout, TimeSpan.Zero, TimeSpan.FromHours(1));
        if (MaxRetries is < 0 or > 100)
            errors.Add($"{S}:MaxRetries must be between 0 and 100; got {MaxRetries}");
        if (SpoolMaxBytes < 0)
            errors.Add($"{S}:SpoolMaxBytes must be 0 (no spool) or positive; got {SpoolMaxBytes}");
        if (!string.IsNullOrWhiteSpace(SpoolDirectory) && File.Exists(SpoolDirectory))
            errors.Add($"{S}:SpoolDirectory must be a directory; '{SpoolDirectory}' is a file");
        return errors;
    }

    private static void CheckSecretFile(List<string> errors, string name, string? path)
    {
        if (string.IsNullOrWhiteSpace(path)) return;
        try
        {
            if (!File.Exists(path))
                errors.Add($"{SectionName}:{name} must name a readable file; '{path}' does not exist");
            else if (Secret.FromFile(path).IsEmpty)
                errors.Add($"{SectionName}:{name} must hold the credential on its first line; '{path}' is empty");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            errors.Add($"{SectionName}:{name} must name a readable file; cannot read '{path}': {ex.Message}");
        }
    }

    private static void CheckSpan(List<string> errors, string name, TimeSpan value, TimeSpan min, TimeSpan max)
    {
        if (value < min || value > max)
            errors.Add($"{SectionName}:{name} must be between {min} and {max}; got {value}");
    }

    /// <summary>A URL for messages and logs: scheme, host, port and path; no user info, query or fragment.</summary>
    public static string Redact(string? url)
    {
        if (string.IsNullOrEmpty(url)) return "";
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri)) return url.Contains('@', StringComparison.Ordinal) ? "(hidden)" : url;
        return uri.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped);
    }
}
