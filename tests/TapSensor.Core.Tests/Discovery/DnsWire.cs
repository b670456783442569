using System.Buffers.Binary;
using System.Net;
using System.Text;

namespace TapSensor.Core.Tests.Discovery;

/// <summary>Builds DNS messages byte by byte for the tests, including broken ones.</summary>
internal sealed class DnsWire
{
    private readonly List<byte> _bytes = [];

    public int Position => _bytes.Count;

    /// <summary>
    /// A resolver's answer through a CDN: www.Example.com → CNAME (TTL 600) → CNAME (TTL 60) → two A records
    /// (TTL 20 and 300), so the addresses' TTLs are 20 and 60 along the chain.
    /// </summary>
    public static byte[] CnameChain() => Response(answers: 4)
        .Question("www.Example.com")
        .Cname("www.example.com", "www.example.com.cdn.net", ttl: 600)
        .Cname("www.example.com.cdn.net", "edge-7.cdn.net", ttl: 60)
        .A("edge-7.cdn.net", "203.0.113.7", ttl: 20)
        .A("edge-7.cdn.net", "203.0.113.8", ttl: 300)
        .ToArray();

    public static DnsWire Response(ushort id = 0x1234, int questions = 1, int answers = 0, int authority = 0, int additional = 0, ushort flags = 0x8180)
    {
        var w = new DnsWire();
        w.U16(id).U16(flags).U16((ushort)questions).U16((ushort)answers).U16((ushort)authority).U16((ushort)additional);
        return w;
    }

    public DnsWire U16(ushort v)
    {
        _bytes.Add((byte)(v >> 8));
        _bytes.Add((byte)v);
        return this;
    }

    public DnsWire U32(uint v) => U16((ushort)(v >> 16)).U16((ushort)v);

    public DnsWire Bytes(params byte[] b)
    {
        _bytes.AddRange(b);
        return this;
    }

    /// <summary>An uncompressed name ending with the root label.</summary>
    public DnsWire Name(string name)
    {
        foreach (var label in name.Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            _bytes.Add((byte)label.Length);
            _bytes.AddRange(Encoding.ASCII.GetBytes(label));
        }
        _bytes.Add(0);
        return this;
    }

    /// <summary>Labels, then a compression pointer to <paramref name="target"/>.</summary>
    public DnsWire NameThenPointer(string labels, int target)
    {
        foreach (var label in labels.Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            _bytes.Add((byte)label.Length);
            _bytes.AddRange(Encoding.ASCII.GetBytes(label));
        }
        return Pointer(target);
    }

    public DnsWire Pointer(int target) => U16((ushort)(0xC000 | target));

    public DnsWire Question(string name, ushort type = 1) => Name(name).U16(type).U16(1);

    /// <summary>Type, class IN, TTL and the RDATA with its length (the owner name is written before).</summary>
    public DnsWire Rr(ushort type, uint ttl, byte[] rdata) => U16(type).U16(1).U32(ttl).U16((ushort)rdata.Length).Bytes(rdata);

    public DnsWire A(string owner, string address, uint ttl = 300) => Name(owner).Rr(1, ttl, IPAddress.Parse(address).GetAddressBytes());

    public DnsWire Aaaa(string owner, string address, uint ttl = 300) => Name(owner).Rr(28, ttl, IPAddress.Parse(address).GetAddressBytes());

    public DnsWire Cname(string owner, string target, uint ttl = 300)
    {
        var rdata = new DnsWire().Name(target).ToArray();
        return Name(owner).Rr(5, ttl, rdata);
    }

    public byte[] ToArray() => [.. _bytes];

    public static ushort ReadU16(byte[] b, int at) => BinaryPrimitives.ReadUInt16BigEndian(b.AsSpan(at));
}
