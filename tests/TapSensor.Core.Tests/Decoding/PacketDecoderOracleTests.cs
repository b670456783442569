using System.Net;
using PacketDotNet;
using TapSensor.Core.Decoding;
using TapSensor.Core.Flows;
using TapSensor.Testing.Packets;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace TapSensor.Core.Tests.Decoding;

/// <summary>PacketDotNet as an oracle: on random valid packets both decoders must read the same fields.</summary>
public sealed class PacketDecoderOracleTests(ITestOutputHelper output)
{
    private const int Cases = 1500;
    private const int Seed = 7_140_611;

    [Fact]
    public void Random_valid_packets_agree_with_packetdotnet()
    {
        output.WriteLine($"seed {Seed}");
        var rng = new Random(Seed);
        var harness = new DecoderHarness();
        for (int i = 0; i < Cases; i++)
        {
            (PacketBuilder builder, string description) = RandomPacket(rng);
            byte[] frame = builder.Build();
            try
            {
                Compare(harness.Decode(frame), Packet.ParsePacket(LinkLayers.Ethernet, frame));
            }
            catch (Exception e) when (e is not XunitException)
            {
                throw new XunitException($"seed {Seed} case {i} ({description}) {Convert.ToHexString(frame)}: {e}");
            }
            catch (XunitException e)
            {
                throw new XunitException($"seed {Seed} case {i} ({description}) {Convert.ToHexString(frame)}: {e.Message}");
            }
        }
        Assert.Equal(Cases, harness.Counters.Read(DecodeStatus.Ok));
    }

    private static void Compare(Decoded ours, Packet theirs)
    {
        Assert.Equal(DecodeStatus.Ok, ours.Status);
        var ethernet = (EthernetPacket)theirs;
        Assert.Equal(PacketBuilder.MacValue(ethernet.SourceHardwareAddress.GetAddressBytes()), ours.Summary.SrcMac);
        Assert.Equal(PacketBuilder.MacValue(ethernet.DestinationHardwareAddress.GetAddressBytes()), ours.Summary.DstMac);
        Ieee8021QPacket? vlan = theirs.Extract<Ieee8021QPacket>();
        Assert.Equal(vlan?.VlanIdentifier ?? 0, ours.Key.Vlan);

        IPPacket ip = theirs.Extract<IPPacket>();
        Assert.Equal(Endpoint(ip.SourceAddress, SourcePort(theirs)), ours.Src);
        Assert.Equal(Endpoint(ip.DestinationAddress, DestinationPort(theirs)), ours.Dst);
        Assert.Equal(ip is IPv4Packet v4 ? v4.TotalLength : ((IPv6Packet)ip).PayloadLength + 40, ours.Summary.IpLength);

        switch (ip.PayloadPacket)
        {
            case TcpPacket tcp:
                Assert.Equal(6, ours.Key.Protocol);
                Assert.Equal((byte)tcp.Flags, ours.Summary.TcpFlags);
                Assert.Equal(tcp.PayloadData?.Length ?? 0, ours.Summary.PayloadLength);
                break;
            case UdpPacket udp:
                Assert.Equal(17, ours.Key.Protocol);
                Assert.Equal(udp.PayloadData?.Length ?? 0, ours.Summary.PayloadLength);
                break;
            case IcmpV4Packet:
                Assert.Equal(1, ours.Key.Protocol);
                break;
            case IcmpV6Packet:
                Assert.Equal(58, ours.Key.Protocol);
                break;
            default:
                throw new XunitException($"PacketDotNet read {ip.PayloadPacket?.GetType().Name ?? "no transport"}");
        }
    }

    private static ushort SourcePort(Packet p)
    {
        if (p.Extract<TransportPacket>() is { } transport) return transport.SourcePort;
        if (p.Extract<IcmpV4Packet>() is { } icmp4) return (ushort)((int)icmp4.TypeCode >> 8);
        return (ushort)p.Extract<IcmpV6Packet>().Type;
    }

    // The counterpart table is the keying rule under test elsewhere; here PacketDotNet supplies the type and code.
    private static ushort DestinationPort(Packet p)
    {
        if (p.Extract<TransportPacket>() is { } transport) return transport.DestinationPort;
        if (p.Extract<IcmpV4Packet>() is { } icmp4) return IcmpDecoder.Counterpart4((byte)((int)icmp4.TypeCode >> 8), out byte c4) ? c4 : (byte)icmp4.TypeCode;
        IcmpV6Packet icmp6 = p.Extract<IcmpV6Packet>();
        return IcmpDecoder.Counterpart6((byte)icmp6.Type, out byte c6) ? c6 : icmp6.Code;
    }

    private static string Endpoint(IPAddress address, ushort port) =>
        address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{address}]:{port}" : $"{address}:{port}";

    private static (PacketBuilder, string) RandomPacket(Random rng)
    {
        bool v6 = rng.Next(2) == 0;
        int kind = rng.Next(5);
        PacketBuilder builder = kind switch
        {
            0 or 1 => TestPackets.Tcp().TcpFlags((byte)rng.Next(256)),
            2 or 3 => TestPackets.Udp(),
            _ => TestPackets.Icmp().IcmpType(RandomIcmpType(rng, v6), (byte)rng.Next(4)),
        };
        string src = RandomAddress(rng, v6), dst = RandomAddress(rng, v6);
        builder.From(src, (ushort)rng.Next(65536)).To(dst, (ushort)rng.Next(65536))
            .SrcMac(RandomMac(rng)).DstMac(RandomMac(rng))
            .PayloadLength(rng.Next(0, 600));
        if (kind < 2 && rng.Next(3) == 0) builder.TcpOptions([.. Enumerable.Repeat((byte)1, rng.Next(1, 41))]);
        if (rng.Next(4) == 0) builder.Vlan((ushort)rng.Next(1, 4095));
        return (builder, $"{(v6 ? "v6" : "v4")} kind {kind} {src} -> {dst}");
    }

    private static byte RandomIcmpType(Random rng, bool v6)
    {
        byte[] types = v6 ? [1, 2, 3, 4, 128, 129, 133, 134, 135, 136, 143] : [0, 3, 5, 8, 9, 10, 11, 13, 14, 17, 18];
        return types[rng.Next(types.Length)];
    }

    private static string RandomAddress(Random rng, bool v6)
    {
        byte[] bytes = new byte[v6 ? 16 : 4];
        rng.NextBytes(bytes);
        if (v6) bytes[0] = 0x20; // a global unicast prefix keeps IPAddress from printing mapped or compatible forms
        return new IPAddress(bytes).ToString();
    }

    private static string RandomMac(Random rng)
    {
        byte[] bytes = new byte[6];
        rng.NextBytes(bytes);
        return string.Join(':', bytes.Select(b => b.ToString("x2")));
    }
}
