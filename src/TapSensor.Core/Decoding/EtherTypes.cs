using System.Runtime.CompilerServices;
namespace TapSensor.Core.Decoding;

/// <summary>
/// EtherType dispatch shared by every header that names its payload with an EtherType (Ethernet, Linux SLL,
/// Cisco HDLC, GRE). VLAN tags are read here so that they may follow any of those headers.
/// </summary>
internal static class EtherTypes
{
    /// <summary>Values up to 1500 are an IEEE 802.3 length, not a type (IEEE 802.3 §3.2.6): LLC frames, never IP for us.</summary>
    public const ushort MaxLength = 1500;
    public const ushort Ipv4 = 0x0800;
    public const ushort Ipv6 = 0x86DD;
    public const ushort Vlan = 0x8100;         // IEEE 802.1Q customer tag
    public const ushort ProviderVlan = 0x88A8; // IEEE 802.1ad service tag (QinQ)
    public const ushort LegacyQinq = 0x9100;   // pre-802.1ad QinQ outer tag, still sent by some switches
    public const ushort PppoeDiscovery = 0x8863;
    public const ushort PppoeSession = 0x8864;
    public const ushort MplsUnicast = 0x8847;
    public const ushort MplsMulticast = 0x8848;
    public const ushort TransparentEthernetBridging = 0x6558;
    public const ushort ErspanType2 = 0x88BE;
    public const ushort ErspanType3 = 0x22EB;
    public const ushort ProviderBackboneBridging = 0x88E7; // IEEE 802.1ah I-TAG
    public const ushort Arp = 0x0806;

    /// <summary>At most two tags (QinQ) per link header; a third is counted as an anomaly, as Suricata's vlan.too_many_layers.</summary>
    public const int MaxVlanTags = 2;

    private const int VlanTagLength = 4;
    private const int BackboneServiceTagLength = 4;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static DecodeStatus Decode(ref DecodeContext ctx)
    {
        int o = ctx.Offset;
        ushort type = ctx.EtherType;
        for (int i = 0; i <= MaxVlanTags; i++)
        {
            if (type != Vlan && type != ProviderVlan && type != LegacyQinq) break;
            if (ctx.VlanTags == MaxVlanTags) return DecodeStatus.VlanTooManyTags;
            if (ctx.Available(o) < VlanTagLength) return DecodeStatus.VlanTruncated;
            // IEEE 802.1Q §9.6: TCI = PCP(3) DEI(1) VID(12). The innermost tag is the one that keys the flow.
            ctx.Vlan = (ushort)(ctx.U16(o) & 0x0FFF);
            ctx.VlanTags++;
            type = ctx.U16(o + 2);
            o += VlanTagLength;
        }
        ctx.Offset = o;

        switch (type)
        {
            case Ipv4: ctx.Next = Layer.Ipv4; return DecodeStatus.Ok;
            case Ipv6: ctx.Next = Layer.Ipv6; return DecodeStatus.Ok;
            case PppoeSession: ctx.Next = Layer.PppoeSession; return DecodeStatus.Ok;
            case MplsUnicast:
            case MplsMulticast: ctx.Next = Layer.Mpls; return DecodeStatus.Ok;
            case ProviderBackboneBridging:
                // IEEE 802.1ah §9.7: the I-TAG (priority, flags and a 24-bit service id) precedes the customer's
                // own Ethernet header, whose VLAN tags then key the flow.
                if (ctx.Available(o) < BackboneServiceTagLength) return DecodeStatus.PbbTruncated;
                ctx.Offset = o + BackboneServiceTagLength;
                ctx.Next = Layer.Ethernet;
                return DecodeStatus.Ok;
            case Arp:
                // No flow, but the device-discovery lane wants it (address bindings).
                if (!ctx.HasIp) ctx.ArpOffset = o;
                return DecodeStatus.NotIp;
            // LLDP, STP, PPPoE discovery, 802.3 lengths and everything else carry no IP.
            default: return DecodeStatus.NotIp;
        }
    }
}
