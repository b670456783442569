namespace TapSensor.Core.Names;

/// <summary>
/// Outcome of a destination-name parser run on the first payload bytes of a flow (TLS ClientHello SNI, HTTP Host,
/// QUIC Initial SNI). Every parser returns one of these and never throws on any input.
/// </summary>
public enum NameParse : byte
{
    /// <summary>The bytes are not this protocol (not a TLS handshake record, not an HTTP/1.x request, not a QUIC Initial of a supported version).</summary>
    NotApplicable,
    /// <summary>The bytes look like the protocol, but the message continues past them: append more and call again.</summary>
    NeedMore,
    /// <summary>The name was returned.</summary>
    Found,
    /// <summary>The whole message was read and carries no name (a ClientHello without server_name, a request without Host).</summary>
    NotFound,
    /// <summary>The message breaks its own rules: a length past its container, a forbidden value, a failed decryption.</summary>
    Malformed,
}
