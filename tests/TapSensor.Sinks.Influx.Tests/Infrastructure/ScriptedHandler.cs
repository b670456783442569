using System.IO.Compression;
using System.Net;
using System.Text;

namespace TapSensor.Sinks.Influx.Tests.Infrastructure;

/// <summary>
/// An HTTP handler that answers from a script instead of the network and records every request (its
/// decompressed body, headers and the fake clock's time). The script may throw an
/// <see cref="HttpRequestException"/> to play a refused connection.
/// </summary>
internal sealed class ScriptedHandler : HttpMessageHandler
{
    public sealed record Request(HttpMethod Method, Uri Uri, IReadOnlyDictionary<string, string> Headers, string Body, int GzipBytes, DateTimeOffset At)
    {
        public string Header(string name) => Headers.TryGetValue(name, out var v) ? v : "";
        public string[] Lines => Body.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    private readonly TimeProvider _time;
    private readonly Func<Request, int, HttpResponseMessage> _script;
    private readonly List<Request> _requests = [];
    private readonly SemaphoreSlim _arrived = new(0);

    /// <param name="script">Called with each request and its index (0, 1, ...); default: 204 to everything.</param>
    public ScriptedHandler(TimeProvider time, Func<Request, int, HttpResponseMessage>? script = null)
    {
        _time = time;
        _script = script ?? ((_, _) => Status(204));
    }

    public IReadOnlyList<Request> Requests
    {
        get
        {
            lock (_requests) return _requests.ToList();
        }
    }

    public int Count
    {
        get
        {
            lock (_requests) return _requests.Count;
        }
    }

    /// <summary>Waits (real time, bounded) until at least <paramref name="count"/> requests arrived.</summary>
    public async Task WaitForAsync(int count, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (Count < count)
        {
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero) throw new TimeoutException($"{Count} of {count} requests arrived");
            await _arrived.WaitAsync(left < TimeSpan.FromMilliseconds(200) ? left : TimeSpan.FromMilliseconds(200));
        }
    }

    /// <summary>True if a request number <paramref name="count"/> arrives within a short real-time wait.</summary>
    public async Task<bool> ArrivesSoonAsync(int count, TimeSpan wait)
    {
        var deadline = DateTime.UtcNow + wait;
        while (Count < count && DateTime.UtcNow < deadline) await _arrived.WaitAsync(TimeSpan.FromMilliseconds(10));
        return Count >= count;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        byte[] raw = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var h in request.Headers) headers[h.Key] = string.Join(",", h.Value);
        if (request.Content is not null)
            foreach (var h in request.Content.Headers) headers[h.Key] = string.Join(",", h.Value);
        bool gzip = headers.TryGetValue("Content-Encoding", out var enc) && enc == "gzip";
        string body = gzip ? Gunzip(raw) : Encoding.UTF8.GetString(raw);
        var r = new Request(request.Method, request.RequestUri!, headers, body, gzip ? raw.Length : 0, _time.GetUtcNow());
        int index;
        lock (_requests)
        {
            index = _requests.Count;
            _requests.Add(r);
        }
        try
        {
            return _script(r, index);
        }
        finally
        {
            _arrived.Release();
        }
    }

    public static string Gunzip(byte[] raw)
    {
        using var gz = new GZipStream(new MemoryStream(raw), CompressionMode.Decompress);
        using var reader = new StreamReader(gz, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    public static HttpResponseMessage Status(int code, string? body = null, TimeSpan? retryAfter = null)
    {
        var response = new HttpResponseMessage((HttpStatusCode)code);
        if (body is not null) response.Content = new StringContent(body, Encoding.UTF8, "application/json");
        if (retryAfter is { } ra) response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(ra);
        return response;
    }

    public static HttpResponseMessage Refused() =>
        throw new HttpRequestException("Connection refused (influx.test:8086)", new System.Net.Sockets.SocketException(111));
}
