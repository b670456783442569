using System.Collections.Specialized;
using System.IO.Compression;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace TapSensor.Sinks.Influx.Tests.Infrastructure;

/// <summary>
/// A local HTTP server on 127.0.0.1 standing in for InfluxDB 2.x/3.x (none is available here): records every
/// request (path, query, headers, gunzipped body) and answers 204.
/// </summary>
internal sealed class V2Stub : IDisposable
{
    public sealed record Captured(string Method, string Path, NameValueCollection Query, Dictionary<string, string> Headers, string Body)
    {
        public string[] Lines => Body.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    private readonly HttpListener _listener = new();
    private readonly List<Captured> _requests = [];
    private readonly Task _loop;

    public V2Stub()
    {
        Port = FreePort();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    public int Port { get; }
    public string Url => $"http://127.0.0.1:{Port}";

    public IReadOnlyList<Captured> Requests
    {
        get
        {
            lock (_requests) return _requests.ToList();
        }
    }

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            var req = context.Request;
            using var buffer = new MemoryStream();
            await req.InputStream.CopyToAsync(buffer);
            var headers = req.Headers.AllKeys.Where(k => k is not null).ToDictionary(k => k!, k => req.Headers[k]!, StringComparer.OrdinalIgnoreCase);
            byte[] raw = buffer.ToArray();
            string body = headers.TryGetValue("Content-Encoding", out var enc) && enc == "gzip"
                ? new StreamReader(new GZipStream(new MemoryStream(raw), CompressionMode.Decompress), Encoding.UTF8).ReadToEnd()
                : Encoding.UTF8.GetString(raw);
            lock (_requests) _requests.Add(new Captured(req.HttpMethod, req.Url!.AbsolutePath, req.QueryString, headers, body));
            context.Response.StatusCode = 204;
            context.Response.Close();
        }
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        _loop.Wait(TimeSpan.FromSeconds(5));
    }
}
