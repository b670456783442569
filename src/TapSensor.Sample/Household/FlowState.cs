using TapSensor.Sample.Wire;

namespace TapSensor.Sample.Household;

internal enum FlowKind : byte
{
    Tcp,
    Quic,
    Dns,
    Ntp,
    Ping,
    /// <summary>A device's DHCP join, then its ARP, NDP and mDNS chatter for the rest of the capture.</summary>
    Link,
}

/// <summary>
/// The state of one conversation between packets, kept in a flat array and updated by ref; the emitters are
/// state machines over <see cref="Phase"/> that write one packet per call.
/// </summary>
internal struct FlowState
{
    public FlowKind Kind;
    public byte Phase;
    public bool Ipv6;
    public bool Counted;
    public SessionEnding Ending;
    public int Device;
    public int Service;
    public int AddressIndex;

    public uint RemoteV4;
    public Ip6 RemoteV6;
    public byte RemoteTtl;
    public ushort ClientPort;
    public ushort ServerPort;
    public ushort ClientIpId;
    public ushort ServerIpId;
    public uint FlowLabel;

    public long StartMicros;
    public long RttMicros;
    public long GapMicros;
    public long LastDataMicros;

    public uint ClientSeq;
    public uint ServerSeq;
    public uint ClientTsBase;
    public uint ServerTsBase;
    public ushort ClientWindow;
    public ushort ServerWindow;

    public int ExchangesLeft;
    public int ExchangeIndex;
    public long UnitsLeft;
    public long BytesLeft;
    public int SinceAck;
    public bool HeadPending;
    /// <summary>Length of the pending HTTP response head, which the first response segment starts with.</summary>
    public int HeadLength;

    /// <summary>Seeds the flow's TLS randoms and QUIC connection ids (see <see cref="Payloads.SeededBytes"/>).</summary>
    public ulong Secret;
    public byte ClientIdLength;
    public ushort DnsId;
    public int Counter;
}
