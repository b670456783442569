using TapSensor.Core.Flows;

namespace TapSensor.Sinks.Influx.Points;

/// <summary>
/// Fills a <see cref="FlowPoint"/> from a <see cref="FlowRecord"/>: its counters, and what the household
/// enrichment put on it (device, service, remote name, location) when the sensor learns names;
/// <see cref="IFlowPointEnricher"/> may add or override after. This is the seam where the schema meets the
/// records; keep it cheap: it runs once per record on the aggregator thread.
/// </summary>
public sealed class FlowPointMapper
{
    private readonly ulong _uidSeed;
    private readonly ushort _communityIdSeed;

    /// <param name="uidSeed">Seed of the uids: the same as the JSON-lines writer's, so a point and its conn record share a uid.</param>
    /// <param name="communityIdSeed">Community ID seed (0 is what everyone else uses).</param>
    public FlowPointMapper(ulong uidSeed = 0, ushort communityIdSeed = 0)
    {
        _uidSeed = uidSeed;
        _communityIdSeed = communityIdSeed;
    }

    public void Map(in FlowRecord r, FlowPoint p)
    {
        p.Clear();
        p.IsFinal = r.IsFinal;
        p.StartNs = r.FirstNs;
        p.EndNs = r.LastNs;
        p.Protocol = FlowKey.ProtocolName(r.Key.Protocol);
        p.OrigBytes = r.OrigBytes;
        p.RespBytes = r.RespBytes;
        p.OrigPkts = r.OrigPkts;
        p.RespPkts = r.RespPkts;
        p.OrigIpBytes = r.OrigIpBytes;
        p.RespIpBytes = r.RespIpBytes;
        p.DeltaOrigPkts = r.DeltaOrigPkts;
        p.DeltaRespPkts = r.DeltaRespPkts;
        p.DeltaOrigIpBytes = r.DeltaOrigIpBytes;
        p.DeltaRespIpBytes = r.DeltaRespIpBytes;
        p.DurationSeconds = Math.Max(0, r.LastNs - r.FirstNs) / 1e9;
        // The household (when the sensor learns names) says which end is the device; otherwise a guess.
        SetLocalEnd(in r, p, FlowAddress.LocalIsOriginator(in r));
        if (r.Device is { } device)
        {
            p.Device = device.Id;
            p.DeviceName = device.Name;
            p.DeviceVendor = device.Vendor;
            p.DeviceMac = device.KeyedByAddress ? 0 : device.Mac;
            p.Local = r.Local;
        }
        p.Service = r.Service;
        if (r.RemoteName is not null)
        {
            p.RemoteName = r.RemoteName;
            p.RemoteNameSource = RemoteNameSources.Name(r.RemoteNameSource);
        }
        if (r.Location is { } place)
        {
            p.Country = place.CountryCode;
            p.City = place.City;
            p.Latitude = place.Latitude;
            p.Longitude = place.Longitude;
            p.AccuracyKm = place.AccuracyKm;
            p.Asn = place.Asn;
            p.Org = place.Organisation;
        }

        if (!r.IsFinal) return;
        p.ConnState = Core.Flows.ConnState.Name(in r);
        p.CloseReason = CloseReasonNames.Name(r.Reason);
        FlowUid.Format(in r, _uidSeed, p.UidBuffer);
        p.SetUidLength(FlowUid.Length);
        CommunityId.Format(in r, _communityIdSeed, p.CommunityIdBuffer);
        p.SetCommunityIdLength(Core.Flows.CommunityId.Length);
    }

    /// <summary>Sets which end is local and the local/remote address, MAC and port that follow from it.</summary>
    public static void SetLocalEnd(in FlowRecord r, FlowPoint p, bool localIsOriginator)
    {
        p.LocalIsOriginator = localIsOriginator;
        var orig = FlowAddress.Originator(in r);
        var resp = FlowAddress.Responder(in r);
        p.LocalAddress = localIsOriginator ? orig : resp;
        p.RemoteAddress = localIsOriginator ? resp : orig;
        p.LocalMac = localIsOriginator ? r.OrigMac : r.RespMac;
        p.RemotePort = localIsOriginator ? r.RespPort : r.OrigPort;
    }

    /// <summary>Until device enrichment says which addresses are the household's: see <see cref="FlowAddress.GuessLocalIsOriginator"/>.</summary>
    public static bool GuessLocalIsOriginator(in FlowRecord r) => FlowAddress.GuessLocalIsOriginator(in r);
}
