using System.Buffers.Binary;
using TapSensor.Core.Names;

namespace TapSensor.Core.Discovery;

/// <summary>
/// Reads a DNS response the way <see cref="DnsMessage.TryParse"/> and <see cref="DnsMessage.ResolveQuestion"/> do,
/// for the flow workers, which see every response of the household: names stay bytes in buffers this reader
/// owns and reuses, the CNAME chain is followed by comparing bytes, and the only objects made are the results
/// (the question's text, the first time that name is seen). One reader per worker: not shared.
/// </summary>
internal sealed class DnsAnswerReader
{
    private const int HeaderLength = 12;
    private const int MaxNameLength = 255;
    private const int MaxRecords = 256;
    private const int MaxChainRounds = 16;
    /// <summary>Question texts kept for reuse before the cache starts over.</summary>
    private const int MaxCachedNames = 4096;

    // Every name of one message, back to back: the question, record owners and CNAME targets.
    private readonly byte[] _names = new byte[(2 * MaxRecords + 1) * MaxNameLength];
    private int _namesUsed;
    private int _questionAt = -1, _questionLength;

    private readonly ushort[] _type = new ushort[MaxRecords];
    private readonly uint[] _ttl = new uint[MaxRecords];
    private readonly NetAddress[] _address = new NetAddress[MaxRecords];
    private readonly int[] _ownerAt = new int[MaxRecords], _ownerLength = new int[MaxRecords];
    private readonly int[] _targetAt = new int[MaxRecords], _targetLength = new int[MaxRecords];
    private int _records;

    // The chain from the question: name positions in _names and the smallest TTL on the way there.
    private readonly int[] _chainAt = new int[MaxRecords + 1], _chainLength = new int[MaxRecords + 1];
    private readonly uint[] _chainTtl = new uint[MaxRecords + 1];

    private readonly (NetAddress, uint)[] _answers = new (NetAddress, uint)[MaxRecords];

    private readonly NamePool _texts = new(MaxCachedNames);

    /// <summary>A question was read (the message had one and its name parsed).</summary>
    public bool HasQuestion => _questionAt >= 0;

    /// <summary>
    /// Reads the question and the A, AAAA, CNAME and PTR records of the answer and additional sections.
    /// The status is <see cref="DnsMessage.TryParse"/>'s: records read before a truncation or a bad name are kept.
    /// </summary>
    public DiscoveryParse Read(ReadOnlySpan<byte> message)
    {
        _namesUsed = 0;
        _records = 0;
        _questionAt = -1;
        if (message.Length < HeaderLength) return DiscoveryParse.Truncated;
        int qd = BinaryPrimitives.ReadUInt16BigEndian(message[4..]);
        int an = BinaryPrimitives.ReadUInt16BigEndian(message[6..]);
        int ns = BinaryPrimitives.ReadUInt16BigEndian(message[8..]);
        int ar = BinaryPrimitives.ReadUInt16BigEndian(message[10..]);
        if (qd + an + ns + ar > MaxRecords * 4) return DiscoveryParse.Malformed;

        // The first question is the one answered; a message whose questions do not all parse has none.
        int offset = HeaderLength;
        for (int i = 0; i < qd; i++)
        {
            var status = DnsMessage.ReadName(message, ref offset, _names.AsSpan(_namesUsed, MaxNameLength), out int length);
            if (status != DiscoveryParse.Ok) return status;
            if (offset + 4 > message.Length) return DiscoveryParse.Truncated;
            if (i == 0)
            {
                Printable(_names.AsSpan(0, length));
                _questionLength = length;
                _namesUsed = length;
            }
            offset += 4;
        }
        if (qd > 0) _questionAt = 0;

        int total = an + ns + ar;
        var outcome = DiscoveryParse.Ok;
        for (int i = 0; i < total && _records < MaxRecords; i++)
        {
            int ownerAt = _namesUsed;
            var status = DnsMessage.ReadName(message, ref offset, _names.AsSpan(ownerAt, MaxNameLength), out int ownerLength);
            if (status != DiscoveryParse.Ok) { outcome = status; break; }
            if (!DnsMessage.TryReadRecordHeader(message, ref offset, out ushort type, out uint ttl, out int rdata, out int rdLength))
            {
                outcome = DiscoveryParse.Truncated;
                break;
            }
            Printable(_names.AsSpan(ownerAt, ownerLength));
            if (i >= an && i < an + ns) continue; // name servers

            if (ttl > int.MaxValue) ttl = 0; // RFC 2181 §8
            int r = _records;
            switch (type)
            {
                case DnsMessage.TypeA when rdLength == 4:
                    _address[r] = NetAddress.FromIPv4(BinaryPrimitives.ReadUInt32BigEndian(message[rdata..]));
                    break;
                case DnsMessage.TypeAaaa when rdLength == 16:
                    _address[r] = NetAddress.FromIPv6(message.Slice(rdata, 16));
                    break;
                case DnsMessage.TypeCname:
                case DnsMessage.TypePtr:
                    {
                        int targetAt = ownerAt + ownerLength;
                        int target = rdata;
                        var targetStatus = DnsMessage.ReadName(message[..offset], ref target, _names.AsSpan(targetAt, MaxNameLength),
                            out int targetLength);
                        if (targetStatus != DiscoveryParse.Ok)
                        {
                            outcome = DiscoveryParse.Malformed;
                            continue;
                        }
                        Printable(_names.AsSpan(targetAt, targetLength));
                        _targetAt[r] = targetAt;
                        _targetLength[r] = targetLength;
                        break;
                    }
                default:
                    continue;
            }
            _type[r] = type;
            _ttl[r] = ttl;
            _ownerAt[r] = ownerAt;
            _ownerLength[r] = ownerLength;
            _namesUsed = ownerAt + ownerLength + (type is DnsMessage.TypeCname or DnsMessage.TypePtr ? _targetLength[r] : 0);
            _records++;
        }
        return outcome;
    }

    /// <summary>
    /// The addresses the question resolves to through the CNAME chain, each with the smallest TTL along the chain;
    /// empty when there are none. <see cref="DnsMessage.ResolveQuestion"/>'s rules, on the message last read. The
    /// span is this reader's and valid until the next read.
    /// </summary>
    public ReadOnlySpan<(NetAddress Address, uint TtlSeconds)> ResolveQuestion()
    {
        if (_questionAt < 0) return default;
        int chain = 1;
        _chainAt[0] = _questionAt;
        _chainLength[0] = _questionLength;
        _chainTtl[0] = uint.MaxValue;
        for (int round = 0; round < MaxChainRounds; round++)
        {
            bool grew = false;
            for (int r = 0; r < _records; r++)
            {
                if (_type[r] != DnsMessage.TypeCname) continue;
                int link = Find(chain, _ownerAt[r], _ownerLength[r]);
                if (link < 0 || Find(chain, _targetAt[r], _targetLength[r]) >= 0) continue;
                _chainAt[chain] = _targetAt[r];
                _chainLength[chain] = _targetLength[r];
                _chainTtl[chain] = Math.Min(_chainTtl[link], _ttl[r]);
                chain++;
                grew = true;
            }
            if (!grew) break;
        }

        int n = 0;
        for (int r = 0; r < _records; r++)
        {
            if (_type[r] is not (DnsMessage.TypeA or DnsMessage.TypeAaaa)) continue;
            int link = Find(chain, _ownerAt[r], _ownerLength[r]);
            if (link >= 0) _answers[n++] = (_address[r], Math.Min(_chainTtl[link], _ttl[r]));
        }
        return _answers.AsSpan(0, n);
    }

    /// <summary>The question as text (<see cref="DnsMessage.Text"/>), one string per distinct name while the cache lasts.</summary>
    public string QuestionText()
    {
        if (_questionAt < 0) throw new InvalidOperationException("no question was read");
        var name = _names.AsSpan(_questionAt, _questionLength);
        Span<char> chars = stackalloc char[Math.Max(name.Length, 1)];
        return _texts.Get(chars[..DnsMessage.Text(name, chars)]);
    }

    /// <summary>
    /// Names compare as the text people see (<see cref="DnsMessage.Text"/>: bytes outside printable ASCII become '?'),
    /// as the message parser compares them.
    /// </summary>
    private static void Printable(Span<byte> name)
    {
        foreach (ref byte b in name)
        {
            if (b is < 0x20 or >= 0x7F) b = (byte)'?';
        }
    }

    private int Find(int chain, int at, int length)
    {
        var name = _names.AsSpan(at, length);
        for (int i = 0; i < chain; i++)
        {
            if (_chainLength[i] == length && name.SequenceEqual(_names.AsSpan(_chainAt[i], length))) return i;
        }
        return -1;
    }
}
