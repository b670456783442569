using System.Buffers.Binary;
using TapSensor.Sample.Payloads;
using TapSensor.Sample.Wire;

namespace TapSensor.Sample.Household;

/// <summary>
/// TCP sessions (RFC 9293): three-way handshake with MSS, SACK-permitted, timestamps and window scale (RFC 7323),
/// then exchanges of a request and a response of full-size segments, the receiver ACKing every second segment
/// (delayed ACK, RFC 9293 §3.8.6.3), then FIN, RST or silence. Port 443 and the other TLS ports open with a
/// ClientHello carrying SNI; port 80 carries HTTP/1.1 GETs with a Host header.
/// </summary>
internal sealed class TcpSessionEmitter
{
    private const byte Fin = 0x01, SynFlag = 0x02, Rst = 0x04, Psh = 0x08, AckFlag = 0x10;

    private const byte Syn = 0, SynAck = 1, HandshakeAck = 2, Request = 3, ServerData = 4, ClientAck = 5, LastAck = 6,
        ClientData = 7, ServerAck = 8, ServerReply = 9, ClientFin = 10, ServerFinAck = 11, ClientLastAck = 12,
        ServerFin = 13, ClientFinAck = 14, ServerLastAck = 15, Reset = 16;

    private readonly FrameContext _ctx;

    public TcpSessionEmitter(FrameContext context) => _ctx = context;

    /// <summary>Sets up the connection-level state of a planned session.</summary>
    public void Open(ref FlowState f, in SessionPlan plan)
    {
        SampleRandom r = _ctx.Random;
        RemoteService s = _ctx.Model.Services[plan.Service];
        f.Kind = FlowKind.Tcp;
        f.Phase = Syn;
        f.ClientSeq = r.NextUInt32();
        f.ServerSeq = r.NextUInt32();
        f.ClientTsBase = r.NextUInt32();
        f.ServerTsBase = r.NextUInt32();
        f.ClientWindow = (ushort)r.Between(500, 2052);
        f.ServerWindow = (ushort)r.Between(250, 1024);
        f.ExchangesLeft = plan.Exchanges;
        f.UnitsLeft = plan.Units;
        f.Ending = plan.Ending;
        f.GapMicros = GapFor(s.Size, r);
    }

    public long Emit(ref FlowState f, long now)
    {
        SampleRandom r = _ctx.Random;
        Span<byte> frame = _ctx.Writer.NextFrame();
        RemoteService s = _ctx.ServiceOf(f);
        int mss = Mss(f);
        switch (f.Phase)
        {
            case Syn:
                Bare(frame, ref f, true, SynFlag, now);
                f.ClientSeq++;
                f.Phase = SynAck;
                return now + f.RttMicros;
            case SynAck:
                Bare(frame, ref f, false, SynFlag | AckFlag, now);
                f.ServerSeq++;
                f.Phase = HandshakeAck;
                return now + React(r);
            case HandshakeAck:
                Bare(frame, ref f, true, AckFlag, now);
                f.Phase = Request;
                return now + r.Micros(100, 2_000);
            case Request:
                return SendRequest(frame, ref f, s, now);
            case ServerData:
            {
                int n = Take(ref f, mss);
                int o = Header(frame, ref f, false, f.BytesLeft == n ? (byte)(AckFlag | Psh) : AckFlag, now);
                WriteResponsePayload(frame.Slice(o, n), ref f, s);
                _ctx.Commit(frame, o + n, now);
                f.ServerSeq += (uint)n;
                f.BytesLeft -= n;
                return AfterData(ref f, now, ClientAck);
            }
            case ClientAck:
                Bare(frame, ref f, true, AckFlag, now);
                f.SinceAck = 0;
                f.Phase = ServerData;
                return Math.Max(now, f.LastDataMicros + f.GapMicros);
            case ClientData:
            {
                int n = Take(ref f, mss);
                int o = Header(frame, ref f, true, f.BytesLeft == n ? (byte)(AckFlag | Psh) : AckFlag, now);
                AppRecord(frame.Slice(o, n));
                _ctx.Commit(frame, o + n, now);
                f.ClientSeq += (uint)n;
                f.BytesLeft -= n;
                return AfterData(ref f, now, ServerAck);
            }
            case ServerAck:
                Bare(frame, ref f, false, AckFlag, now);
                f.SinceAck = 0;
                f.Phase = ClientData;
                return Math.Max(now, f.LastDataMicros + f.GapMicros);
            case ServerReply:
            {
                int n = r.Between(60, 400);
                int o = Header(frame, ref f, false, AckFlag | Psh, now);
                AppRecord(frame.Slice(o, n));
                _ctx.Commit(frame, o + n, now);
                f.ServerSeq += (uint)n;
                f.Phase = LastAck;
                return now + r.Micros(1_000, 40_000);
            }
            case LastAck:
                Bare(frame, ref f, true, AckFlag, now);
                f.ExchangeIndex++;
                if (f.ExchangesLeft > 0)
                {
                    f.Phase = Request;
                    return now + ThinkTime(f, s, r);
                }
                return Close(ref f, now, r);
            case ClientFin:
                Bare(frame, ref f, true, Fin | AckFlag, now);
                f.ClientSeq++;
                f.Phase = ServerFinAck;
                return now + f.RttMicros;
            case ServerFinAck:
                Bare(frame, ref f, false, Fin | AckFlag, now);
                f.ServerSeq++;
                f.Phase = ClientLastAck;
                return now + React(r);
            case ServerFin:
                Bare(frame, ref f, false, Fin | AckFlag, now);
                f.ServerSeq++;
                f.Phase = ClientFinAck;
                return now + r.Micros(100, 3_000);
            case ClientFinAck:
                Bare(frame, ref f, true, Fin | AckFlag, now);
                f.ClientSeq++;
                f.Phase = ServerLastAck;
                return now + f.RttMicros;
            case ClientLastAck:
                Bare(frame, ref f, true, AckFlag, now);
                return -1;
            case ServerLastAck:
                Bare(frame, ref f, false, AckFlag, now);
                return -1;
            case Reset:
            {
                // A RST carries no options and no payload (RFC 9293 §3.10.7.1 via the abort call).
                int l4 = _ctx.BeginIp(frame, ref f, true, Frames.Tcp);
                int o = Frames.TcpHeader(frame, l4, f.ClientPort, f.ServerPort, f.ClientSeq, f.ServerSeq, Rst | AckFlag, 0, default);
                _ctx.Commit(frame, o, now);
                return -1;
            }
            default:
                return -1;
        }
    }

    private long SendRequest(Span<byte> frame, ref FlowState f, RemoteService s, long now)
    {
        SampleRandom r = _ctx.Random;
        bool tls = s.Protocol != ServiceProtocol.Http;
        int o = Header(frame, ref f, true, AckFlag | Psh, now);
        Span<byte> p = frame[o..];
        int n;
        if (tls && f.ExchangeIndex == 0)
        {
            int hello = TlsHandshake.WriteClientHello(p[TlsHandshake.RecordHeaderLength..], s.NameBytes, f.Secret, quic: false, default);
            TlsHandshake.RecordHeader(p, TlsHandshake.ContentHandshake, hello);
            BinaryPrimitives.WriteUInt16BigEndian(p[1..], 0x0301); // record-layer version clients send first (RFC 8446 §5.1)
            n = TlsHandshake.RecordHeaderLength + hello;
            // The server's first flight: ServerHello, then the encrypted extensions, certificates and Finished.
            f.BytesLeft = r.Between(2_800, 5_200);
            f.HeadPending = true;
            f.Phase = ServerData;
            _ctx.Commit(frame, o + n, now);
            f.ClientSeq += (uint)n;
            return now + f.RttMicros + r.Micros(500, 5_000);
        }

        long bytes = ExchangeVolume.Next(ref f, Mss(f), s.Size, r);

        if (!tls)
        {
            n = HttpMessages.WriteRequest(p, s.HttpPath, s.Name, _ctx.DeviceOf(f).Profile.UserAgent);
            Span<byte> scratch = stackalloc byte[256];
            long body = HttpMessages.BodyLength(s.HttpBody, bytes);
            f.HeadLength = HttpMessages.WriteResponseHead(scratch, s.HttpBody, body);
            f.BytesLeft = f.HeadLength + body;
            f.HeadPending = true;
        }
        else
        {
            n = 0;
            if (f.ExchangeIndex == 1)
            {
                // Client's second flight: ChangeCipherSpec for middleboxes (RFC 8446 D.4), then its Finished.
                n += TlsHandshake.RecordHeader(p, TlsHandshake.ContentChangeCipherSpec, 1);
                p[n++] = 1;
                n += AppRecord(p.Slice(n, 58));
            }
            n += AppRecord(p.Slice(n, s.Size == SizeClass.Persistent ? r.Between(30, 100) : r.Between(90, 700)));
            f.BytesLeft = bytes;
            f.HeadPending = false;
        }
        _ctx.Commit(frame, o + n, now);
        f.ClientSeq += (uint)n;
        f.SinceAck = 0;
        if (s.Size == SizeClass.Upload)
        {
            f.Phase = ClientData;
            return now + r.Micros(50, 500);
        }
        f.Phase = ServerData;
        return now + f.RttMicros + r.Micros(200, 20_000);
    }

    private void WriteResponsePayload(Span<byte> p, ref FlowState f, RemoteService s)
    {
        if (s.Protocol == ServiceProtocol.Http)
        {
            int o = 0;
            if (f.HeadPending)
            {
                long body = f.BytesLeft - f.HeadLength;
                o = HttpMessages.WriteResponseHead(p, s.HttpBody, body);
                f.HeadPending = false;
                if (s.HttpBody == HttpBody.SuccessPage)
                    o += HttpMessages.WriteSuccessPage(p[o..]);
            }
            if (o < p.Length)
                _ctx.FillOpaque(p[o..]);
            return;
        }
        if (f.HeadPending)
        {
            f.HeadPending = false;
            int hello = TlsHandshake.WriteServerHello(p[TlsHandshake.RecordHeaderLength..], f.Secret, quic: false);
            int o = TlsHandshake.RecordHeader(p, TlsHandshake.ContentHandshake, hello) + hello;
            o += TlsHandshake.RecordHeader(p[o..], TlsHandshake.ContentChangeCipherSpec, 1);
            p[o++] = 1;
            AppRecord(p[o..]);
            return;
        }
        AppRecord(p);
    }

    /// <summary>One TLS application_data record filling the span (encrypted contents look random).</summary>
    private int AppRecord(Span<byte> p)
    {
        TlsHandshake.RecordHeader(p, TlsHandshake.ContentApplicationData, p.Length - TlsHandshake.RecordHeaderLength);
        _ctx.FillOpaque(p[TlsHandshake.RecordHeaderLength..]);
        return p.Length;
    }

    /// <summary>Next segment size: a full MSS, never leaving a tail too short for a record header plus one byte.</summary>
    private static int Take(ref FlowState f, int mss)
    {
        int n = (int)Math.Min(mss, f.BytesLeft);
        long rest = f.BytesLeft - n;
        if (rest is > 0 and < 6)
            n -= (int)(6 - rest);
        return n;
    }

    private long AfterData(ref FlowState f, long now, byte ackPhase)
    {
        f.SinceAck++;
        f.LastDataMicros = now;
        if (f.BytesLeft == 0)
        {
            if (f.Phase == ClientData)
            {
                f.Phase = ServerReply;
                return now + f.RttMicros;
            }
            f.Phase = LastAck;
            // An odd segment waits for the delayed-ACK timer; an even count is ACKed at once.
            return now + (f.SinceAck >= 2 ? React(_ctx.Random) : _ctx.Random.Micros(1_000, 40_000));
        }
        if (f.SinceAck >= 2)
        {
            f.Phase = ackPhase;
            return now + Math.Min(React(_ctx.Random), Math.Max(1, f.GapMicros / 2));
        }
        return now + f.GapMicros;
    }

    private static long Close(ref FlowState f, long now, SampleRandom r)
    {
        switch (f.Ending)
        {
            case SessionEnding.ClientFin:
                // Browsers keep idle connections pooled for up to five minutes before closing them.
                f.Phase = ClientFin;
                return now + (long)Math.Min(300e6, r.LogNormal(30e6, 1.0));
            case SessionEnding.ServerFin:
                // Common server keep-alive timeouts: nginx 75 s, Apache 5 s, CDNs 15-120 s.
                f.Phase = ServerFin;
                return now + (r.Below(5) switch { 0 => 5, 1 => 15, 2 => 60, 3 => 75, _ => 120 }) * 1_000_000L + r.Micros(0, 50_000);
            case SessionEnding.Reset:
                f.Phase = Reset;
                return now + (long)Math.Min(120e6, r.LogNormal(2e6, 1.0));
            default:
                return -1;
        }
    }

    private static long ThinkTime(in FlowState f, RemoteService s, SampleRandom r)
    {
        if (f.ExchangeIndex == 1 && s.Protocol != ServiceProtocol.Http)
            return r.Micros(200, 2_000); // the request follows the handshake at once
        return s.Size switch
        {
            SizeClass.Persistent => r.Micros(30_000_000, 50_000_000),
            SizeClass.Media => r.Micros(1_000_000, 4_000_000),
            _ => (long)Math.Min(60e6, r.LogNormal(0.8e6, 1.5)),
        };
    }

    private static long GapFor(SizeClass size, SampleRandom r)
    {
        double packetsPerSecond = size switch
        {
            SizeClass.Media => r.LogNormal(1_500, 0.6),
            SizeClass.Download => r.LogNormal(2_500, 0.7),
            SizeClass.Upload => r.LogNormal(800, 0.6),
            _ => r.LogNormal(4_000, 0.8),
        };
        return Math.Max(20, (long)(1e6 / packetsPerSecond));
    }

    private static long React(SampleRandom r) => r.Micros(15, 120);

    /// <summary>Payload per full segment: MSS 1460 (IPv4) or 1440 (IPv6) less 12 bytes of timestamp option, so 1514-byte frames.</summary>
    private static int Mss(in FlowState f) => f.Ipv6 ? 1428 : 1448;

    private void Bare(Span<byte> frame, ref FlowState f, bool fromClient, byte flags, long now)
    {
        int o = Header(frame, ref f, fromClient, flags, now);
        _ctx.Commit(frame, o, now);
    }

    /// <summary>
    /// IP and TCP header with options: on SYNs MSS, SACK-permitted, timestamps and window scale (Linux's order),
    /// afterwards NOP, NOP, timestamps (RFC 7323 §3). TSval ticks in milliseconds from a per-side random base; TSecr
    /// echoes what the peer sent about half a round trip earlier.
    /// </summary>
    private int Header(Span<byte> frame, ref FlowState f, bool fromClient, byte flags, long now)
    {
        int l4 = _ctx.BeginIp(frame, ref f, fromClient, Frames.Tcp);
        bool syn = (flags & SynFlag) != 0;
        uint own = (fromClient ? f.ClientTsBase : f.ServerTsBase) + (uint)((now - f.StartMicros) / 1000);
        long seen = Math.Max(0, now - f.StartMicros - (f.RttMicros / 2));
        uint echo = (flags & AckFlag) == 0 ? 0 : (fromClient ? f.ServerTsBase : f.ClientTsBase) + (uint)(seen / 1000);
        Span<byte> options = stackalloc byte[20];
        int length;
        if (syn)
        {
            options[0] = 2;
            options[1] = 4;
            BinaryPrimitives.WriteUInt16BigEndian(options[2..], (ushort)(Mss(f) + 12));
            options[4] = 4;
            options[5] = 2;
            options[6] = 8;
            options[7] = 10;
            BinaryPrimitives.WriteUInt32BigEndian(options[8..], own);
            BinaryPrimitives.WriteUInt32BigEndian(options[12..], echo);
            options[16] = 1;
            options[17] = 3;
            options[18] = 3;
            options[19] = fromClient ? (byte)7 : (byte)9;
            length = 20;
        }
        else
        {
            options[0] = 1;
            options[1] = 1;
            options[2] = 8;
            options[3] = 10;
            BinaryPrimitives.WriteUInt32BigEndian(options[4..], own);
            BinaryPrimitives.WriteUInt32BigEndian(options[8..], echo);
            length = 12;
        }
        uint seq = fromClient ? f.ClientSeq : f.ServerSeq;
        uint ack = (flags & AckFlag) != 0 ? (fromClient ? f.ServerSeq : f.ClientSeq) : 0;
        ushort window = syn ? (fromClient ? (ushort)64_240 : (ushort)65_535) : (fromClient ? f.ClientWindow : f.ServerWindow);
        return fromClient
            ? Frames.TcpHeader(frame, l4, f.ClientPort, f.ServerPort, seq, ack, flags, window, options[..length])
            : Frames.TcpHeader(frame, l4, f.ServerPort, f.ClientPort, seq, ack, flags, window, options[..length]);
    }
}
