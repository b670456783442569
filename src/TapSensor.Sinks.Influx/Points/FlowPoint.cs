using TapSensor.Core.Flows;
using System.Runtime.CompilerServices;
using System.Text;

namespace TapSensor.Sinks.Influx.Points;

/// <summary>
/// One flow record as the InfluxDB schema sees it: a plain bag of values, filled from the record by
/// <see cref="FlowPointMapper"/> and then by the enrichment (device, names, geolocation) through
/// <see cref="IFlowPointEnricher"/>. Everything the record does not know is null; a null tag or field is left
/// out of the line. One instance is reused for every record (<see cref="Clear"/>), so the strings put here
/// should come from caches (interned names, geo results), not be built per record.
/// <para>
/// Direction: <see cref="LocalIsOriginator"/> says which end is in the household (the "device"); up means
/// sent by that end. The record's originator/responder counters keep Zeek's meaning.
/// </para>
/// </summary>
public sealed class FlowPoint
{
    private IdBytes _uid;
    private IdBytes _communityId;
    private byte _uidLength;
    private byte _communityIdLength;

    // ---- set by the sink ----
    /// <summary>The <c>sensor</c> tag.</summary>
    public string Sensor { get; set; } = "";

    // ---- from the record ----
    /// <summary>A final record (finished flow, or a slice ended by the active timeout); false for an interim report.</summary>
    public bool IsFinal { get; set; }
    /// <summary>Start of the record (its first packet), Unix nanoseconds: the <c>flows</c> point's time.</summary>
    public long StartNs { get; set; }
    /// <summary>The record's latest packet, Unix nanoseconds.</summary>
    public long EndNs { get; set; }
    /// <summary><c>tcp</c>, <c>udp</c>, <c>icmp</c> (v4 and v6), <c>sctp</c> or <c>unknown_transport</c>.</summary>
    public string Protocol { get; set; } = "";
    /// <summary>The originator is the household's end; the mapper guesses from the addresses, enrichment knows.</summary>
    public bool LocalIsOriginator { get; set; } = true;
    public FlowAddress LocalAddress { get; set; }
    /// <summary>Ethernet address of the local end, 0 when the link has none.</summary>
    public ulong LocalMac { get; set; }
    public FlowAddress RemoteAddress { get; set; }
    public int? RemotePort { get; set; }
    public long OrigBytes { get; set; }
    public long RespBytes { get; set; }
    public long OrigPkts { get; set; }
    public long RespPkts { get; set; }
    public long OrigIpBytes { get; set; }
    public long RespIpBytes { get; set; }
    /// <summary>Change since the previous report of the record (interim and final records), for per-device sums.</summary>
    public long DeltaOrigPkts { get; set; }
    public long DeltaRespPkts { get; set; }
    public long DeltaOrigIpBytes { get; set; }
    public long DeltaRespIpBytes { get; set; }
    public double DurationSeconds { get; set; }
    /// <summary>Zeek's conn_state (final records).</summary>
    public string? ConnState { get; set; }
    /// <summary>fin, rst, idle, active, evicted, end_of_capture, shutdown (final records).</summary>
    public string? CloseReason { get; set; }

    // ---- enrichment: null until known ----
    /// <summary>Stable device id; when null the sink uses the local end's MAC, else its IP address.</summary>
    public string? Device { get; set; }
    public string? DeviceName { get; set; }
    /// <summary>The device's vendor (IEEE registry), for its label when it has no name.</summary>
    public string? DeviceVendor { get; set; }
    /// <summary>The device's own MAC; 0 when it has none or is known by its address (behind a router, whose MAC is not its own).</summary>
    public ulong DeviceMac { get; set; }
    /// <summary>Application protocol or well-known service (dns, https, quic, ...).</summary>
    public string? Service { get; set; }
    /// <summary>Both ends are in the household.</summary>
    public bool? Local { get; set; }
    public string? RemoteName { get; set; }
    /// <summary>Where <see cref="RemoteName"/> came from: dns, sni, http, quic, mdns, dhcp, ...</summary>
    public string? RemoteNameSource { get; set; }
    /// <summary>ISO 3166-1 alpha-2 country code of the remote end.</summary>
    public string? Country { get; set; }
    public string? City { get; set; }
    public double? Latitude { get; set; }
    public double? Longitude { get; set; }
    /// <summary>Accuracy radius of the location, in kilometres.</summary>
    public int? AccuracyKm { get; set; }
    public long? Asn { get; set; }
    /// <summary>Organisation owning the AS.</summary>
    public string? Org { get; set; }

    public long UpIpBytes => LocalIsOriginator ? OrigIpBytes : RespIpBytes;
    public long DownIpBytes => LocalIsOriginator ? RespIpBytes : OrigIpBytes;
    public long DeltaUpIpBytes => LocalIsOriginator ? DeltaOrigIpBytes : DeltaRespIpBytes;
    public long DeltaDownIpBytes => LocalIsOriginator ? DeltaRespIpBytes : DeltaOrigIpBytes;
    public long DeltaUpPkts => LocalIsOriginator ? DeltaOrigPkts : DeltaRespPkts;
    public long DeltaDownPkts => LocalIsOriginator ? DeltaRespPkts : DeltaOrigPkts;

    /// <summary>The Zeek-style uid of the record (ASCII), empty for interim records.</summary>
    public ReadOnlySpan<byte> Uid => ((ReadOnlySpan<byte>)_uid)[.._uidLength];

    /// <summary>The Community ID v1 (ASCII), empty for interim records.</summary>
    public ReadOnlySpan<byte> CommunityId => ((ReadOnlySpan<byte>)_communityId)[.._communityIdLength];

    /// <summary>Room for an id written in place by <see cref="FlowPointMapper"/>; call <see cref="SetUidLength"/> after.</summary>
    internal Span<byte> UidBuffer => _uid;
    internal Span<byte> CommunityIdBuffer => _communityId;
    internal void SetUidLength(int length) => _uidLength = (byte)Math.Min(length, IdBytes.Capacity);
    internal void SetCommunityIdLength(int length) => _communityIdLength = (byte)Math.Min(length, IdBytes.Capacity);

    public string UidText => Encoding.ASCII.GetString(Uid);
    public string CommunityIdText => Encoding.ASCII.GetString(CommunityId);

    /// <summary>Resets every value, ready for the next record.</summary>
    public void Clear()
    {
        Sensor = "";
        IsFinal = false;
        StartNs = EndNs = 0;
        Protocol = "";
        LocalIsOriginator = true;
        LocalAddress = RemoteAddress = default;
        LocalMac = DeviceMac = 0;
        RemotePort = null;
        OrigBytes = RespBytes = OrigPkts = RespPkts = OrigIpBytes = RespIpBytes = 0;
        DeltaOrigPkts = DeltaRespPkts = DeltaOrigIpBytes = DeltaRespIpBytes = 0;
        DurationSeconds = 0;
        ConnState = CloseReason = null;
        Device = DeviceName = DeviceVendor = Service = RemoteName = RemoteNameSource = Country = City = Org = null;
        Local = null;
        Latitude = Longitude = null;
        AccuracyKm = null;
        Asn = null;
        _uidLength = _communityIdLength = 0;
    }

    [InlineArray(Capacity)]
    internal struct IdBytes
    {
        public const int Capacity = 40;
        private byte _element;
    }
}
