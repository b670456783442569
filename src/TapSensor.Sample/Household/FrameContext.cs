using System.Buffers.Binary;
using TapSensor.Sample.Payloads;
using TapSensor.Sample.Wire;

namespace TapSensor.Sample.Household;

/// <summary>
/// What every emitter shares: the pcap writer, the random source, the household and the helpers that address a
/// flow's packets. Remote traffic always passes the router, so its MAC is on the far side of every session.
/// </summary>
internal sealed class FrameContext : IDisposable
{
    private const int PoolLength = 1 << 16;
    private readonly byte[] _pool = new byte[PoolLength];

    public FrameContext(PcapFileWriter writer, SampleRandom random, HouseholdModel model, long startUnixMicros)
    {
        Writer = writer;
        Random = random;
        Model = model;
        StartUnixMicros = startUnixMicros;
        random.Fill(_pool);
    }

    public PcapFileWriter Writer { get; }
    public SampleRandom Random { get; }
    public HouseholdModel Model { get; }
    public long StartUnixMicros { get; }
    public QuicPacketProtection Quic { get; } = new();

    public Device DeviceOf(in FlowState f) => Model.Devices[f.Device];

    public RemoteService ServiceOf(in FlowState f) => Model.Services[f.Service];

    /// <summary>Encrypted payloads look random: copy a slice of a random pool instead of drawing fresh bytes.</summary>
    public void FillOpaque(Span<byte> destination)
    {
        int offset = Random.Below(PoolLength - destination.Length);
        _pool.AsSpan(offset, destination.Length).CopyTo(destination);
    }

    /// <summary>Ethernet and IP header of a flow's packet in one direction; returns the transport header offset.</summary>
    public int BeginIp(Span<byte> frame, ref FlowState f, bool fromClient, byte protocol)
    {
        Device d = DeviceOf(f);
        ulong router = Model.RouterMac;
        if (f.Ipv6)
        {
            Frames.Ethernet(frame, fromClient ? router : d.Mac, fromClient ? d.Mac : router, Frames.EtherTypeIpv6);
            return fromClient
                ? Frames.Ipv6Header(frame, d.Global, f.RemoteV6, protocol, d.Profile.Ttl, f.FlowLabel)
                : Frames.Ipv6Header(frame, f.RemoteV6, d.Global, protocol, f.RemoteTtl, f.FlowLabel ^ 0x5_A5A5);
        }
        Frames.Ethernet(frame, fromClient ? router : d.Mac, fromClient ? d.Mac : router, Frames.EtherTypeIpv4);
        return fromClient
            ? Frames.Ipv4Header(frame, d.V4, f.RemoteV4, protocol, f.ClientIpId++, d.Profile.Ttl, dontFragment: true)
            : Frames.Ipv4Header(frame, f.RemoteV4, d.V4, protocol, f.ServerIpId++, f.RemoteTtl, dontFragment: true);
    }

    /// <summary>Ethernet, IP and UDP headers of a flow's datagram; returns the UDP payload offset.</summary>
    public int BeginUdp(Span<byte> frame, ref FlowState f, bool fromClient)
    {
        int l4 = BeginIp(frame, ref f, fromClient, Frames.Udp);
        return fromClient
            ? Frames.UdpHeader(frame, l4, f.ClientPort, f.ServerPort)
            : Frames.UdpHeader(frame, l4, f.ServerPort, f.ClientPort);
    }

    /// <summary>Finishes the frame ending at <paramref name="end"/> and adds it to the capture.</summary>
    public void Commit(Span<byte> frame, int end, long micros)
    {
        int length = Frames.Finish(frame, end);
        Writer.Commit(StartUnixMicros + micros, length);
    }

    /// <summary>Writes a full IPv4 UDP datagram between LAN-side parties outside any session (DHCP, mDNS).</summary>
    public int BeginLinkUdp(Span<byte> frame, ulong destinationMac, ulong sourceMac, uint source, uint destination,
        ushort sourcePort, ushort destinationPort, byte ttl)
    {
        Frames.Ethernet(frame, destinationMac, sourceMac, Frames.EtherTypeIpv4);
        int l4 = Frames.Ipv4Header(frame, source, destination, Frames.Udp, Random.NextUInt16(), ttl, dontFragment: false);
        return Frames.UdpHeader(frame, l4, sourcePort, destinationPort);
    }

    /// <summary>Address the DNS answer points at: the one the following session connects to.</summary>
    public int WriteAnswerAddresses(Span<byte> destination, in FlowState f, out int addressLength)
    {
        RemoteService s = ServiceOf(f);
        int count = f.Ipv6 ? s.V6.Length : s.V4.Length;
        addressLength = f.Ipv6 ? 16 : 4;
        int o = 0;
        for (int k = 0; k < count; k++)
        {
            // The chosen address first, as resolvers rotate answers and clients take the first.
            int i = (f.AddressIndex + k) % count;
            if (f.Ipv6)
                s.V6[i].Write(destination[o..]);
            else
                BinaryPrimitives.WriteUInt32BigEndian(destination[o..], s.V4[i]);
            o += addressLength;
        }
        return o;
    }

    public void Dispose() => Quic.Dispose();
}
