using System.Buffers.Binary;
using System.Text;
using TapSensor.Core.Decoding;
using TapSensor.Core.Flows;
using TapSensor.Core.Names;
using TapSensor.Core.Packets;
using TapSensor.Testing.Pcap;

namespace TapSensor.Core.Tests.Names;

/// <summary>
/// The names our parsers find in a capture, fed the way a flow worker would feed them: every packet through the
/// <see cref="PacketDecoder"/>, payloads gathered per flow and direction in capture order, TCP bytes placed by
/// sequence number (so retransmissions and reordering do not garble the stream) up to the first
/// <see cref="TcpWindow"/> bytes, and the parsers called each time the in-order prefix grows, until they answer.
/// UDP datagrams go to the QUIC parser one by one, each direction with its own assembly. Both directions are
/// tried: the parsers themselves must refuse the server's side.
/// </summary>
internal sealed class CaptureNames
{
    public const int TcpWindow = 16 * 1024;

    /// <summary>Datagrams per UDP flow direction offered to the QUIC parser before it is given up.</summary>
    public const int MaxDatagrams = 32;

    public SortedSet<string> Tls { get; } = new(StringComparer.Ordinal);
    public SortedSet<string> Quic { get; } = new(StringComparer.Ordinal);
    public SortedSet<string> Http { get; } = new(StringComparer.Ordinal);

    /// <summary>Parser answers other than Found, by parser, for the test output.</summary>
    public Dictionary<string, int> Outcomes { get; } = new(StringComparer.Ordinal);

    public static CaptureNames Read(string path)
    {
        var names = new CaptureNames();
        var decoder = new PacketDecoder(0x5EED);
        var summary = new PacketSummary();
        var tcp = new Dictionary<(FlowKey, bool), TcpDirection>();
        var udp = new Dictionary<(FlowKey, bool), UdpDirection>();
        using var quic = new QuicInitialParser();
        PcapReader reader = PcapReader.Open(path);
        while (reader.TryRead(out PcapRecord record))
        {
            ReadOnlySpan<byte> frame = record.Data.Span;
            if (decoder.Decode(record.LinkType, frame, record.WireLength, record.TimestampNs, ref summary, out int start, out int captured)
                != DecodeStatus.Ok)
                continue;
            if ((summary.Flags & PacketFlags.Fragment) != 0) continue; // payload of one fragment is not a segment
            FlowKey key = summary.Key;
            ReadOnlySpan<byte> payload = frame.Slice(start, captured);
            var direction = (key, summary.SrcIsA);
            if (key.Protocol == IpProtocol.Tcp)
            {
                ushort srcPort = summary.SrcIsA ? key.PortA : key.PortB, dstPort = summary.SrcIsA ? key.PortB : key.PortA;
                if (!TryReadSequence(frame, start, srcPort, dstPort, out uint sequence)) continue;
                if (!tcp.TryGetValue(direction, out TcpDirection? t)) tcp.Add(direction, t = new TcpDirection());
                t.Add(names, sequence, summary.TcpFlags, payload);
            }
            else if (key.Protocol == IpProtocol.Udp && !payload.IsEmpty)
            {
                if (!udp.TryGetValue(direction, out UdpDirection? u)) udp.Add(direction, u = new UdpDirection());
                u.Add(names, quic, payload);
            }
        }
        return names;
    }

    /// <summary>
    /// The TCP header ends where the payload starts; its data offset (byte 12) and ports confirm where it begins.
    /// </summary>
    private static bool TryReadSequence(ReadOnlySpan<byte> frame, int payloadStart, ushort srcPort, ushort dstPort, out uint sequence)
    {
        for (int length = 20; length <= 60 && length <= payloadStart; length += 4)
        {
            ReadOnlySpan<byte> h = frame.Slice(payloadStart - length, length);
            if (h[12] >> 4 == length / 4 && BinaryPrimitives.ReadUInt16BigEndian(h) == srcPort
                && BinaryPrimitives.ReadUInt16BigEndian(h[2..]) == dstPort)
            {
                sequence = BinaryPrimitives.ReadUInt32BigEndian(h[4..]);
                return true;
            }
        }
        sequence = 0;
        return false;
    }

    private void Count(string parser, NameParse status)
    {
        string outcome = $"{parser} {status}";
        Outcomes[outcome] = Outcomes.GetValueOrDefault(outcome) + 1;
    }

    private sealed class TcpDirection
    {
        private readonly byte[] _data = new byte[TcpWindow];
        private readonly bool[] _filled = new bool[TcpWindow];
        private bool _haveBase;
        private uint _base;
        private int _contiguous;
        private bool _tlsDone, _httpDone;

        public void Add(CaptureNames names, uint sequence, byte flags, ReadOnlySpan<byte> payload)
        {
            const byte Syn = 0x02;
            if ((flags & Syn) != 0)
            {
                sequence++; // the SYN takes one sequence number (RFC 9293 §3.4); data on a SYN (TFO) follows it
                _base = sequence;
                _haveBase = true;
            }
            if (payload.IsEmpty || _tlsDone && _httpDone) return;
            if (!_haveBase)
            {
                _base = sequence; // the capture started after the handshake: the first segment seen starts the stream
                _haveBase = true;
            }
            int offset = (int)(sequence - _base);
            if (offset < 0 || offset >= TcpWindow) return;
            int length = Math.Min(payload.Length, TcpWindow - offset);
            payload[..length].CopyTo(_data.AsSpan(offset));
            _filled.AsSpan(offset, length).Fill(true);
            int before = _contiguous;
            while (_contiguous < TcpWindow && _filled[_contiguous]) _contiguous++;
            if (_contiguous == before) return;

            ReadOnlySpan<byte> stream = _data.AsSpan(0, _contiguous);
            if (!_tlsDone)
            {
                NameParse status = TlsClientHello.TryGetServerName(stream, out ReadOnlySpan<byte> name, out _);
                _tlsDone = status != NameParse.NeedMore;
                if (status == NameParse.Found) names.Tls.Add(Encoding.Latin1.GetString(name));
                else if (_tlsDone) names.Count("tls", status);
            }
            if (!_httpDone)
            {
                NameParse status = HttpRequestHost.TryGetHost(stream, out ReadOnlySpan<byte> host);
                _httpDone = status != NameParse.NeedMore;
                if (status == NameParse.Found) names.Http.Add(Encoding.Latin1.GetString(host));
                else if (_httpDone) names.Count("http", status);
            }
        }
    }

    private sealed class UdpDirection
    {
        private readonly QuicCryptoAssembly _assembly = new();
        private int _datagrams;
        private bool _done;

        public void Add(CaptureNames names, QuicInitialParser parser, ReadOnlySpan<byte> datagram)
        {
            if (_done || ++_datagrams > MaxDatagrams) return;
            NameParse status = parser.TryGetServerName(datagram, _assembly, out ReadOnlySpan<byte> name);
            if (status == NameParse.Found) names.Quic.Add(Encoding.Latin1.GetString(name));
            if (status != NameParse.NotApplicable) names.Count("quic", status);
            // A Malformed datagram (a server Initial, a lost first Initial) does not end the flow's chances.
            _done = status is NameParse.Found or NameParse.NotFound;
        }
    }
}
