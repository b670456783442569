using TapSensor.Sample.Payloads;

namespace TapSensor.Sample.Household;

/// <summary>
/// QUIC v1 sessions on UDP 443 (RFC 9000): the client's protected Initial with the ClientHello, the server's
/// Initial and Handshake flight, the client's Handshake coalesced with its first 1-RTT request, then 1-RTT
/// exchanges with the client acknowledging every second packet (RFC 9000 §13.2.1). Connections end with a
/// CONNECTION_CLOSE or simply go idle.
/// </summary>
internal sealed class QuicSessionEmitter
{
    private const byte ClientInitial = 0, ServerInitial = 1, ServerHandshake = 2, ClientFinished = 3, ServerData = 4,
        ClientAck = 5, LastAck = 6, Request = 7, Close = 8;

    private const int ConnectionIdLength = 8;

    private readonly FrameContext _ctx;

    public QuicSessionEmitter(FrameContext context) => _ctx = context;

    public void Open(ref FlowState f, in SessionPlan plan)
    {
        SampleRandom r = _ctx.Random;
        f.Kind = FlowKind.Quic;
        f.Phase = ClientInitial;
        f.ExchangesLeft = plan.Exchanges;
        f.UnitsLeft = plan.Units;
        f.Ending = plan.Ending;
        // Chrome sends a zero-length source connection id; Safari and Firefox send eight bytes.
        f.ClientIdLength = r.Chance(0.5) ? (byte)0 : (byte)ConnectionIdLength;
        f.GapMicros = Math.Max(20, (long)(1e6 / r.LogNormal(3_000, 0.7)));
    }

    public long Emit(ref FlowState f, long now)
    {
        SampleRandom r = _ctx.Random;
        Span<byte> frame = _ctx.Writer.NextFrame();
        Span<byte> originalId = stackalloc byte[ConnectionIdLength];
        Span<byte> serverId = stackalloc byte[ConnectionIdLength];
        Span<byte> clientId = stackalloc byte[ConnectionIdLength];
        SeededBytes.Fill(originalId, f.Secret ^ 0x0D);
        SeededBytes.Fill(serverId, f.Secret ^ 0x05);
        SeededBytes.Fill(clientId, f.Secret ^ 0x0C);
        Span<byte> clientCid = clientId[..f.ClientIdLength];
        int maxPayload = f.Ipv6 ? 1330 : 1350;

        switch (f.Phase)
        {
            case ClientInitial:
            {
                int o = _ctx.BeginUdp(frame, ref f, true);
                int datagram = r.Below(3) switch { 0 => 1200, 1 => 1250, _ => 1252 };
                int n = QuicPackets.WriteClientInitial(frame[o..], _ctx.Quic, originalId, clientCid,
                    _ctx.ServiceOf(f).NameBytes, f.Secret, datagram);
                _ctx.Commit(frame, o + n, now);
                f.Phase = ServerInitial;
                return now + f.RttMicros;
            }
            case ServerInitial:
            {
                int o = _ctx.BeginUdp(frame, ref f, false);
                int n = QuicPackets.WriteServerInitial(frame[o..], _ctx.Quic, originalId, clientCid, serverId, f.Secret);
                int datagram = r.Between(1_200, 1_252);
                n += QuicPackets.WriteHandshake(frame[(o + n)..], clientCid, serverId, datagram - n, r);
                _ctx.Commit(frame, o + n, now);
                f.Phase = ServerHandshake;
                return now + r.Micros(100, 1_000);
            }
            case ServerHandshake:
            {
                int o = _ctx.BeginUdp(frame, ref f, false);
                int n = QuicPackets.WriteHandshake(frame[o..], clientCid, serverId, r.Between(700, 1_200), r);
                _ctx.Commit(frame, o + n, now);
                f.Phase = ClientFinished;
                return now + r.Micros(200, 2_000);
            }
            case ClientFinished:
            {
                // Handshake ACK and Finished coalesced with the first request in a short-header packet (RFC 9000 §12.2).
                int o = _ctx.BeginUdp(frame, ref f, true);
                int n = QuicPackets.WriteHandshake(frame[o..], serverId, clientCid, r.Between(60, 90), r);
                n += QuicPackets.WriteShort(frame[(o + n)..], serverId, r.Between(60, 400), r);
                _ctx.Commit(frame, o + n, now);
                return StartResponse(ref f, now, maxPayload);
            }
            case Request:
            {
                int o = _ctx.BeginUdp(frame, ref f, true);
                int n = QuicPackets.WriteShort(frame[o..], serverId, r.Between(50, 400), r);
                _ctx.Commit(frame, o + n, now);
                return StartResponse(ref f, now, maxPayload);
            }
            case ServerData:
            {
                int n = (int)Math.Min(maxPayload, f.BytesLeft);
                int o = _ctx.BeginUdp(frame, ref f, false);
                n = QuicPackets.WriteShort(frame[o..], clientCid, n, r);
                _ctx.Commit(frame, o + n, now);
                f.BytesLeft = Math.Max(0, f.BytesLeft - n);
                f.SinceAck++;
                f.LastDataMicros = now;
                if (f.BytesLeft == 0)
                {
                    f.Phase = LastAck;
                    return now + r.Micros(1_000, 25_000); // max_ack_delay defaults to 25 ms (RFC 9000 §18.2)
                }
                if (f.SinceAck >= 2)
                {
                    f.Phase = ClientAck;
                    return now + Math.Min(r.Micros(15, 120), Math.Max(1, f.GapMicros / 2));
                }
                return now + f.GapMicros;
            }
            case ClientAck:
            {
                int o = _ctx.BeginUdp(frame, ref f, true);
                int n = QuicPackets.WriteShort(frame[o..], serverId, r.Between(40, 60), r);
                _ctx.Commit(frame, o + n, now);
                f.SinceAck = 0;
                f.Phase = ServerData;
                return Math.Max(now, f.LastDataMicros + f.GapMicros);
            }
            case LastAck:
            {
                int o = _ctx.BeginUdp(frame, ref f, true);
                int n = QuicPackets.WriteShort(frame[o..], serverId, r.Between(40, 60), r);
                _ctx.Commit(frame, o + n, now);
                if (f.ExchangesLeft > 0)
                {
                    f.Phase = Request;
                    return now + (_ctx.ServiceOf(f).Size == SizeClass.Media
                        ? r.Micros(1_000_000, 4_000_000)
                        : (long)Math.Min(60e6, r.LogNormal(0.8e6, 1.5)));
                }
                if (f.Ending != SessionEnding.ClientFin)
                    return -1;
                f.Phase = Close;
                return now + (long)Math.Min(120e6, r.LogNormal(20e6, 1.0));
            }
            case Close:
            {
                int o = _ctx.BeginUdp(frame, ref f, true);
                int n = QuicPackets.WriteShort(frame[o..], serverId, r.Between(40, 70), r);
                _ctx.Commit(frame, o + n, now);
                return -1;
            }
            default:
                return -1;
        }
    }

    private long StartResponse(ref FlowState f, long now, int maxPayload)
    {
        f.BytesLeft = ExchangeVolume.Next(ref f, maxPayload, _ctx.ServiceOf(f).Size, _ctx.Random);
        f.SinceAck = 0;
        f.Phase = ServerData;
        return now + f.RttMicros + _ctx.Random.Micros(200, 20_000);
    }
}
