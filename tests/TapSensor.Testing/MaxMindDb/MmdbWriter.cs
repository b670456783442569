using System.Buffers.Binary;
using System.Collections;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace TapSensor.Testing.MaxMindDb;

/// <summary>
/// A small MaxMind DB writer for test fixtures, after the public "MaxMind DB File Format Specification" v2.0:
/// a binary search tree over address bits whose records are 24, 28 or 32 bits, then 16 zero bytes, then the
/// data section, then the marker <c>\xAB\xCD\xEFMaxMind.com</c> and the metadata map. Fixtures are written at test
/// time from readable values, so no binary blob of unknown origin is committed.
/// <para>
/// Values: <see cref="string"/> (utf8_string), <see cref="double"/>, <see cref="float"/>, <see cref="ushort"/>
/// (uint16), <see cref="uint"/> (uint32), <see cref="int"/> (int32), <see cref="ulong"/> (uint64),
/// <see cref="bool"/>, <c>byte[]</c> (bytes), <c>IDictionary&lt;string, object&gt;</c> (map) and other
/// <see cref="IEnumerable"/> (array). Strings already written are referred to by pointers, as real databases do,
/// and a value object inserted for several networks is written once.
/// </para>
/// </summary>
public sealed class MmdbWriter
{
    private sealed class Node
    {
        public Node? Zero;
        public Node? One;
        public object? Data;        // set on a leaf: the value every address below resolves to
        public bool BrokenPointer;  // a leaf whose record points past the end of the data section
        public bool IsLeaf => Data is not null || BrokenPointer;
    }

    private readonly Node _root = new();
    private readonly string _databaseType;
    private readonly int _ipVersion;
    private readonly int _recordSize;
    private readonly string[] _languages;
    private readonly ulong _buildEpoch;
    private readonly Dictionary<string, string> _description;

    public MmdbWriter(string databaseType, int ipVersion = 6, int recordSize = 28, DateTimeOffset? built = null,
        IEnumerable<string>? languages = null, IDictionary<string, string>? description = null)
    {
        if (ipVersion is not (4 or 6)) throw new ArgumentOutOfRangeException(nameof(ipVersion));
        if (recordSize is not (24 or 28 or 32)) throw new ArgumentOutOfRangeException(nameof(recordSize));
        _databaseType = databaseType;
        _ipVersion = ipVersion;
        _recordSize = recordSize;
        _languages = languages?.ToArray() ?? [];
        _buildEpoch = (ulong)(built ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds();
        _description = description is null ? new() { ["en"] = "TapSensor test fixture" } : new(description);
    }

    /// <summary>Maps a network ("8.8.8.0/24", "2001:4860::/32", or one address) to a value. Insert wider networks first.</summary>
    public MmdbWriter Insert(string network, object value)
    {
        ArgumentNullException.ThrowIfNull(value);
        Leaf(network).Data = value;
        return this;
    }

    /// <summary>Maps a network to a record that points past the data section: a damaged file that opens but fails lookups.</summary>
    public MmdbWriter InsertBrokenPointer(string network)
    {
        Leaf(network).BrokenPointer = true;
        return this;
    }

    private Node Leaf(string network)
    {
        var (bits, length) = Bits(network);
        var node = _root;
        for (int depth = 0; depth < length; depth++)
        {
            if (node.IsLeaf)
            {
                // A narrower network inside a wider one: push the wider value one level down on both sides.
                node.Zero = new Node { Data = node.Data, BrokenPointer = node.BrokenPointer };
                node.One = new Node { Data = node.Data, BrokenPointer = node.BrokenPointer };
                node.Data = null;
                node.BrokenPointer = false;
            }
            bool one = (bits[depth / 8] & (0x80 >> (depth % 8))) != 0;
            ref Node? next = ref one ? ref node.One : ref node.Zero;
            next ??= new Node();
            node = next;
        }
        node.Zero = node.One = null;
        return node;
    }

    /// <summary>The network's address bits as the tree sees them (IPv4 in an IPv6 tree lives under ::/96) and its prefix length.</summary>
    private (byte[] Bits, int Length) Bits(string network)
    {
        int slash = network.IndexOf('/');
        var address = IPAddress.Parse(slash < 0 ? network : network[..slash]);
        bool v4 = address.AddressFamily == AddressFamily.InterNetwork;
        int prefix = slash < 0 ? (v4 ? 32 : 128) : int.Parse(network[(slash + 1)..], System.Globalization.CultureInfo.InvariantCulture);
        if (_ipVersion == 4)
        {
            if (!v4) throw new ArgumentException($"an IPv4 database cannot hold {network}");
            return (address.GetAddressBytes(), prefix);
        }
        if (!v4) return (address.GetAddressBytes(), prefix);
        var bytes = new byte[16];
        address.GetAddressBytes().CopyTo(bytes, 12);
        return (bytes, 96 + prefix);
    }

    public void WriteTo(string path) => File.WriteAllBytes(path, Build());

    public byte[] Build()
    {
        if (_root.IsLeaf) throw new InvalidOperationException("insert at least one network narrower than the whole address space");

        // Internal nodes numbered breadth-first: the root is node 0, as readers expect.
        var nodes = new List<Node>();
        var index = new Dictionary<Node, int>(ReferenceEqualityComparer.Instance);
        var queue = new Queue<Node>();
        queue.Enqueue(_root);
        while (queue.Count > 0)
        {
            var n = queue.Dequeue();
            index[n] = nodes.Count;
            nodes.Add(n);
            foreach (var child in new[] { n.Zero, n.One })
                if (child is { IsLeaf: false } && (child.Zero is not null || child.One is not null)) queue.Enqueue(child);
        }

        var data = new DataEncoder(usePointers: true);
        long nodeCount = nodes.Count;
        var records = new long[nodes.Count * 2];
        for (int i = 0; i < nodes.Count; i++)
        {
            records[2 * i] = Record(nodes[i].Zero);
            records[2 * i + 1] = Record(nodes[i].One);
        }
        long Record(Node? child)
        {
            if (child is null) return nodeCount;                             // no data
            if (child.BrokenPointer) return long.MinValue;                   // patched below, once the data size is known
            if (child.Data is not null) return nodeCount + 16 + data.Offset(child.Data); // data pointer (spec: minus node_count, minus 16)
            return index.TryGetValue(child, out int k) ? k : nodeCount;      // an empty branch has no data either
        }
        long broken = nodeCount + 16 + data.Length + 1_000;
        long max = (1L << _recordSize) - 1;

        var output = new MemoryStream();
        Span<byte> node = stackalloc byte[8];
        int nodeBytes = _recordSize * 2 / 8;
        for (int i = 0; i < nodes.Count; i++)
        {
            long left = records[2 * i] == long.MinValue ? broken : records[2 * i];
            long right = records[2 * i + 1] == long.MinValue ? broken : records[2 * i + 1];
            if (left > max || right > max) throw new InvalidOperationException($"{_recordSize}-bit records cannot hold {Math.Max(left, right)}");
            switch (_recordSize)
            {
                case 24:
                    Write24(node, left);
                    Write24(node[3..], right);
                    break;
                case 28:
                    // The middle byte holds the top 4 bits of the left record (high nibble) and of the right (low nibble).
                    Write24(node, left & 0xFF_FFFF);
                    node[3] = (byte)(((left >> 24) & 0x0F) << 4 | ((right >> 24) & 0x0F));
                    Write24(node[4..], right & 0xFF_FFFF);
                    break;
                default:
                    BinaryPrimitives.WriteUInt32BigEndian(node, (uint)left);
                    BinaryPrimitives.WriteUInt32BigEndian(node[4..], (uint)right);
                    break;
            }
            output.Write(node[..nodeBytes]);
        }
        output.Write(new byte[16]); // data section separator
        output.Write(data.ToArray());
        output.Write([0xAB, 0xCD, 0xEF]); // metadata marker: \xAB\xCD\xEF then "MaxMind.com"
        output.Write("MaxMind.com"u8);

        var metadata = new DataEncoder(usePointers: false);
        metadata.Write(new Dictionary<string, object>
        {
            ["binary_format_major_version"] = (ushort)2,
            ["binary_format_minor_version"] = (ushort)0,
            ["build_epoch"] = _buildEpoch,
            ["database_type"] = _databaseType,
            ["description"] = _description.ToDictionary(kv => kv.Key, kv => (object)kv.Value),
            ["ip_version"] = (ushort)_ipVersion,
            ["languages"] = _languages,
            ["node_count"] = (uint)nodeCount,
            ["record_size"] = (ushort)_recordSize,
        });
        output.Write(metadata.ToArray());
        return output.ToArray();
    }

    private static void Write24(Span<byte> b, long v)
    {
        b[0] = (byte)(v >> 16);
        b[1] = (byte)(v >> 8);
        b[2] = (byte)v;
    }

    /// <summary>The data section encoding: a control byte (type in the top 3 bits, size in the low 5) and a payload.</summary>
    private sealed class DataEncoder(bool usePointers)
    {
        private const int Pointer = 1, Utf8String = 2, Double = 3, Bytes = 4, UInt16 = 5, UInt32 = 6, Map = 7;
        private const int Int32 = 8, UInt64 = 9, Array = 11, Boolean = 14, Float = 15;

        private readonly MemoryStream _out = new();
        private readonly Dictionary<object, long> _written = new(ReferenceEqualityComparer.Instance);
        private readonly Dictionary<string, long> _strings = new(StringComparer.Ordinal);

        public long Length => _out.Length;

        public byte[] ToArray() => _out.ToArray();

        /// <summary>Offset of a top-level value, writing it the first time it is seen.</summary>
        public long Offset(object value)
        {
            if (_written.TryGetValue(value, out long at)) return at;
            at = _out.Length;
            Write(value);
            _written[value] = at;
            return at;
        }

        public void Write(object value)
        {
            switch (value)
            {
                case string s:
                    if (usePointers && _strings.TryGetValue(s, out long previous))
                    {
                        WritePointer(previous);
                        return;
                    }
                    if (usePointers && s.Length > 2) _strings[s] = _out.Length;
                    var utf8 = Encoding.UTF8.GetBytes(s);
                    Control(Utf8String, utf8.Length);
                    _out.Write(utf8);
                    break;
                case double d:
                    Control(Double, 8);
                    WriteBigEndian(BitConverter.DoubleToUInt64Bits(d), 8);
                    break;
                case float f:
                    Control(Float, 4);
                    WriteBigEndian(BitConverter.SingleToUInt32Bits(f), 4);
                    break;
                case ushort u16:
                    Unsigned(UInt16, u16);
                    break;
                case uint u32:
                    Unsigned(UInt32, u32);
                    break;
                case ulong u64:
                    Unsigned(UInt64, u64);
                    break;
                case int i32:
                    Control(Int32, 4);
                    WriteBigEndian((uint)i32, 4);
                    break;
                case bool b:
                    Control(Boolean, b ? 1 : 0); // the size is the value; no payload
                    break;
                case byte[] bytes:
                    Control(Bytes, bytes.Length);
                    _out.Write(bytes);
                    break;
                case IDictionary<string, object> map:
                    Control(Map, map.Count);
                    foreach (var (k, v) in map)
                    {
                        Write(k);
                        Write(v);
                    }
                    break;
                case IEnumerable items:
                    var list = items.Cast<object>().ToList();
                    Control(Array, list.Count);
                    foreach (var item in list) Write(item);
                    break;
                default:
                    throw new ArgumentException($"no MaxMind DB type for {value.GetType()}");
            }
        }

        /// <summary>Unsigned integers are big-endian with leading zero bytes left out (0 has no payload).</summary>
        private void Unsigned(int type, ulong v)
        {
            int n = v == 0 ? 0 : (64 - System.Numerics.BitOperations.LeadingZeroCount(v) + 7) / 8;
            Control(type, n);
            WriteBigEndian(v, n);
        }

        private void WriteBigEndian(ulong v, int n)
        {
            for (int i = n - 1; i >= 0; i--) _out.WriteByte((byte)(v >> (8 * i)));
        }

        /// <summary>
        /// Types above 7 are "extended": type bits 0 and the type minus 7 in the next byte. Sizes of 29 and more
        /// spill into 1-3 following bytes (29 + n, 285 + n, 65821 + n), written after the extended-type byte.
        /// </summary>
        private void Control(int type, int size)
        {
            int sizeBits;
            byte[] extra;
            if (size < 29) { sizeBits = size; extra = []; }
            else if (size < 285) { sizeBits = 29; extra = [(byte)(size - 29)]; }
            else if (size < 65821) { sizeBits = 30; int v = size - 285; extra = [(byte)(v >> 8), (byte)v]; }
            else { sizeBits = 31; int v = size - 65821; extra = [(byte)(v >> 16), (byte)(v >> 8), (byte)v]; }
            if (type <= 7)
            {
                _out.WriteByte((byte)(type << 5 | sizeBits));
            }
            else
            {
                _out.WriteByte((byte)sizeBits);
                _out.WriteByte((byte)(type - 7));
            }
            _out.Write(extra);
        }

        /// <summary>Pointer: size bits SS VVV; SS picks 11, 19, 27 or 32 value bits, the first three biased by 0, 2048, 526336.</summary>
        private void WritePointer(long offset)
        {
            if (offset < 2048)
            {
                _out.WriteByte((byte)(Pointer << 5 | (int)(offset >> 8)));
                _out.WriteByte((byte)offset);
            }
            else if (offset < 2048 + (1 << 19))
            {
                long v = offset - 2048;
                _out.WriteByte((byte)(Pointer << 5 | 1 << 3 | (int)(v >> 16)));
                WriteBigEndian((ulong)v, 2);
            }
            else if (offset < 526336 + (1L << 27))
            {
                long v = offset - 526336;
                _out.WriteByte((byte)(Pointer << 5 | 2 << 3 | (int)(v >> 24)));
                WriteBigEndian((ulong)v, 3);
            }
            else
            {
                _out.WriteByte((byte)(Pointer << 5 | 3 << 3));
                WriteBigEndian((ulong)offset, 4);
            }
        }
    }
}
