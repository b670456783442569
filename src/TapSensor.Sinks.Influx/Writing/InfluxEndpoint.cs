using System.Net.Http.Headers;
using System.Text;
using TapSensor.Sinks.Influx.LineProtocol;

namespace TapSensor.Sinks.Influx.Writing;

/// <summary>
/// Where and how to write: the 1.x <c>/write?db=&amp;rp=&amp;precision=</c> with optional basic authentication, or
/// <c>/api/v2/write?org=&amp;bucket=&amp;precision=</c> with <c>Authorization: Token …</c> (InfluxDB 2.x, and 3.x
/// through its v2 compatibility). A path in the base URL (a reverse proxy's prefix) is kept.
/// </summary>
internal sealed class InfluxEndpoint
{
    private readonly string _base;
    private readonly string _target;
    private readonly Uri[] _writeUris = new Uri[4];

    private InfluxEndpoint(string baseUrl, bool v2, string target, string? database, AuthenticationHeaderValue? authorization, string description)
    {
        _base = baseUrl;
        _target = target;
        IsV2 = v2;
        Database = database;
        Authorization = authorization;
        Description = description;
    }

    public bool IsV2 { get; }
    public string? Database { get; }
    public AuthenticationHeaderValue? Authorization { get; }

    /// <summary>For logs: URL without credentials, API and target. Never the token or password.</summary>
    public string Description { get; }

    public static InfluxEndpoint Create(InfluxOptions o)
    {
        string baseUrl = o.Url!.Trim().TrimEnd('/');
        string redacted = InfluxOptions.Redact(baseUrl);
        if (o.UsesV2)
        {
            var token = o.Token is { IsEmpty: false } t ? t : Secret.FromFile(o.TokenFile!);
            string target = $"/api/v2/write?org={Uri.EscapeDataString(o.Org!)}&bucket={Uri.EscapeDataString(o.Bucket!)}";
            return new InfluxEndpoint(baseUrl, true, target, null, new AuthenticationHeaderValue("Token", token.Reveal()),
                $"{redacted} (v2 API, org '{o.Org}', bucket '{o.Bucket}')");
        }

        var sb = new StringBuilder("/write?db=").Append(Uri.EscapeDataString(o.Database!));
        if (!string.IsNullOrWhiteSpace(o.RetentionPolicy)) sb.Append("&rp=").Append(Uri.EscapeDataString(o.RetentionPolicy));
        AuthenticationHeaderValue? auth = null;
        if (!string.IsNullOrWhiteSpace(o.Username))
        {
            var password = o.Password is { IsEmpty: false } p ? p : Secret.FromFile(o.PasswordFile!);
            auth = new AuthenticationHeaderValue("Basic",
                Convert.ToBase64String(Encoding.UTF8.GetBytes(o.Username + ":" + password.Reveal())));
        }
        string rp = string.IsNullOrWhiteSpace(o.RetentionPolicy) ? "" : $", retention policy '{o.RetentionPolicy}'";
        return new InfluxEndpoint(baseUrl, false, sb.ToString(), o.Database, auth,
            $"{redacted} (1.x API, database '{o.Database}'{rp}{(auth is null ? "" : $", user '{o.Username}'")})");
    }

    public Uri WriteUri(TimestampPrecision precision)
    {
        int i = (int)precision;
        return _writeUris[i] ??= new Uri(_base + _target + "&precision=" +
            (IsV2 ? TimestampPrecisions.V2Name(precision) : TimestampPrecisions.V1Name(precision)));
    }

    /// <summary>1.x <c>/query</c> endpoint (CREATE DATABASE).</summary>
    public Uri QueryUri => new(_base + "/query");
}
