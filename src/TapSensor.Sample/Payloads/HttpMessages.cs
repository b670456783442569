namespace TapSensor.Sample.Payloads;

/// <summary>What an HTTP service answers with.</summary>
internal enum HttpBody : byte
{
    /// <summary>204 No Content, as connectivity checks answer.</summary>
    NoContent,
    /// <summary>A tiny fixed HTML page, as captive-portal checks answer.</summary>
    SuccessPage,
    /// <summary>application/octet-stream of the planned size: package indexes, updates, game content.</summary>
    Binary,
}

/// <summary>HTTP/1.1 request and response heads (RFC 9112 §3, §4; Host is mandatory, RFC 9112 §3.2).</summary>
internal static class HttpMessages
{
    private const string SuccessHtml = "<HTML><HEAD><TITLE>Success</TITLE></HEAD><BODY>Success</BODY></HTML>";

    public static int WriteRequest(Span<byte> p, string path, string host, string userAgent)
    {
        int o = Ascii.Write(p, "GET ");
        o += Ascii.Write(p[o..], path);
        o += Ascii.Write(p[o..], " HTTP/1.1\r\nHost: ");
        o += Ascii.Write(p[o..], host);
        o += Ascii.Write(p[o..], "\r\nUser-Agent: ");
        o += Ascii.Write(p[o..], userAgent);
        o += Ascii.Write(p[o..], "\r\nAccept: */*\r\nConnection: keep-alive\r\n\r\n");
        return o;
    }

    /// <summary>Body length the response will carry for a planned size.</summary>
    public static long BodyLength(HttpBody body, long planned) => body switch
    {
        HttpBody.NoContent => 0,
        HttpBody.SuccessPage => SuccessHtml.Length,
        _ => Math.Max(1, planned),
    };

    /// <summary>Writes the status line and header fields; the body (Content-Length bytes) follows.</summary>
    public static int WriteResponseHead(Span<byte> p, HttpBody body, long contentLength)
    {
        int o;
        if (body == HttpBody.NoContent)
        {
            o = Ascii.Write(p, "HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n");
        }
        else
        {
            o = Ascii.Write(p, "HTTP/1.1 200 OK\r\nContent-Type: ");
            o += Ascii.Write(p[o..], body == HttpBody.SuccessPage ? "text/html" : "application/octet-stream");
            o += Ascii.Write(p[o..], "\r\nContent-Length: ");
            o += Ascii.Write(p[o..], contentLength);
            o += Ascii.Write(p[o..], "\r\n");
        }
        o += Ascii.Write(p[o..], "Cache-Control: max-age=0\r\nConnection: keep-alive\r\n\r\n");
        return o;
    }

    /// <summary>Writes the success page body; it is short enough to follow its head in the first segment.</summary>
    public static int WriteSuccessPage(Span<byte> p) => Ascii.Write(p, SuccessHtml);
}
