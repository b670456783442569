using System.Buffers.Binary;
using TapSensor.Core.Flows;
using TapSensor.Core.Packets;

namespace TapSensor.Core.Discovery;

/// <summary>
/// A flow worker's name parsers. Payloads reach it only when the capture thread kept them
/// (<see cref="NameCandidates"/>): discovery messages become <see cref="Observation"/>s for the aggregator;
/// the first client payloads of a flow (TLS, HTTP, QUIC) name the flow itself. One per worker, owned by its
/// thread. Parse failures are counted in <see cref="Counters"/> and never leave this class.
/// </summary>
internal sealed partial class NameLearner : IDisposable
{
    private const byte Tcp = 6;
    private const byte Udp = 17;
    private const byte Icmpv6 = 58;

    private readonly DnsAnswerReader _dns = new();

    public NameCounters Counters { get; } = new();

    /// <summary>An ARP frame (no flow).</summary>
    public void OnLinkPacket(in PacketSummary packet, ReadOnlySpan<byte> arp, IObservationWriter output)
    {
        var status = LinkMessages.TryParseArp(arp, out ulong mac, out var address);
        if (status == DiscoveryParse.Ok)
        {
            Counters.Add(NameEvent.ArpBinding);
            output.Write(new Observation { Kind = ObservationKind.Binding, TimestampNs = packet.TimestampNs, Mac = mac, Address = address });
        }
        else if (status != DiscoveryParse.Ignored)
        {
            Counters.Add(NameEvent.ArpMalformed);
        }
    }

    /// <summary>A flow packet whose payload was kept; <paramref name="entry"/> is its flow.</summary>
    public void OnPayload(in PacketSummary packet, ReadOnlySpan<byte> payload, ref FlowEntry entry, IObservationWriter output)
    {
        ref readonly FlowKey key = ref packet.Key;
        bool srcIsA = packet.SrcIsA;
        ushort srcPort = srcIsA ? key.PortA : key.PortB;
        ushort dstPort = srcIsA ? key.PortB : key.PortA;
        switch (key.Protocol)
        {
            case Udp:
                if (srcPort == 5353 || dstPort == 5353) { entry.App = AppProtocol.Mdns; Mdns(in packet, payload, output); }
                else if (srcPort == 53) { entry.App = AppProtocol.Dns; Dns(in packet, payload, output); }
                else if (srcPort is 67 or 68 && dstPort is 67 or 68) { entry.App = AppProtocol.Dhcp; Dhcp(in packet, payload, output); }
                else if (srcPort is 546 or 547 && dstPort is 546 or 547) { entry.App = AppProtocol.Dhcpv6; Dhcpv6(in packet, payload, output); }
                else if (srcPort == 137 || dstPort == 137) { entry.App = AppProtocol.Netbios; Netbios(in packet, payload, output); }
                else if (srcPort != 53 && dstPort != 53) FlowName(in packet, payload, ref entry);
                break;
            case Tcp:
                if (srcPort == 53) { entry.App = AppProtocol.Dns; DnsOverTcp(in packet, payload, output); }
                else if (dstPort != 53) FlowName(in packet, payload, ref entry);
                break;
            case Icmpv6:
                Ndp(in packet, payload, output);
                break;
        }
    }

    private static NetAddress Source(in PacketSummary p) =>
        p.SrcIsA ? new NetAddress(p.Key.AHi, p.Key.ALo, p.Key.Family) : new NetAddress(p.Key.BHi, p.Key.BLo, p.Key.Family);

    private static NetAddress Destination(in PacketSummary p) =>
        p.SrcIsA ? new NetAddress(p.Key.BHi, p.Key.BLo, p.Key.Family) : new NetAddress(p.Key.AHi, p.Key.ALo, p.Key.Family);

    private void DnsOverTcp(in PacketSummary packet, ReadOnlySpan<byte> payload, IObservationWriter output)
    {
        // RFC 1035 §4.2.2: a two-byte length, then the message. Only whole messages in one segment are read.
        if (payload.Length < 2) return;
        int length = BinaryPrimitives.ReadUInt16BigEndian(payload);
        if (length + 2 > payload.Length)
        {
            Counters.Add(NameEvent.DnsTcpPartial);
            return;
        }
        Dns(in packet, payload.Slice(2, length), output);
    }

    private void Dns(in PacketSummary packet, ReadOnlySpan<byte> message, IObservationWriter output)
    {
        if (!DnsMessage.TryReadFlags(message, out ushort flags))
        {
            Counters.Add(NameEvent.DnsTruncated);
            return;
        }
        // Responses to standard queries with no error carry answers; anything else names nothing.
        if ((flags & 0x8000) == 0 || ((flags >> 11) & 0xF) != 0 || (flags & 0xF) != 0) return;
        Counters.Add(NameEvent.DnsResponse);
        var status = _dns.Read(message);
        if (status == DiscoveryParse.Malformed) Counters.Add(NameEvent.DnsMalformed);
        else if (status == DiscoveryParse.Truncated) Counters.Add(NameEvent.DnsTruncated);
        if (!_dns.HasQuestion) return;
        var answers = _dns.ResolveQuestion();
        if (answers.IsEmpty) return;
        Counters.Add(NameEvent.DnsAnswered);
        // The client is the response's receiver.
        output.Write(new Observation
        {
            Kind = ObservationKind.DnsAnswer,
            TimestampNs = packet.TimestampNs,
            Mac = packet.DstMac,
            Address = Destination(in packet),
            Name = _dns.QuestionText(),
        }, answers);
    }

    private void Mdns(in PacketSummary packet, ReadOnlySpan<byte> message, IObservationWriter output)
    {
        if (!DnsMessage.TryReadFlags(message, out ushort flags) || (flags & 0x8000) == 0) return;
        var status = DnsMessage.TryParse(message, out var dns, lowercase: false);
        if (status == DiscoveryParse.Malformed) Counters.Add(NameEvent.MdnsMalformed);
        if (dns is null) return;
        var source = Source(in packet);
        var named = new HashSet<NetAddress>();
        foreach (var r in dns.Records)
        {
            if (r.Type is not (DnsMessage.TypeA or DnsMessage.TypeAaaa)) continue;
            if (!r.Owner.EndsWith(".local", StringComparison.OrdinalIgnoreCase)) continue;
            string host = r.Owner[..^".local".Length];
            if (host.Length == 0 || host.Contains('.', StringComparison.Ordinal) || !named.Add(r.Address)) continue;
            Counters.Add(NameEvent.MdnsName);
            // A host announces its own name; a record for another address names whoever holds that address.
            bool own = r.Address == source;
            output.Write(new Observation
            {
                Kind = ObservationKind.DeviceName,
                TimestampNs = packet.TimestampNs,
                Mac = own ? packet.SrcMac : 0,
                Address = r.Address,
                Name = host,
                NameSource = DeviceNameSource.Mdns,
            });
        }
    }

    private void Dhcp(in PacketSummary packet, ReadOnlySpan<byte> message, IObservationWriter output)
    {
        Counters.Add(NameEvent.DhcpMessage);
        var status = DhcpMessage.TryParse(message, out var dhcp);
        if (status != DiscoveryParse.Ok) Counters.Add(NameEvent.DhcpMalformed);
        if (dhcp is null) return;
        ulong mac = dhcp.ClientMac != 0 ? dhcp.ClientMac : dhcp.IsFromClient ? packet.SrcMac : packet.DstMac;
        if (mac == 0) return;
        if (dhcp.IsFromClient)
        {
            var address = dhcp.BoundAddress;
            if (dhcp.HostName is not null) EmitName(packet, mac, address, dhcp.HostName, DeviceNameSource.DhcpHostname, dhcp.ClientId, dhcp.VendorClass, output);
            if (dhcp.ClientFqdn is not null) EmitName(packet, mac, address, dhcp.ClientFqdn, DeviceNameSource.DhcpFqdn, dhcp.ClientId, dhcp.VendorClass, output);
        }
        else if (dhcp.MessageType == DhcpMessage.MessageAck && !dhcp.YourAddress.IsUnspecified)
        {
            output.Write(new Observation { Kind = ObservationKind.Binding, TimestampNs = packet.TimestampNs, Mac = mac, Address = dhcp.YourAddress });
        }
    }

    private void EmitName(in PacketSummary packet, ulong mac, NetAddress address, string name, DeviceNameSource source,
        string? clientId, string? vendorClass, IObservationWriter output)
    {
        Counters.Add(source == DeviceNameSource.Dhcpv6Fqdn ? NameEvent.Dhcpv6Name : NameEvent.DhcpName);
        output.Write(new Observation
        {
            Kind = ObservationKind.DeviceName,
            TimestampNs = packet.TimestampNs,
            Mac = mac,
            Address = address,
            Name = name,
            NameSource = source,
            ClientId = clientId,
            VendorClass = vendorClass,
        });
    }

    private void Dhcpv6(in PacketSummary packet, ReadOnlySpan<byte> message, IObservationWriter output)
    {
        Counters.Add(NameEvent.Dhcpv6Message);
        var status = Dhcpv6Message.TryParse(message, out var dhcp);
        if (status is DiscoveryParse.Malformed or DiscoveryParse.Truncated) Counters.Add(NameEvent.Dhcpv6Malformed);
        if (dhcp is null) return;
        if (dhcp.IsFromClient)
        {
            ulong mac = packet.SrcMac != 0 ? packet.SrcMac : dhcp.DuidMac;
            if (mac != 0 && dhcp.ClientFqdn is not null)
                EmitName(packet, mac, Source(in packet), dhcp.ClientFqdn, DeviceNameSource.Dhcpv6Fqdn, dhcp.ClientDuid, null, output);
        }
        else if (packet.DstMac != 0 && !Devices.OuiRegistry.IsGroup(packet.DstMac))
        {
            foreach (var a in dhcp.Addresses)
                output.Write(new Observation { Kind = ObservationKind.Binding, TimestampNs = packet.TimestampNs, Mac = packet.DstMac, Address = a });
        }
    }

    private void Netbios(in PacketSummary packet, ReadOnlySpan<byte> message, IObservationWriter output)
    {
        var status = NetbiosNameMessage.TryParse(message, out string? name, out var address);
        if (status is DiscoveryParse.Malformed or DiscoveryParse.Truncated) { Counters.Add(NameEvent.NetbiosMalformed); return; }
        if (status != DiscoveryParse.Ok || name is null || address.IsUnspecified) return;
        Counters.Add(NameEvent.NetbiosName);
        bool own = address == Source(in packet);
        output.Write(new Observation
        {
            Kind = ObservationKind.DeviceName,
            TimestampNs = packet.TimestampNs,
            Mac = own ? packet.SrcMac : 0,
            Address = address,
            Name = name,
            NameSource = DeviceNameSource.Netbios,
        });
    }

    private void Ndp(in PacketSummary packet, ReadOnlySpan<byte> body, IObservationWriter output)
    {
        byte type = (byte)(packet.SrcIsA ? packet.Key.PortA : packet.Key.PortB);
        var status = LinkMessages.TryParseNdp(type, body, Source(in packet), packet.SrcMac, out ulong mac, out var address, out bool router);
        if (status is DiscoveryParse.Malformed or DiscoveryParse.Truncated) { Counters.Add(NameEvent.NdpMalformed); return; }
        if (status != DiscoveryParse.Ok) return;
        Counters.Add(NameEvent.NdpBinding);
        output.Write(new Observation { Kind = ObservationKind.Binding, TimestampNs = packet.TimestampNs, Mac = mac, Address = address });
        if (router) output.Write(new Observation { Kind = ObservationKind.Router, TimestampNs = packet.TimestampNs, Mac = mac, Address = address });
    }
}
