using System.Buffers.Binary;

namespace TapSensor.Core.Discovery;

/// <summary>One resource record of a DNS response, as the household's resolvers sent it.</summary>
public readonly record struct DnsRecord(string Owner, ushort Type, uint TtlSeconds, NetAddress Address, string? Target);

/// <summary>
/// A DNS (RFC 1035) or mDNS (RFC 6762) message read with bounds checks at every step. Names are decoded with
/// compression pointers that must point strictly backwards (so a pointer loop cannot exist), at most 255 bytes
/// and 128 labels, lowercased, without the trailing dot. Only what naming needs is kept: the first question,
/// and A, AAAA, CNAME and PTR records of the answer and additional sections (mDNS announces in both).
/// Called at name rate on response packets only; it allocates the strings it returns.
/// </summary>
public sealed class DnsMessage
{
    public const ushort TypeA = 1;
    public const ushort TypeCname = 5;
    public const ushort TypePtr = 12;
    public const ushort TypeAaaa = 28;

    private const int HeaderLength = 12;
    private const int MaxNameLength = 255;
    private const int MaxLabels = 128;
    private const int MaxRecords = 256;

    private DnsMessage(ushort id, ushort flags, string? question, ushort questionType, List<DnsRecord> records)
    {
        Id = id;
        Flags = flags;
        QuestionName = question;
        QuestionType = questionType;
        Records = records;
    }

    public ushort Id { get; }
    public ushort Flags { get; }
    public bool IsResponse => (Flags & 0x8000) != 0;
    public int Opcode => (Flags >> 11) & 0xF;
    public int ResponseCode => Flags & 0xF;
    public string? QuestionName { get; }
    public ushort QuestionType { get; }
    public IReadOnlyList<DnsRecord> Records { get; }

    /// <summary>Reads the 12-byte header only: true and the flags when the message is long enough.</summary>
    public static bool TryReadFlags(ReadOnlySpan<byte> message, out ushort flags)
    {
        flags = 0;
        if (message.Length < HeaderLength) return false;
        flags = BinaryPrimitives.ReadUInt16BigEndian(message[2..]);
        return true;
    }

    /// <summary>
    /// Parses a whole message. A message cut short inside its records keeps the records read so far
    /// (a snap length may cut a response) and reports <see cref="DiscoveryParse.Truncated"/>.
    /// </summary>
    /// <param name="lowercase">Lowercase names (DNS names compare case-insensitively); mDNS host names keep their case for display.</param>
    public static DiscoveryParse TryParse(ReadOnlySpan<byte> message, out DnsMessage? result, bool lowercase = true)
    {
        result = null;
        if (message.Length < HeaderLength) return DiscoveryParse.Truncated;
        ushort id = BinaryPrimitives.ReadUInt16BigEndian(message);
        ushort flags = BinaryPrimitives.ReadUInt16BigEndian(message[2..]);
        int qd = BinaryPrimitives.ReadUInt16BigEndian(message[4..]);
        int an = BinaryPrimitives.ReadUInt16BigEndian(message[6..]);
        int ns = BinaryPrimitives.ReadUInt16BigEndian(message[8..]);
        int ar = BinaryPrimitives.ReadUInt16BigEndian(message[10..]);
        if (qd + an + ns + ar > MaxRecords * 4) return DiscoveryParse.Malformed;

        Span<byte> name = stackalloc byte[MaxNameLength];
        int offset = HeaderLength;
        string? question = null;
        ushort questionType = 0;
        for (int i = 0; i < qd; i++)
        {
            var status = ReadName(message, ref offset, name, out int nameLength, lowercase);
            if (status != DiscoveryParse.Ok) return status;
            if (offset + 4 > message.Length) return DiscoveryParse.Truncated;
            if (i == 0)
            {
                question = Text(name[..nameLength]);
                questionType = BinaryPrimitives.ReadUInt16BigEndian(message[offset..]);
            }
            offset += 4;
        }

        var records = new List<DnsRecord>();
        int total = an + ns + ar;
        var outcome = DiscoveryParse.Ok;
        for (int i = 0; i < total && records.Count < MaxRecords; i++)
        {
            var status = ReadName(message, ref offset, name, out int ownerLength, lowercase);
            if (status != DiscoveryParse.Ok) { outcome = status; break; }
            if (!TryReadRecordHeader(message, ref offset, out ushort type, out uint ttl, out int rdata, out int rdLength))
            {
                outcome = DiscoveryParse.Truncated;
                break;
            }
            bool inNameServers = i >= an && i < an + ns;
            if (inNameServers) continue;

            // A TTL with the top bit set is read as 0 (RFC 2181 §8).
            if (ttl > int.MaxValue) ttl = 0;
            switch (type)
            {
                case TypeA when rdLength == 4:
                    records.Add(new DnsRecord(Text(name[..ownerLength]), type, ttl,
                        NetAddress.FromIPv4(BinaryPrimitives.ReadUInt32BigEndian(message[rdata..])), null));
                    break;
                case TypeAaaa when rdLength == 16:
                    records.Add(new DnsRecord(Text(name[..ownerLength]), type, ttl,
                        NetAddress.FromIPv6(message.Slice(rdata, 16)), null));
                    break;
                case TypeCname:
                case TypePtr:
                    {
                        string owner = Text(name[..ownerLength]);
                        int target = rdata;
                        var targetStatus = ReadName(message[..offset], ref target, name, out int targetLength, lowercase);
                        if (targetStatus != DiscoveryParse.Ok) { outcome = DiscoveryParse.Malformed; break; }
                        records.Add(new DnsRecord(owner, type, ttl, default, Text(name[..targetLength])));
                        break;
                    }
            }
        }

        result = new DnsMessage(id, flags, question, questionType, records);
        return outcome;
    }

    /// <summary>
    /// The addresses the question's name resolves to through the CNAME chain in this response, with the smallest
    /// TTL along the chain (a cached answer dies with its shortest-lived link).
    /// </summary>
    public List<(NetAddress Address, uint TtlSeconds)> ResolveQuestion()
    {
        var result = new List<(NetAddress, uint)>();
        if (QuestionName is null) return result;
        // Follow the chain from the question: a bounded walk, so CNAME loops in a hostile answer end.
        var chain = new Dictionary<string, uint>(StringComparer.Ordinal) { [QuestionName] = uint.MaxValue };
        for (int round = 0; round < 16; round++)
        {
            bool grew = false;
            foreach (var r in Records)
            {
                if (r.Type != TypeCname || r.Target is null) continue;
                if (chain.TryGetValue(r.Owner, out uint ttl) && !chain.ContainsKey(r.Target))
                {
                    chain[r.Target] = Math.Min(ttl, r.TtlSeconds);
                    grew = true;
                }
            }
            if (!grew) break;
        }
        foreach (var r in Records)
        {
            if (r.Type is not (TypeA or TypeAaaa)) continue;
            if (chain.TryGetValue(r.Owner, out uint ttl)) result.Add((r.Address, Math.Min(ttl, r.TtlSeconds)));
        }
        return result;
    }

    /// <summary>
    /// The fixed part of a resource record after its owner name (type, class, TTL, data length), moving the offset
    /// past the record's data. False when the message ends inside the record.
    /// </summary>
    internal static bool TryReadRecordHeader(ReadOnlySpan<byte> message, ref int offset, out ushort type, out uint ttl,
        out int rdata, out int rdLength)
    {
        type = 0;
        ttl = 0;
        rdata = rdLength = 0;
        if (offset + 10 > message.Length) return false;
        type = BinaryPrimitives.ReadUInt16BigEndian(message[offset..]);
        ttl = BinaryPrimitives.ReadUInt32BigEndian(message[(offset + 4)..]);
        rdLength = BinaryPrimitives.ReadUInt16BigEndian(message[(offset + 8)..]);
        rdata = offset + 10;
        offset = rdata + rdLength;
        return offset <= message.Length;
    }

    /// <summary>
    /// Reads a possibly compressed name at <paramref name="offset"/> into <paramref name="name"/> as dotted
    /// ASCII (lowercased unless asked not to) and moves the offset past it (past the first pointer when compressed).
    /// </summary>
    internal static DiscoveryParse ReadName(ReadOnlySpan<byte> message, ref int offset, Span<byte> name, out int length, bool lowercase = true)
    {
        length = 0;
        int position = offset;
        int resume = -1;
        int lowestJump = position;
        for (int labels = 0; labels <= MaxLabels; labels++)
        {
            if (position >= message.Length) return DiscoveryParse.Truncated;
            int len = message[position];
            if (len == 0)
            {
                offset = resume >= 0 ? resume : position + 1;
                return DiscoveryParse.Ok;
            }
            if ((len & 0xC0) == 0xC0)
            {
                if (position + 1 >= message.Length) return DiscoveryParse.Truncated;
                int target = ((len & 0x3F) << 8) | message[position + 1];
                // Only strictly backwards, and before every earlier jump: each jump lands earlier, so no loop.
                if (target >= lowestJump) return DiscoveryParse.Malformed;
                if (resume < 0) resume = position + 2;
                lowestJump = target;
                position = target;
                continue;
            }
            if ((len & 0xC0) != 0) return DiscoveryParse.Malformed; // extended label types (RFC 6891) are not names
            if (position + 1 + len > message.Length) return DiscoveryParse.Truncated;
            int needed = length + (length > 0 ? 1 : 0) + len;
            if (needed > MaxNameLength) return DiscoveryParse.Malformed;
            if (length > 0) name[length++] = (byte)'.';
            for (int i = 0; i < len; i++)
            {
                byte c = message[position + 1 + i];
                name[length++] = lowercase && c is >= (byte)'A' and <= (byte)'Z' ? (byte)(c | 0x20) : c;
            }
            position += 1 + len;
        }
        return DiscoveryParse.Malformed;
    }

    /// <summary>Names are text for people: bytes outside printable ASCII are shown as '?', never as control characters.</summary>
    internal static string Text(ReadOnlySpan<byte> name)
    {
        Span<char> chars = stackalloc char[Math.Max(name.Length, 1)];
        return new string(chars[..Text(name, chars)]);
    }

    /// <summary><see cref="Text(ReadOnlySpan{byte})"/> into <paramref name="chars"/> (at least one char, and as long as the name); returns the length.</summary>
    internal static int Text(ReadOnlySpan<byte> name, Span<char> chars)
    {
        if (name.Length == 0)
        {
            chars[0] = '.';
            return 1;
        }
        for (int i = 0; i < name.Length; i++)
            chars[i] = name[i] is >= 0x20 and < 0x7F ? (char)name[i] : '?';
        return name.Length;
    }
}
