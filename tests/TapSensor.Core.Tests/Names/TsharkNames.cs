using System.Diagnostics;
using System.Text;
using TapSensor.Testing.Tshark;

namespace TapSensor.Core.Tests.Names;

/// <summary>
/// The names tshark finds in a capture: <c>tls.handshake.extensions_server_name</c> on TCP (TLS) and in QUIC (the
/// Initials tshark decrypts report their SNI under the same field), and <c>http.host</c> on TCP:
/// <code>tshark -n -r FILE -Y "tls.handshake.extensions_server_name or http.host" -T fields
///        -e frame.protocols -e tls.handshake.extensions_server_name -e http.host</code>
/// Only what our parsers are for is kept: frames with one transport layer (the decoder does not open UDP
/// tunnels such as GTP-U, VXLAN or CAPWAP), HTTP over TCP (not SSDP's HTTP over UDP) and SNI over TCP or QUIC
/// (not DTLS).
/// </summary>
internal sealed class TsharkNames
{
    private const char Aggregator = '\u001f'; // several values of one field in a frame; never part of a name

    public SortedSet<string> Tls { get; } = new(StringComparer.Ordinal);
    public SortedSet<string> Quic { get; } = new(StringComparer.Ordinal);
    public SortedSet<string> Http { get; } = new(StringComparer.Ordinal);

    public static TsharkNames Read(string capturePath)
    {
        string tshark = TsharkOracle.FindTshark() ?? throw new FileNotFoundException(TsharkOracle.NotFoundMessage);
        var start = new ProcessStartInfo(tshark)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
        };
        foreach (string a in new[]
                 {
                     "-n", "-r", capturePath, "-Y", "tls.handshake.extensions_server_name or http.host", "-T", "fields",
                     "-E", "separator=/t", "-E", "occurrence=a", "-E", $"aggregator={Aggregator}",
                     "-e", "frame.protocols", "-e", "tls.handshake.extensions_server_name", "-e", "http.host",
                 })
            start.ArgumentList.Add(a);

        var names = new TsharkNames();
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {tshark}");
        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        for (string? line = process.StandardOutput.ReadLine(); line is not null; line = process.StandardOutput.ReadLine())
        {
            string[] f = line.Split('\t');
            if (f.Length < 3) continue;
            string[] layers = f[0].Split(':');
            if (layers.Count(l => l is "tcp" or "udp") != 1) continue;
            bool tcp = layers.Contains("tcp");
            bool quic = layers.Contains("quic");
            if (tcp || quic)
            {
                foreach (string sni in f[1].Split(Aggregator, StringSplitOptions.RemoveEmptyEntries))
                    (tcp ? names.Tls : names.Quic).Add(sni);
            }
            if (tcp)
            {
                foreach (string host in f[2].Split(Aggregator, StringSplitOptions.RemoveEmptyEntries))
                    names.Http.Add(host);
            }
        }
        if (!process.WaitForExit(120_000))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"tshark did not finish {capturePath} in two minutes");
        }
        return names;
    }
}
