using System.Buffers.Binary;
using System.Net;

namespace TapSensor.Geo.Sources;

/// <summary>One address being resolved: the flow-key form, and an <see cref="IPAddress"/> made only if a MaxMind DB needs it.</summary>
internal struct AddressQuery(ulong hi, ulong lo, bool isV4)
{
    public readonly ulong Hi = hi;
    public readonly ulong Lo = lo;
    public readonly bool IsV4 = isV4;
    private IPAddress? _address;

    public IPAddress Address => _address ??= IsV4
        ? new IPAddress(BinaryPrimitives.ReverseEndianness((uint)Lo)) // IPAddress(long) takes network byte order in memory
        : CreateV6(Hi, Lo);

    private static IPAddress CreateV6(ulong hi, ulong lo)
    {
        Span<byte> b = stackalloc byte[16];
        BinaryPrimitives.WriteUInt64BigEndian(b, hi);
        BinaryPrimitives.WriteUInt64BigEndian(b[8..], lo);
        return new IPAddress(b);
    }
}

/// <summary>One loaded database. Implementations are thread-safe; a failed read throws and is counted by the caller.</summary>
internal abstract class GeoSource(string path, GeoDatabaseKind kind, string databaseType) : IDisposable
{
    public string Path { get; } = path;
    public GeoDatabaseKind Kind { get; } = kind;
    /// <summary>MaxMind DB metadata <c>database_type</c>, or a description for the CSV table.</summary>
    public string DatabaseType { get; } = databaseType;

    /// <summary>Whether this database holds addresses of the family at all (DB-IP ships one file per family).</summary>
    public virtual bool Answers(bool isV4) => true;

    public virtual GeoPlace? FindPlace(ref AddressQuery query) => null;

    public virtual GeoProvider? FindProvider(ref AddressQuery query) => null;

    public virtual void Dispose()
    {
    }

    internal static string? NullIfEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;
}
