using System.Text;
using TapSensor.Core.Names;
using TapSensor.Sample.Payloads;

namespace TapSensor.Core.Tests.Names;

public sealed class HttpRequestHostTests
{
    private static NameParse Parse(string request, out string host)
    {
        NameParse status = HttpRequestHost.TryGetHost(Encoding.Latin1.GetBytes(request), out ReadOnlySpan<byte> found);
        host = Encoding.Latin1.GetString(found);
        return status;
    }

    [Theory]
    [InlineData("GET / HTTP/1.1\r\nHost: example.com\r\n\r\n", "example.com")]
    [InlineData("GET /index.html HTTP/1.1\r\nUser-Agent: curl/8\r\nHost: www.example.org\r\nAccept: */*\r\n\r\n", "www.example.org")]
    [InlineData("POST /api HTTP/1.1\r\nHost: api.example:8080\r\nContent-Length: 2\r\n\r\n{}", "api.example")]
    [InlineData("HEAD / HTTP/1.0\r\nhost: lower.example\r\n\r\n", "lower.example")]
    [InlineData("PUT /x HTTP/1.1\r\nHOST:\tTAB.example \t\r\n\r\n", "TAB.example")]
    [InlineData("DELETE /x HTTP/1.1\r\nHost: [::1]:8080\r\n\r\n", "::1")]
    [InlineData("OPTIONS * HTTP/1.1\r\nHost: [2001:db8::7]\r\n\r\n", "2001:db8::7")]
    [InlineData("PATCH /x HTTP/1.1\r\nHost: 192.0.2.1:81\r\n\r\n", "192.0.2.1")]
    [InlineData("TRACE / HTTP/1.1\r\nHost: fe80::1\r\n\r\n", "fe80::1")] // unbracketed IPv6 stays whole
    [InlineData("GET / HTTP/1.1\nHost: bare-lf.example\n\n", "bare-lf.example")]
    [InlineData("GET        /padded HTTP/1.1\r\nHost: runs.example\r\n\r\n", "runs.example")] // RFC 9112 §3 whitespace runs
    [InlineData("GET\t/ \tHTTP/1.1 \r\nHost: tabs.example\r\n\r\n", "tabs.example")]
    [InlineData("GET /uri with spaces HTTP/1.1\r\nHost: spaces.example:8000\r\n\r\n", "spaces.example")]
    public void Host_is_found_without_its_port(string request, string expected)
    {
        Assert.Equal(NameParse.Found, Parse(request, out string host));
        Assert.Equal(expected, host);
    }

    [Fact]
    public void The_host_is_found_before_the_header_section_ends()
    {
        Assert.Equal(NameParse.Found, Parse("GET / HTTP/1.1\r\nHost: early.example\r\nUser-Ag", out string host));
        Assert.Equal("early.example", host);
    }

    [Theory]
    [InlineData("GET / HTTP/1.1\r\nUser-Agent: x\r\n\r\n")]
    [InlineData("GET / HTTP/1.0\r\n\r\n")]
    [InlineData("GET /path HTTP/1.1\r\nHost:\r\n\r\n")]
    public void Request_without_host_is_not_found(string request)
    {
        Assert.Equal(NameParse.NotFound, Parse(request, out _));
    }

    [Fact]
    public void A_continuation_line_is_not_read_as_a_header()
    {
        string request = "GET / HTTP/1.1\r\nX-Long: part one\r\n Host: folded.example\r\nHost: real.example\r\n\r\n";

        Assert.Equal(NameParse.Found, Parse(request, out string host));
        Assert.Equal("real.example", host);
    }

    [Fact]
    public void A_host_value_on_a_continuation_line_is_found()
    {
        Assert.Equal(NameParse.Found, Parse("GET / HTTP/1.1\r\nHost:\r\n   folded.example\r\n\r\n", out string host));
        Assert.Equal("folded.example", host);
    }

    [Theory]
    [InlineData("G")]
    [InlineData("OPTI")]
    [InlineData("GET ")]
    [InlineData("GET /some/path?q=1")]
    [InlineData("GET / HTT")]
    [InlineData("GET / XTTP")]                               // only a complete line can be refused, bar control bytes
    [InlineData("GET /with space")]
    [InlineData("GET / HTTP/1.1")]
    [InlineData("GET / HTTP/1.1\r")]
    [InlineData("GET / HTTP/1.1\r\n")]
    [InlineData("GET / HTTP/1.1\r\nUser-Agent: x\r\n")]
    [InlineData("GET / HTTP/1.1\r\nHost: partial.exa")]
    [InlineData("GET / HTTP/1.1\r\nHost:\r\n")]
    public void Incomplete_request_without_a_host_needs_more(string request)
    {
        Assert.Equal(NameParse.NeedMore, Parse(request, out _));
    }

    [Fact]
    public void Every_prefix_needs_more_until_the_host_line_ends()
    {
        string request = "GET /a/b?c=d HTTP/1.1\r\nUser-Agent: Mozilla/5.0\r\nAccept: */*\r\nHost: prefix.example:8443\r\nConnection: close\r\n\r\n";
        int hostLineEnd = request.IndexOf("8443\r\n", StringComparison.Ordinal) + 5;

        for (int cut = 0; cut <= hostLineEnd; cut++)
            Assert.True(NameParse.NeedMore == Parse(request[..cut], out _), $"cut at {cut}");
        for (int cut = hostLineEnd + 1; cut <= request.Length; cut++)
        {
            Assert.True(NameParse.Found == Parse(request[..cut], out string host), $"cut at {cut}");
            Assert.Equal("prefix.example", host);
        }
    }

    [Theory]
    [InlineData("HTTP/1.1 200 OK\r\n\r\n")]
    [InlineData("SSH-2.0-OpenSSH_9.6\r\n")]
    [InlineData("get / HTTP/1.1\r\nHost: a\r\n\r\n")]        // methods are case-sensitive (RFC 9110 §9.1)
    [InlineData("GETX / HTTP/1.1\r\n")]
    [InlineData("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n")]          // HTTP/2 connection preface
    [InlineData("GET / HTTP/2.0\r\nHost: a\r\n\r\n")]
    [InlineData("GET /\r\n")]                                 // HTTP/0.9
    [InlineData("GET /\u0001 HTTP/1.1\r\n")]
    [InlineData("GET HTTP/1.1\r\nHost: a\r\n\r\n")]                 // no target
    [InlineData("GET / XTTP/1.1\r\n")]
    [InlineData("\u0016\u0003\u0001\u0002\u0000\u0001")]
    public void Bytes_that_are_not_an_http_1_request_are_not_applicable(string request)
    {
        Assert.Equal(NameParse.NotApplicable, Parse(request, out _));
    }

    [Theory]
    [InlineData("CONNECT proxy-target.example:443 HTTP/1.1\r\nProxy-Authorization: x\r\n\r\n", "proxy-target.example")]
    [InlineData("CONNECT [2001:db8::1]:443 HTTP/1.1\r\n\r\n", "2001:db8::1")]
    [InlineData("CONNECT a.example:443 HTTP/1.1\r\nHost: header.example:443\r\n\r\n", "header.example")]
    [InlineData("GET http://user:pw@absolute.example:8080/x?y HTTP/1.0\r\n\r\n", "absolute.example")]
    [InlineData("GET http://absolute.example HTTP/1.1\r\n\r\n", "absolute.example")]
    public void Without_host_the_target_authority_of_connect_and_absolute_form_is_used(string request, string expected)
    {
        Assert.Equal(NameParse.Found, Parse(request, out string host));
        Assert.Equal(expected, host);
    }

    [Theory]
    [InlineData("GET / HTTP/1.1\r\nNo colon here\r\n\r\n")]
    [InlineData("GET / HTTP/1.1\r\nHost : spaced.example\r\n\r\n")]   // RFC 9112 §5.1: no whitespace before the colon
    [InlineData("GET / HTTP/1.1\r\n: empty-name\r\n\r\n")]
    [InlineData("GET / HTTP/1.1\r\nHost: [::1\r\n\r\n")]
    [InlineData("GET / HTTP/1.1\r\nHost: []:80\r\n\r\n")]
    [InlineData("GET / HTTP/1.1\r\nHost: [::1]x\r\n\r\n")]
    [InlineData("GET / HTTP/1.1\r\nHost: :80\r\n\r\n")]
    public void Broken_header_fields_are_malformed(string request)
    {
        Assert.Equal(NameParse.Malformed, Parse(request, out _));
    }

    [Fact]
    public void Nothing_past_8_KiB_is_read()
    {
        string request = "GET / HTTP/1.1\r\nCookie: " + new string('c', HttpRequestHost.MaxInspected) + "\r\nHost: late.example\r\n\r\n";

        Assert.Equal(NameParse.NotFound, Parse(request, out _));
        Assert.Equal(NameParse.NotFound, Parse("GET /" + new string('p', HttpRequestHost.MaxInspected), out _));
    }

    [Fact]
    public void Header_lines_past_the_cap_are_not_read()
    {
        var request = new StringBuilder("GET / HTTP/1.1\r\n");
        for (int i = 0; i < HttpRequestHost.MaxHeaderLines; i++) request.Append("A:\r\n");
        request.Append("Host: late.example\r\n\r\n");

        Assert.Equal(NameParse.NotFound, Parse(request.ToString(), out _));
    }

    [Fact]
    public void The_sample_generators_request_gives_its_host()
    {
        byte[] request = new byte[512];
        int length = HttpMessages.WriteRequest(request, "/generate_204", "connectivitycheck.example", "Dalvik/2.1.0");

        Assert.Equal(NameParse.Found, HttpRequestHost.TryGetHost(request.AsSpan(0, length), out ReadOnlySpan<byte> host));
        Assert.Equal("connectivitycheck.example", Encoding.ASCII.GetString(host));
    }
}
