using TapSensor.Core.Flows;
using TapSensor.Core.Pipeline;
using TapSensor.Sinks.Influx.LineProtocol;

namespace TapSensor.Sinks.Influx.Points;

/// <summary>
/// The measurements TapSensor writes (README, "Data model: InfluxDB"). Tags are the dimensions a dashboard
/// groups by and must stay few per tag (sensor, device and its label, protocol, service, country, place, AS number,
/// local, close reason); addresses, names, ports, cities, coordinates and ids are fields, or every flow would open a series.
/// </summary>
internal static class InfluxSchema
{
    public static readonly LineKey Flows = LineKey.Measurement("flows");
    public static readonly LineKey DeviceTraffic = LineKey.Measurement("device_traffic");
    public static readonly LineKey Sensor = LineKey.Measurement("sensor");
    public static readonly LineKey NewDestinations = LineKey.Measurement("new_destinations");

    // Tags
    public static readonly LineKey SensorTag = LineKey.Key("sensor");
    public static readonly LineKey DeviceTag = LineKey.Key("device");
    public static readonly LineKey DeviceLabelTag = LineKey.Key("device_label");
    public static readonly LineKey PlaceTag = LineKey.Key("place");
    public static readonly LineKey ProtocolTag = LineKey.Key("protocol");
    public static readonly LineKey ServiceTag = LineKey.Key("service");
    public static readonly LineKey CountryTag = LineKey.Key("country");
    public static readonly LineKey AsnTag = LineKey.Key("asn");
    public static readonly LineKey LocalTag = LineKey.Key("local");
    public static readonly LineKey CloseReasonTag = LineKey.Key("close_reason");

    // flows fields
    public static readonly LineKey OrigIpBytes = LineKey.Key("orig_ip_bytes");
    public static readonly LineKey RespIpBytes = LineKey.Key("resp_ip_bytes");
    public static readonly LineKey OrigPkts = LineKey.Key("orig_pkts");
    public static readonly LineKey RespPkts = LineKey.Key("resp_pkts");
    public static readonly LineKey OrigBytes = LineKey.Key("orig_bytes");
    public static readonly LineKey RespBytes = LineKey.Key("resp_bytes");
    public static readonly LineKey UpIpBytes = LineKey.Key("up_ip_bytes");
    public static readonly LineKey DownIpBytes = LineKey.Key("down_ip_bytes");
    public static readonly LineKey Duration = LineKey.Key("duration");
    public static readonly LineKey RemoteIp = LineKey.Key("remote_ip");
    public static readonly LineKey RemotePort = LineKey.Key("remote_port");
    public static readonly LineKey RemoteName = LineKey.Key("remote_name");
    public static readonly LineKey RemoteNameSource = LineKey.Key("remote_name_source");
    public static readonly LineKey LocalIp = LineKey.Key("local_ip");
    public static readonly LineKey DeviceName = LineKey.Key("device_name");
    public static readonly LineKey City = LineKey.Key("city");
    public static readonly LineKey Lat = LineKey.Key("lat");
    public static readonly LineKey Lon = LineKey.Key("lon");
    public static readonly LineKey AccuracyKm = LineKey.Key("accuracy_km");
    public static readonly LineKey Org = LineKey.Key("org");
    public static readonly LineKey CommunityId = LineKey.Key("community_id");
    public static readonly LineKey Uid = LineKey.Key("uid");
    public static readonly LineKey ConnState = LineKey.Key("conn_state");

    /// <summary><c>new_destinations</c> keeps the AS number as an integer field (it is a tag in <c>flows</c>).</summary>
    public static readonly LineKey AsnField = LineKey.Key("asn");

    // device_traffic fields
    public static readonly LineKey BytesUp = LineKey.Key("bytes_up");
    public static readonly LineKey BytesDown = LineKey.Key("bytes_down");
    public static readonly LineKey PacketsUp = LineKey.Key("packets_up");
    public static readonly LineKey PacketsDown = LineKey.Key("packets_down");

    // sensor fields
    public static readonly LineKey Packets = LineKey.Key("packets");
    public static readonly LineKey WireBytes = LineKey.Key("wire_bytes");
    public static readonly LineKey KernelDropped = LineKey.Key("drops_kernel");
    public static readonly LineKey InterfaceDropped = LineKey.Key("drops_interface");
    public static readonly LineKey RingDropped = LineKey.Key("drops_ring");
    public static readonly LineKey DecodeErrors = LineKey.Key("decode_errors");
    public static readonly LineKey ActiveFlows = LineKey.Key("active_flows");
    public static readonly LineKey FlowsEvicted = LineKey.Key("flows_evicted");
    public static readonly LineKey Records = LineKey.Key("records");
    public static readonly LineKey RecordsDropped = LineKey.Key("records_dropped");
    public static readonly LineKey PointsWritten = LineKey.Key("points_written");
    public static readonly LineKey PointsRetried = LineKey.Key("points_retried");
    public static readonly LineKey PointsSpooled = LineKey.Key("points_spooled");
    public static readonly LineKey PointsReplayed = LineKey.Key("points_replayed");
    public static readonly LineKey PointsRejected = LineKey.Key("points_rejected");
    public static readonly LineKey PointsDropped = LineKey.Key("points_dropped");
    public static readonly LineKey BatchesFailed = LineKey.Key("batches_failed");
    public static readonly LineKey SpoolPoints = LineKey.Key("spool_points");
    public static readonly LineKey SpoolBytes = LineKey.Key("spool_bytes");
    public static readonly LineKey QueuePoints = LineKey.Key("queue_points");
    public static readonly LineKey UptimeSeconds = LineKey.Key("uptime_seconds");

    private static readonly string True = "true";
    private static readonly string False = "false";

    /// <summary>One <c>flows</c> point for a final record, at the record's start. Returns false if nothing was written.</summary>
    public static bool WriteFlow(LineWriter w, PointBuffer output, FlowPoint p, string device, string? deviceLabel = null, string? place = null)
    {
        w.Begin(output, Flows);
        w.Tag(SensorTag, p.Sensor);
        w.Tag(DeviceTag, device);
        w.Tag(DeviceLabelTag, deviceLabel);
        w.Tag(ProtocolTag, p.Protocol);
        w.Tag(ServiceTag, p.Service);
        w.Tag(CountryTag, p.Country);
        w.Tag(PlaceTag, place);
        w.Tag(AsnTag, p.Asn);
        w.Tag(LocalTag, p.Local is { } local ? (local ? True : False) : null);
        w.Tag(CloseReasonTag, p.CloseReason);

        w.Field(OrigIpBytes, p.OrigIpBytes);
        w.Field(RespIpBytes, p.RespIpBytes);
        w.Field(OrigPkts, p.OrigPkts);
        w.Field(RespPkts, p.RespPkts);
        w.Field(OrigBytes, p.OrigBytes);
        w.Field(RespBytes, p.RespBytes);
        w.Field(UpIpBytes, p.UpIpBytes);
        w.Field(DownIpBytes, p.DownIpBytes);
        w.Field(Duration, p.DurationSeconds);
        Span<byte> text = stackalloc byte[FlowAddress.MaxLength];
        if (!p.RemoteAddress.IsNone) w.FieldUtf8(RemoteIp, text[..p.RemoteAddress.Format(text)]);
        if (p.RemotePort is { } port) w.Field(RemotePort, (long)port);
        if (!p.LocalAddress.IsNone) w.FieldUtf8(LocalIp, text[..p.LocalAddress.Format(text)]);
        w.Field(RemoteName, p.RemoteName);
        w.Field(RemoteNameSource, p.RemoteNameSource);
        w.Field(DeviceName, p.DeviceName);
        w.Field(City, p.City);
        w.Field(Lat, p.Latitude);
        w.Field(Lon, p.Longitude);
        if (p.AccuracyKm is { } accuracy) w.Field(AccuracyKm, (long)accuracy);
        w.Field(Org, p.Org);
        if (!p.CommunityId.IsEmpty) w.FieldUtf8(CommunityId, p.CommunityId);
        if (!p.Uid.IsEmpty) w.FieldUtf8(Uid, p.Uid);
        w.Field(ConnState, p.ConnState);
        return w.End(p.StartNs);
    }

    /// <summary>One <c>device_traffic</c> point: a device's IP bytes and packets over one interval.</summary>
    public static bool WriteDeviceTraffic(LineWriter w, PointBuffer output, string sensor, in TrafficSeries series, in DeviceTotals t, long timestampNs)
    {
        w.Begin(output, DeviceTraffic);
        w.Tag(SensorTag, sensor);
        w.Tag(DeviceTag, series.Device);
        w.Tag(DeviceLabelTag, series.Label);
        w.Tag(CountryTag, series.Country);
        w.Tag(ProtocolTag, series.Protocol);
        w.Field(BytesUp, t.BytesUp);
        w.Field(BytesDown, t.BytesDown);
        w.Field(PacketsUp, t.PacketsUp);
        w.Field(PacketsDown, t.PacketsDown);
        w.Field(DeviceName, t.DeviceName);
        return w.End(timestampNs);
    }

    /// <summary>
    /// One <c>new_destinations</c> point: a device reached a destination for the first time (<see cref="Points.Destinations"/>),
    /// at the record's start. Tags as in <c>flows</c> (device, label, protocol, service, country); what identifies
    /// the destination is fields.
    /// </summary>
    public static bool WriteDestination(LineWriter w, PointBuffer output, FlowPoint p, string device, string deviceLabel)
    {
        w.Begin(output, NewDestinations);
        w.Tag(SensorTag, p.Sensor);
        w.Tag(DeviceTag, device);
        w.Tag(DeviceLabelTag, deviceLabel);
        w.Tag(ProtocolTag, p.Protocol);
        w.Tag(ServiceTag, p.Service);
        w.Tag(CountryTag, p.Country);
        Span<byte> text = stackalloc byte[FlowAddress.MaxLength];
        w.FieldUtf8(RemoteIp, text[..p.RemoteAddress.Format(text)]);
        if (p.RemotePort is { } port) w.Field(RemotePort, (long)port);
        w.Field(RemoteName, p.RemoteName);
        w.Field(RemoteNameSource, p.RemoteNameSource);
        w.Field(City, p.City);
        w.Field(Lat, p.Latitude);
        w.Field(Lon, p.Longitude);
        w.Field(Org, p.Org);
        if (p.Asn is { } asn) w.Field(AsnField, asn);
        return w.End(p.StartNs);
    }

    /// <summary>One <c>sensor</c> point: the sensor's own counters (totals since start) and this sink's.</summary>
    public static bool WriteSensor(LineWriter w, PointBuffer output, string sensor, SensorStats? s, InfluxCounters c,
        long queuedPoints, long spoolPoints, long spoolBytes, double uptimeSeconds, long timestampNs)
    {
        w.Begin(output, Sensor);
        w.Tag(SensorTag, sensor);
        if (s is { } stats)
        {
            w.Field(Packets, stats.Packets);
            w.Field(WireBytes, stats.WireBytes);
            w.Field(KernelDropped, stats.KernelDropped);
            w.Field(InterfaceDropped, stats.InterfaceDropped);
            w.Field(RingDropped, stats.RingDropped);
            w.Field(DecodeErrors, stats.DecodeErrors);
            w.Field(ActiveFlows, stats.ActiveFlows);
            w.Field(FlowsEvicted, stats.FlowsEvicted);
            w.Field(Records, stats.Records);
            w.Field(RecordsDropped, stats.RecordsDropped);
        }
        w.Field(PointsWritten, c.Written);
        w.Field(PointsRetried, c.Retried);
        w.Field(PointsSpooled, c.Spooled);
        w.Field(PointsReplayed, c.Replayed);
        w.Field(PointsRejected, c.Rejected);
        w.Field(PointsDropped, c.Dropped);
        w.Field(BatchesFailed, c.BatchesFailed);
        w.Field(SpoolPoints, spoolPoints);
        w.Field(SpoolBytes, spoolBytes);
        w.Field(QueuePoints, queuedPoints);
        w.Field(UptimeSeconds, uptimeSeconds);
        return w.End(timestampNs);
    }
}

/// <summary>A device's traffic over one interval, summed from the records' deltas.</summary>
internal struct DeviceTotals
{
    public long BytesUp;
    public long BytesDown;
    public long PacketsUp;
    public long PacketsDown;
    public string? DeviceName;
}
