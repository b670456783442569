using System.Buffers.Binary;
using System.Buffers.Text;
using System.Security.Cryptography;

namespace TapSensor.Core.Flows;

/// <summary>
/// Community ID v1 of a flow record (corelight/community-id-spec), the flow hash that Zeek writes as
/// <c>community_id</c> (scripts/policy/protocols/conn/community-id-logging.zeek) and Suricata as
/// <c>community_id</c>, so our records can be joined with theirs.
/// <para>
/// The hashed bytes, all in network order: a 2-byte seed, the source address (4 bytes for IPv4,
/// 16 for IPv6), the destination address, the IP protocol number, one zero byte of padding and,
/// for protocols that have ports (TCP, UDP, SCTP, ICMP, ICMPv6), source and destination port.
/// "Source" is the endpoint whose (address, port) is smaller, so both directions hash alike. The
/// result is "1:" followed by the base64 of the SHA-1 digest.
/// </para>
/// <para>
/// ICMP has no ports: the spec uses the message type as the source port and, for request/response
/// messages, the type of the counterpart message as the destination port (so request and reply
/// land in one flow); other messages are "one-way": the code is the destination port and the
/// endpoints keep their packet order instead of being sorted. Our decoder already fills the ports
/// that way (originator port = type, responder port = counterpart type or code), so all that is
/// left here is to recognise the one-way case and keep the originator first.
/// </para>
/// Cold path: called once per final record.
/// </summary>
internal static class CommunityId
{
    /// <summary>"1:" + 28 base64 characters of a 20-byte SHA-1 digest.</summary>
    public const int Length = 30;

    private const byte Icmp = 1;
    private const byte Tcp = 6;
    private const byte Udp = 17;
    private const byte IcmpV6 = 58;
    private const byte Sctp = 132;

    /// <summary>The Community ID v1 string of the record, e.g. <c>1:LQU9qZlK+B5F3KDmev6m5PMibrg=</c>.</summary>
    public static string Compute(in FlowRecord r, ushort seed = 0)
    {
        Span<byte> utf8 = stackalloc byte[Length];
        Format(in r, seed, utf8);
        return System.Text.Encoding.ASCII.GetString(utf8);
    }

    /// <summary>Writes the <see cref="Length"/> ASCII bytes of the Community ID into <paramref name="destination"/>.</summary>
    public static void Format(in FlowRecord r, ushort seed, Span<byte> destination)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, Length, nameof(destination));

        // seed 2 + two IPv6 addresses 32 + protocol 1 + padding 1 + ports 4.
        Span<byte> input = stackalloc byte[40];
        int length = WriteHashInput(in r, seed, input);

        Span<byte> digest = stackalloc byte[SHA1.HashSizeInBytes];
        SHA1.HashData(input[..length], digest);

        destination[0] = (byte)'1';
        destination[1] = (byte)':';
        Base64.EncodeToUtf8(digest, destination[2..], out _, out _);
    }

    /// <summary>Builds the bytes the spec hashes; returns their count (a multiple of 4 by design).</summary>
    internal static int WriteHashInput(in FlowRecord r, ushort seed, Span<byte> input)
    {
        byte protocol = r.Key.Protocol;
        byte family = r.Key.Family;
        bool hasPorts = protocol is Tcp or Udp or Sctp or Icmp or IcmpV6;

        // Start from packet order (originator first), as the spec starts from the packet's source.
        ulong srcHi = r.OrigHi, srcLo = r.OrigLo, dstHi = r.RespHi, dstLo = r.RespLo;
        ushort srcPort = hasPorts ? r.OrigPort : (ushort)0;
        ushort dstPort = hasPorts ? r.RespPort : (ushort)0;

        bool oneWay = (protocol == Icmp && !IsIcmpV4TwoWay(srcPort))
                      || (protocol == IcmpV6 && !IsIcmpV6TwoWay(srcPort));
        if (!oneWay && !IsLess(srcHi, srcLo, srcPort, dstHi, dstLo, dstPort))
        {
            (srcHi, dstHi) = (dstHi, srcHi);
            (srcLo, dstLo) = (dstLo, srcLo);
            (srcPort, dstPort) = (dstPort, srcPort);
        }

        BinaryPrimitives.WriteUInt16BigEndian(input, seed);
        int n = 2;
        n += FlowKey.WriteAddressBytes(srcHi, srcLo, family, input[n..]);
        n += FlowKey.WriteAddressBytes(dstHi, dstLo, family, input[n..]);
        input[n++] = protocol;
        input[n++] = 0;
        if (hasPorts)
        {
            BinaryPrimitives.WriteUInt16BigEndian(input[n..], srcPort);
            BinaryPrimitives.WriteUInt16BigEndian(input[(n + 2)..], dstPort);
            n += 4;
        }
        return n;
    }

    /// <summary>
    /// The spec's "is less than": addresses compared as byte strings, then ports. An IPv4 address
    /// held as ::ffff:a.b.c.d compares exactly as its 4 bytes would, because both sides share the prefix.
    /// Equal endpoints are not "less", so they are swapped, which changes nothing.
    /// </summary>
    private static bool IsLess(ulong aHi, ulong aLo, ushort aPort, ulong bHi, ulong bLo, ushort bPort)
    {
        if (aHi != bHi) return aHi < bHi;
        if (aLo != bLo) return aLo < bLo;
        return aPort < bPort;
    }

    /// <summary>
    /// ICMPv4 types that have a counterpart (community-id-spec, community-id.py, the v4 port mapper;
    /// the same pairs as Zeek's ICMP4_counterpart): echo 8/0, timestamp 13/14, information 15/16,
    /// address mask 17/18, and router solicitation 10, answered by an advertisement (9), which is itself
    /// one-way because advertisements are also sent unsolicited (RFC 1256 §3).
    /// </summary>
    internal static bool IsIcmpV4TwoWay(ushort type) => type is 0 or 8 or 10 or 13 or 14 or 15 or 16 or 17 or 18;

    /// <summary>
    /// ICMPv6 types that have a counterpart (same source, v6 mapper): echo 128/129 (RFC 4443 §4),
    /// MLD query/report 130/131 (RFC 2710 §3), router solicitation/advertisement 133/134 and neighbour
    /// solicitation/advertisement 135/136 (RFC 4861 §4), node information query/reply 139/140
    /// (RFC 4620 §4), home agent address discovery request/reply 144/145 (RFC 6275 §6.5).
    /// </summary>
    internal static bool IsIcmpV6TwoWay(ushort type) =>
        type is 128 or 129 or 130 or 131 or 133 or 134 or 135 or 136 or 139 or 140 or 144 or 145;
}
