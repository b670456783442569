using System.Buffers.Binary;

namespace TapSensor.Sample.Payloads;

/// <summary>
/// DNS and mDNS messages (RFC 1035 §4.1, mDNS RFC 6762 §18). Names arrive already in wire form (see
/// <see cref="Encode"/>); answers refer back to earlier names with compression pointers (RFC 1035 §4.1.4),
/// always pointing backwards.
/// </summary>
internal static class DnsMessage
{
    public const ushort TypeA = 1;
    public const ushort TypeCname = 5;
    public const ushort TypePtr = 12;
    public const ushort TypeTxt = 16;
    public const ushort TypeAaaa = 28;
    public const ushort TypeSrv = 33;
    public const ushort TypeOpt = 41;
    public const ushort ClassIn = 1;
    /// <summary>mDNS cache-flush bit on unique records (RFC 6762 §10.2).</summary>
    public const ushort ClassInFlush = 0x8001;

    private const int HeaderLength = 12;
    private const ushort QuestionPointer = 0xC000 | HeaderLength;

    /// <summary>Encodes a dotted name as length-prefixed labels ending in the root label.</summary>
    public static byte[] Encode(string name)
    {
        var wire = new byte[name.Length + 2];
        int o = 0;
        foreach (string label in name.Split('.'))
        {
            if (label.Length is 0 or > 63)
                throw new ArgumentException($"'{name}' is not a valid DNS name", nameof(name));
            wire[o++] = (byte)label.Length;
            o += Ascii.Write(wire.AsSpan(o), label);
        }
        wire[o] = 0;
        return wire;
    }

    /// <summary>Stub-resolver query with recursion desired and an EDNS(0) OPT record (RFC 6891 §6.1.2).</summary>
    public static int WriteQuery(Span<byte> p, ushort id, ReadOnlySpan<byte> name, ushort type)
    {
        int o = Header(p, id, 0x0100, questions: 1, answers: 0, additional: 1);
        o = Question(p, o, name, type, ClassIn);
        return Opt(p, o, 1232);
    }

    /// <summary>
    /// Recursive answer to <see cref="WriteQuery"/>: the question again, then each CNAME in order, then the
    /// addresses owned by the last name of the chain (RFC 1034 §3.6.2). Each address is 4 or 16 bytes.
    /// </summary>
    public static int WriteAnswer(Span<byte> p, ushort id, ReadOnlySpan<byte> name, ushort type,
        ReadOnlySpan<byte[]> cnames, ReadOnlySpan<byte> addresses, int addressLength, uint ttl)
    {
        int count = addresses.Length / addressLength;
        int o = Header(p, id, 0x8180, questions: 1, answers: (ushort)(cnames.Length + count), additional: 1);
        o = Question(p, o, name, type, ClassIn);
        ushort owner = QuestionPointer;
        foreach (byte[] cname in cnames)
        {
            o = RecordHeader(p, o, owner, TypeCname, ClassIn, ttl, (ushort)cname.Length);
            owner = (ushort)(0xC000 | o);
            cname.CopyTo(p[o..]);
            o += cname.Length;
        }
        for (int i = 0; i < count; i++)
        {
            o = RecordHeader(p, o, owner, type, ClassIn, ttl, (ushort)addressLength);
            addresses.Slice(i * addressLength, addressLength).CopyTo(p[o..]);
            o += addressLength;
        }
        return Opt(p, o, 1232);
    }

    /// <summary>One-shot mDNS question for a service type (RFC 6763 §4.1), sent by browsing clients.</summary>
    public static int WriteMdnsQuery(Span<byte> p, ReadOnlySpan<byte> serviceType)
    {
        int o = Header(p, 0, 0, questions: 1, answers: 0, additional: 0);
        return Question(p, o, serviceType, TypePtr, ClassIn);
    }

    /// <summary>
    /// Unsolicited mDNS announcement of one service instance (RFC 6762 §8.3, RFC 6763 §4-6): PTR from the service
    /// type to the instance, SRV and TXT on the instance, and the host's A record.
    /// </summary>
    public static int WriteMdnsAnnouncement(Span<byte> p, in MdnsService service, uint address)
    {
        int o = Header(p, 0, 0x8400, questions: 0, answers: 4, additional: 0);
        service.Type.CopyTo(p[o..]);
        o += service.Type.Length;
        o = RecordFields(p, o, TypePtr, ClassIn, 4500, (ushort)service.Instance.Length);
        int instanceAt = o;
        service.Instance.CopyTo(p[o..]);
        o += service.Instance.Length;

        o = RecordHeader(p, o, (ushort)(0xC000 | instanceAt), TypeSrv, ClassInFlush, 120, (ushort)(6 + service.Host.Length));
        BinaryPrimitives.WriteUInt16BigEndian(p[o..], 0);
        BinaryPrimitives.WriteUInt16BigEndian(p[(o + 2)..], 0);
        BinaryPrimitives.WriteUInt16BigEndian(p[(o + 4)..], service.Port);
        o += 6;
        int hostAt = o;
        service.Host.CopyTo(p[o..]);
        o += service.Host.Length;

        o = RecordHeader(p, o, (ushort)(0xC000 | instanceAt), TypeTxt, ClassInFlush, 4500, (ushort)service.Txt.Length);
        service.Txt.CopyTo(p[o..]);
        o += service.Txt.Length;

        o = RecordHeader(p, o, (ushort)(0xC000 | hostAt), TypeA, ClassInFlush, 120, 4);
        BinaryPrimitives.WriteUInt32BigEndian(p[o..], address);
        return o + 4;
    }

    private static int Header(Span<byte> p, ushort id, ushort flags, ushort questions, ushort answers, ushort additional)
    {
        BinaryPrimitives.WriteUInt16BigEndian(p, id);
        BinaryPrimitives.WriteUInt16BigEndian(p[2..], flags);
        BinaryPrimitives.WriteUInt16BigEndian(p[4..], questions);
        BinaryPrimitives.WriteUInt16BigEndian(p[6..], answers);
        BinaryPrimitives.WriteUInt16BigEndian(p[8..], 0);
        BinaryPrimitives.WriteUInt16BigEndian(p[10..], additional);
        return HeaderLength;
    }

    private static int Question(Span<byte> p, int o, ReadOnlySpan<byte> name, ushort type, ushort cls)
    {
        name.CopyTo(p[o..]);
        o += name.Length;
        BinaryPrimitives.WriteUInt16BigEndian(p[o..], type);
        BinaryPrimitives.WriteUInt16BigEndian(p[(o + 2)..], cls);
        return o + 4;
    }

    private static int RecordHeader(Span<byte> p, int o, ushort ownerPointer, ushort type, ushort cls, uint ttl, ushort rdLength)
    {
        BinaryPrimitives.WriteUInt16BigEndian(p[o..], ownerPointer);
        return RecordFields(p, o + 2, type, cls, ttl, rdLength);
    }

    private static int RecordFields(Span<byte> p, int o, ushort type, ushort cls, uint ttl, ushort rdLength)
    {
        BinaryPrimitives.WriteUInt16BigEndian(p[o..], type);
        BinaryPrimitives.WriteUInt16BigEndian(p[(o + 2)..], cls);
        BinaryPrimitives.WriteUInt32BigEndian(p[(o + 4)..], ttl);
        BinaryPrimitives.WriteUInt16BigEndian(p[(o + 8)..], rdLength);
        return o + 10;
    }

    /// <summary>EDNS(0) OPT pseudo-record: root owner, UDP payload size in the class field (RFC 6891 §6.1.2).</summary>
    private static int Opt(Span<byte> p, int o, ushort udpPayloadSize)
    {
        p[o] = 0;
        return RecordFields(p, o + 1, TypeOpt, udpPayloadSize, 0, 0);
    }
}

/// <summary>A DNS-SD service instance a device announces, all names in wire form.</summary>
internal readonly record struct MdnsService(byte[] Type, byte[] Instance, byte[] Host, ushort Port, byte[] Txt);
