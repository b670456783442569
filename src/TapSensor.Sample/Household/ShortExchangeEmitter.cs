using TapSensor.Sample.Payloads;
using TapSensor.Sample.Wire;

namespace TapSensor.Sample.Household;

/// <summary>Request-response conversations of a packet or two each way: DNS lookups, NTP polls, ICMP echo.</summary>
internal sealed class ShortExchangeEmitter
{
    private const byte Ask = 0, Answer = 1;

    private readonly FrameContext _ctx;

    public ShortExchangeEmitter(FrameContext context) => _ctx = context;

    public long Emit(ref FlowState f, long now) => f.Kind switch
    {
        FlowKind.Dns => Dns(ref f, now),
        FlowKind.Ntp => Ntp(ref f, now),
        _ => Ping(ref f, now),
    };

    /// <summary>
    /// A stub lookup of the session's name: A over IPv4, AAAA over IPv6 (RFC 3596), answered with the CNAME chain
    /// and the addresses, the session's own first.
    /// </summary>
    private long Dns(ref FlowState f, long now)
    {
        Span<byte> frame = _ctx.Writer.NextFrame();
        RemoteService s = _ctx.ServiceOf(f);
        ushort type = f.Ipv6 ? DnsMessage.TypeAaaa : DnsMessage.TypeA;
        if (f.Phase == Ask)
        {
            int o = _ctx.BeginUdp(frame, ref f, true);
            int n = DnsMessage.WriteQuery(frame[o..], f.DnsId, s.NameWire, type);
            _ctx.Commit(frame, o + n, now);
            f.Phase = Answer;
            return now + f.RttMicros;
        }
        int a = _ctx.BeginUdp(frame, ref f, false);
        Span<byte> addresses = stackalloc byte[16 * 8];
        int length = _ctx.WriteAnswerAddresses(addresses, f, out int addressLength);
        uint ttl = (uint)_ctx.Random.Between(30, 300);
        int m = DnsMessage.WriteAnswer(frame[a..], f.DnsId, s.NameWire, type, s.CnameWires, addresses[..length], addressLength, ttl);
        _ctx.Commit(frame, a + m, now);
        return -1;
    }

    private long Ntp(ref FlowState f, long now)
    {
        Span<byte> frame = _ctx.Writer.NextFrame();
        if (f.Phase == Ask)
        {
            int o = _ctx.BeginUdp(frame, ref f, true);
            int n = NtpMessage.WriteRequest(frame[o..], _ctx.StartUnixMicros + now);
            _ctx.Commit(frame, o + n, now);
            f.Phase = Answer;
            f.LastDataMicros = now;
            return now + f.RttMicros;
        }
        int a = _ctx.BeginUdp(frame, ref f, false);
        // Reference id: a stratum-1 server names its clock ("GPS"); others would give an upstream address.
        int m = NtpMessage.WriteReply(frame[a..], _ctx.StartUnixMicros + f.LastDataMicros,
            _ctx.StartUnixMicros + now - (f.RttMicros / 2), 1, 0x4750_5300);
        _ctx.Commit(frame, a + m, now);
        return -1;
    }

    /// <summary>ping: one echo request a second, each answered; the identifier is the flow's "port".</summary>
    private long Ping(ref FlowState f, long now)
    {
        Span<byte> frame = _ctx.Writer.NextFrame();
        byte protocol = f.Ipv6 ? Frames.Icmpv6 : Frames.Icmp;
        bool request = f.Phase == Ask;
        int o = _ctx.BeginIp(frame, ref f, request, protocol);
        byte type = (f.Ipv6, request) switch
        {
            (false, true) => IcmpMessages.EchoRequestV4,
            (false, false) => IcmpMessages.EchoReplyV4,
            (true, true) => IcmpMessages.EchoRequestV6,
            _ => IcmpMessages.EchoReplyV6,
        };
        ushort sequence = (ushort)(f.ExchangeIndex + 1);
        if (request)
            f.LastDataMicros = now;
        int n = IcmpMessages.WriteEcho(frame[o..], type, f.ClientPort, sequence, _ctx.StartUnixMicros + f.LastDataMicros);
        _ctx.Commit(frame, o + n, now);
        if (request)
        {
            f.Phase = Answer;
            return now + f.RttMicros;
        }
        f.ExchangeIndex++;
        if (f.ExchangeIndex >= f.Counter)
            return -1;
        f.Phase = Ask;
        return Math.Max(now + 1, f.LastDataMicros + 1_000_000);
    }
}
