namespace TapSensor.Core.Names;

/// <summary>
/// Per-connection state of <see cref="QuicInitialParser"/>: the client's CRYPTO stream at the Initial level, the
/// Destination Connection ID its Initial keys come from, and the largest packet number opened. The stream buffer
/// (<see cref="Capacity"/> bytes) is allocated only when a ClientHello spans datagrams; <see cref="Reset"/> keeps
/// it, so callers can pool assemblies. Not thread-safe: one flow, one worker.
/// </summary>
public sealed class QuicCryptoAssembly
{
    /// <summary>
    /// CRYPTO bytes kept per connection; data past it is dropped. The ClientHello must fit: post-quantum key shares
    /// make browsers' hellos about 1.8 KiB, so 16 KiB leaves room (Suricata allows 64 KiB, rust/src/quic/quic.rs).
    /// </summary>
    public const int Capacity = 16 * 1024;

    private readonly byte[] _originalDestinationId = new byte[QuicInitialKeys.MaxConnectionIdLength];
    internal CryptoRanges Ranges;

    public QuicCryptoAssembly() => Reset();

    /// <summary>The CRYPTO stream buffer, once a ClientHello has spanned datagrams; null until then.</summary>
    internal byte[]? Buffer { get; private set; }

    /// <summary>The QUIC version of the connection's first Initial, 0 before one was opened.</summary>
    public uint Version { get; private set; }

    /// <summary>Length of the Destination Connection ID the keys derive from; -1 before the first Initial.</summary>
    internal int OriginalDestinationIdLength { get; private set; }

    /// <summary>The Destination Connection ID of the client's first Initial (RFC 9001 §5.2), empty before it.</summary>
    public ReadOnlySpan<byte> OriginalDestinationId =>
        OriginalDestinationIdLength < 0 ? default : _originalDestinationId.AsSpan(0, OriginalDestinationIdLength);

    /// <summary>Largest packet number opened so far (RFC 9000 §A.3 decodes the next one against it); -1 before any.</summary>
    internal long LargestPacketNumber { get; set; }

    /// <summary>Bytes of the CRYPTO stream present from offset 0.</summary>
    public int ContiguousLength => Ranges.ContiguousLength;

    /// <summary>Forgets the connection and keeps the buffer, so the assembly can serve another flow.</summary>
    public void Reset()
    {
        Ranges.Clear();
        Version = 0;
        OriginalDestinationIdLength = -1;
        LargestPacketNumber = -1;
    }

    /// <summary>Starts (or restarts, after Retry or version negotiation) the connection on these keys.</summary>
    internal void Begin(uint version, ReadOnlySpan<byte> destinationId)
    {
        Ranges.Clear();
        LargestPacketNumber = -1;
        Version = version;
        SetDestinationId(destinationId);
    }

    /// <summary>Moves the keys to another DCID without dropping the CRYPTO data gathered so far.</summary>
    internal void SetDestinationId(ReadOnlySpan<byte> destinationId)
    {
        destinationId.CopyTo(_originalDestinationId);
        OriginalDestinationIdLength = destinationId.Length;
    }

    /// <summary>The buffer, allocated on first use.</summary>
    internal byte[] EnsureBuffer() => Buffer ??= new byte[Capacity];
}
