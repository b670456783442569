namespace TapSensor.Core.Flows;

/// <summary>How the remote end of a flow got its name.</summary>
public enum RemoteNameSource : byte
{
    None,
    /// <summary>A DNS answer the local device received for that address.</summary>
    Dns,
    /// <summary>The server_name of the TLS ClientHello on this flow.</summary>
    TlsSni,
    /// <summary>The server_name of the ClientHello inside this flow's QUIC Initial.</summary>
    QuicSni,
    /// <summary>The Host header of the first HTTP request on this flow.</summary>
    HttpHost,
}

/// <summary>The application protocol a worker recognised on a flow from its payload.</summary>
public enum AppProtocol : byte
{
    None,
    Tls,
    Http,
    Quic,
    Dns,
    Mdns,
    Dhcp,
    Dhcpv6,
    Netbios,
}

public static class RemoteNameSources
{
    public static string? Name(RemoteNameSource source) => source switch
    {
        RemoteNameSource.Dns => "dns",
        RemoteNameSource.TlsSni => "tls_sni",
        RemoteNameSource.QuicSni => "quic_sni",
        RemoteNameSource.HttpHost => "http_host",
        _ => null,
    };
}
