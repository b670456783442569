using System.Net;
using System.Net.Http.Headers;
using TapSensor.Sinks.Influx.LineProtocol;

namespace TapSensor.Sinks.Influx.Writing;

/// <summary>
/// Sends gzipped line protocol to InfluxDB and classifies the answer (<see cref="WriteOutcome"/>). One
/// <see cref="HttpClient"/> over one <see cref="SocketsHttpHandler"/> for the life of the sink: connections are
/// pooled and recycled every few minutes so a DNS change of the server is picked up. Each request has its own
/// timeout, measured on the <see cref="TimeProvider"/>.
/// </summary>
internal sealed class InfluxHttpWriter : IDisposable
{
    private static readonly MediaTypeHeaderValue TextPlain = MediaTypeHeaderValue.Parse("text/plain; charset=utf-8");
    private static readonly ProductInfoHeaderValue UserAgent = new("tapsensor", "1");

    private readonly HttpClient _http;
    private readonly InfluxEndpoint _endpoint;
    private readonly TimeProvider _time;
    private readonly TimeSpan _timeout;

    /// <param name="handler">For tests: a scripted handler instead of the network.</param>
    public InfluxHttpWriter(InfluxEndpoint endpoint, TimeProvider time, TimeSpan timeout, HttpMessageHandler? handler = null)
    {
        _endpoint = endpoint;
        _time = time;
        _timeout = timeout;
        handler ??= new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1),
            ConnectTimeout = timeout,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            AllowAutoRedirect = false,
        };
        _http = new HttpClient(handler, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
    }

    public InfluxEndpoint Endpoint => _endpoint;

    /// <summary>
    /// POSTs <paramref name="gzipBody"/> (<paramref name="length"/> bytes from the start of the array) holding
    /// <paramref name="points"/> points. Network failures and timeouts come back as <see cref="WriteStatus.Transient"/>;
    /// only cancellation of <paramref name="cancel"/> throws.
    /// </summary>
    public async Task<WriteOutcome> WriteAsync(byte[] gzipBody, int length, int points, TimestampPrecision precision, CancellationToken cancel)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, _endpoint.WriteUri(precision));
        request.Headers.UserAgent.Add(UserAgent);
        if (_endpoint.Authorization is not null) request.Headers.Authorization = _endpoint.Authorization;
        var content = new ByteArrayContent(gzipBody, 0, length);
        content.Headers.ContentType = TextPlain;
        content.Headers.ContentEncoding.Add("gzip");
        request.Content = content;
        return await SendAsync(request, points, cancel).ConfigureAwait(false);
    }

    /// <summary>1.x: <c>CREATE DATABASE "name"</c> (idempotent on the server). Returns the outcome of the query.</summary>
    public async Task<WriteOutcome> CreateDatabaseAsync(string database, CancellationToken cancel)
    {
        string q = "CREATE DATABASE \"" + database.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
        using var request = new HttpRequestMessage(HttpMethod.Post, _endpoint.QueryUri)
        {
            Content = new FormUrlEncodedContent([new KeyValuePair<string, string>("q", q)]),
        };
        request.Headers.UserAgent.Add(UserAgent);
        if (_endpoint.Authorization is not null) request.Headers.Authorization = _endpoint.Authorization;
        return await SendAsync(request, 0, cancel).ConfigureAwait(false);
    }

    private async Task<WriteOutcome> SendAsync(HttpRequestMessage request, int points, CancellationToken cancel)
    {
        using var timeout = new CancellationTokenSource(_timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancel, timeout.Token);
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, linked.Token).ConfigureAwait(false);
            string body = response.IsSuccessStatusCode ? "" : await response.Content.ReadAsStringAsync(linked.Token).ConfigureAwait(false);
            return Classify(response.StatusCode, body, RetryAfterOf(response), points);
        }
        catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
        {
            return new WriteOutcome(WriteStatus.Transient, 0, 0, $"no answer within {_timeout.TotalSeconds:0.###} s", null);
        }
        catch (HttpRequestException ex)
        {
            return new WriteOutcome(WriteStatus.Transient, 0, 0, ex.InnerException?.Message ?? ex.Message, null);
        }
        catch (IOException ex)
        {
            return new WriteOutcome(WriteStatus.Transient, 0, 0, ex.Message, null);
        }
    }

    internal static WriteOutcome Classify(HttpStatusCode status, string body, TimeSpan? retryAfter, int points)
    {
        int code = (int)status;
        if (code is >= 200 and < 300) return WriteOutcome.Ok(code);
        string message = WriteErrors.MessageOf(body, out int? listed);
        if (message.Length == 0) message = $"HTTP {code} {status}";
        switch (code)
        {
            case 401 or 403:
                return new WriteOutcome(WriteStatus.ConfigurationError, code, 0, message, null);
            case 404 when message.Contains("database not found", StringComparison.OrdinalIgnoreCase):
                return new WriteOutcome(WriteStatus.DatabaseNotFound, code, 0, message, null);
            case 404:
                return new WriteOutcome(WriteStatus.ConfigurationError, code, 0, message, null);
            case 408 or 429:
                return new WriteOutcome(WriteStatus.Transient, code, 0, message, retryAfter);
            case 413:
                return new WriteOutcome(WriteStatus.TooLarge, code, 0, message, null);
            case >= 500 when message.Contains("retention policy not found", StringComparison.OrdinalIgnoreCase):
                // 1.x answers 500 for an unknown rp: retrying cannot help, the setting must change.
                return new WriteOutcome(WriteStatus.ConfigurationError, code, 0, message, null);
            case >= 500:
                return new WriteOutcome(WriteStatus.Transient, code, 0, message, retryAfter);
            default:
                return new WriteOutcome(WriteStatus.Rejected, code, WriteErrors.CountRejected(message, listed, points), message, null);
        }
    }

    private TimeSpan? RetryAfterOf(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        if (header is null) return null;
        if (header.Delta is { } delta) return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        if (header.Date is { } date)
        {
            var wait = date - _time.GetUtcNow();
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }
        return null;
    }

    public void Dispose() => _http.Dispose();
}
