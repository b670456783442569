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
    public SortedSet<string> Tls { get; } = new(StringComparer.Ordinal);
    public SortedSet<string> Quic { get; } = new(StringComparer.Ordinal);
    public SortedSet<string> Http { get; } = new(StringComparer.Ordinal);

    public static TsharkNames Read(string capturePath)
    {
        var names = new TsharkNames();
        foreach (var row in new TsharkOracle().Fields(capturePath, "tls.handshake.extensions_server_name or http.host",
                     "frame.protocols", "tls.handshake.extensions_server_name", "http.host"))
        {
            if (row.Length < 3 || row[0].Length == 0) continue;
            string[] layers = row[0][0].Split(':');
            if (layers.Count(l => l is "tcp" or "udp") != 1) continue;
            bool tcp = layers.Contains("tcp");
            bool quic = layers.Contains("quic");
            if (tcp || quic)
            {
                foreach (string sni in row[1].Where(v => v.Length > 0))
                    (tcp ? names.Tls : names.Quic).Add(sni);
            }
            if (tcp)
            {
                foreach (string host in row[2].Where(v => v.Length > 0))
                    names.Http.Add(host);
            }
        }
        return names;
    }
}
