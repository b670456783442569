using System.Text;
using TapSensor.Core.Flows;
using TapSensor.Sinks.Influx.LineProtocol;
using TapSensor.Sinks.Influx.Points;
using TapSensor.Sinks.Influx.Tests.Infrastructure;

namespace TapSensor.Sinks.Influx.Tests.Points;

public sealed class FlowPointMapperTests
{
    [Fact]
    public void A_final_record_fills_the_record_fields_and_leaves_enrichment_null()
    {
        var r = Records.Final(orig: "192.168.1.10", origPort: 51514, resp: "203.0.113.7", respPort: 443);
        var p = new FlowPoint();
        new FlowPointMapper(uidSeed: 7).Map(in r, p);

        Assert.True(p.IsFinal);
        Assert.Equal("tcp", p.Protocol);
        Assert.True(p.LocalIsOriginator);
        Assert.Equal("192.168.1.10", p.LocalAddress.ToString());
        Assert.Equal("203.0.113.7", p.RemoteAddress.ToString());
        Assert.Equal(443, p.RemotePort);
        Assert.Equal(0x0200_0000_0001UL, p.LocalMac);
        Assert.Equal((1_000L, 20_000L, 10L, 12L, 480L, 19_376L), (p.OrigIpBytes, p.RespIpBytes, p.OrigPkts, p.RespPkts, p.OrigBytes, p.RespBytes));
        Assert.Equal(1.5, p.DurationSeconds);
        Assert.Equal("SF", p.ConnState);
        Assert.Equal("fin", p.CloseReason);
        Assert.Equal(FlowUid.Format(in r, 7), p.UidText);
        Assert.Equal(CommunityId.Compute(in r), p.CommunityIdText);
        Assert.Null(p.Device);
        Assert.Null(p.Service);
        Assert.Null(p.Country);
        Assert.Null(p.Asn);
        Assert.Null(p.Latitude);
        Assert.Null(p.Local);
    }

    [Fact]
    public void A_record_enriched_by_the_household_gives_device_names_service_and_location()
    {
        var household = new TapSensor.Core.Devices.Household(new TapSensor.Core.Devices.HouseholdOptions
        {
            Devices = [new TapSensor.Core.Devices.DeviceAlias { Match = "02:00:00:00:00:01", Name = "Anna's iPhone" }],
        }, locator: new Frankfurt());
        // An inbound flow: the device is the responder.
        var r = Records.Final(orig: "203.0.113.7", origPort: 443, resp: "192.168.1.10", respPort: 51514);
        r.RespMac = 0x0200_0000_0001;
        r.OrigMac = 0x0200_0000_0099;
        r.RemoteName = "video.example-cdn.net";
        r.RemoteNameSource = RemoteNameSource.TlsSni;
        r.App = AppProtocol.Tls;
        household.Enrich(ref r);

        var p = new FlowPoint();
        new FlowPointMapper().Map(in r, p);

        Assert.False(p.LocalIsOriginator);
        Assert.Equal("192.168.1.10", p.LocalAddress.ToString());
        Assert.Equal("203.0.113.7", p.RemoteAddress.ToString());
        Assert.Equal("02:00:00:00:00:01", p.Device);
        Assert.Equal("Anna's iPhone", p.DeviceName);
        Assert.False(p.Local);
        Assert.Equal("https", p.Service); // TLS from the server port 443 (the remote end here)
        Assert.Equal(("video.example-cdn.net", "tls_sni"), (p.RemoteName, p.RemoteNameSource));
        Assert.Equal(("DE", "Frankfurt am Main", 50.11, 8.68, 20, 64500L, "Example Networks"),
            (p.Country, p.City, p.Latitude, p.Longitude, p.AccuracyKm, p.Asn, p.Org));
    }

    private sealed class Frankfurt : TapSensor.Core.Devices.IRemoteLocator
    {
        public TapSensor.Core.Devices.RemoteLocation? Locate(ulong hi, ulong lo, byte family) =>
            new("DE", "Hesse", "Frankfurt am Main", 50.11, 8.68, 20, 64500, "Example Networks");
    }

    [Fact]
    public void An_interim_record_has_no_ids_or_close_reason()
    {
        var r = Records.Interim();
        var p = new FlowPoint();
        new FlowPointMapper().Map(in r, p);
        Assert.False(p.IsFinal);
        Assert.True(p.Uid.IsEmpty);
        Assert.True(p.CommunityId.IsEmpty);
        Assert.Null(p.CloseReason);
    }

    [Theory]
    [InlineData("192.168.1.10", "8.8.8.8", true)]
    [InlineData("8.8.8.8", "192.168.1.10", false)]
    [InlineData("192.168.1.10", "192.168.1.20", true)]
    [InlineData("2001:db8::10", "2001:db8:1::1", true)]
    [InlineData("2001:db8::10", "fd00::5", false)]
    public void Until_enrichment_knows_the_household_the_private_end_is_the_local_one(string orig, string resp, bool localIsOriginator)
    {
        var r = Records.Final(orig: orig, resp: resp);
        Assert.Equal(localIsOriginator, FlowPointMapper.GuessLocalIsOriginator(in r));
        var p = new FlowPoint();
        new FlowPointMapper().Map(in r, p);
        Assert.Equal(localIsOriginator ? resp : orig, p.RemoteAddress.ToString());
        Assert.Equal(localIsOriginator ? r.RespPort : r.OrigPort, p.RemotePort);
        Assert.Equal(localIsOriginator ? r.OrigMac : r.RespMac, p.LocalMac);
    }

    [Fact]
    public void Up_and_down_follow_the_local_end()
    {
        var r = Records.Final(orig: "8.8.8.8", resp: "192.168.1.10", origIpBytes: 111, respIpBytes: 999);
        var p = new FlowPoint();
        new FlowPointMapper().Map(in r, p);
        Assert.Equal(999, p.UpIpBytes);
        Assert.Equal(111, p.DownIpBytes);
    }

    [Fact]
    public void The_device_is_the_enrichment_id_else_the_local_MAC_else_the_local_IP()
    {
        var keys = new DeviceKeys();
        var p = new FlowPoint();
        var r = Records.Final(origMac: 0x3C_A6_2F_F2_AF_6D);
        new FlowPointMapper().Map(in r, p);
        Assert.Equal("3c:a6:2f:f2:af:6d", keys.KeyOf(p));
        Assert.Same(keys.KeyOf(p), keys.KeyOf(p));

        r = Records.Final(orig: "2001:db8::10", origMac: 0, respMac: 0);
        new FlowPointMapper().Map(in r, p);
        Assert.Equal("2001:db8::10", keys.KeyOf(p));

        p.Device = "dev-42";
        Assert.Equal("dev-42", keys.KeyOf(p));
    }

    [Fact]
    public void A_flows_line_carries_every_schema_field_the_point_has()
    {
        var r = Records.Final(orig: "192.168.1.10", resp: "203.0.113.7", firstNs: 1_767_225_600_123_456_789, lastNs: 1_767_225_601_623_456_789);
        var p = new FlowPoint();
        new FlowPointMapper(uidSeed: 7).Map(in r, p);
        p.Sensor = "attic";
        p.Device = "dev-42";
        p.DeviceName = "Kitchen speaker";
        p.Service = "https";
        p.Local = false;
        p.RemoteName = "example.org";
        p.RemoteNameSource = "sni";
        p.Country = "NL";
        p.City = "Amsterdam";
        p.Latitude = 52.37;
        p.Longitude = 4.89;
        p.AccuracyKm = 20;
        p.Asn = 64_496;
        p.Org = "Example, Inc.";

        using var b = new PointBuffer(1024);
        Assert.True(InfluxSchema.WriteFlow(new LineWriter(TimestampPrecision.Microseconds), b, p, "dev-42", "Kitchen speaker", "Amsterdam, NL"));
        string expected =
            "flows,asn=64496,close_reason=fin,country=NL,device=dev-42,device_label=Kitchen\\ speaker,local=false,place=Amsterdam\\,\\ NL,"
            + "protocol=tcp,sensor=attic,service=https "
            + "orig_ip_bytes=1000i,resp_ip_bytes=20000i,orig_pkts=10i,resp_pkts=12i,orig_bytes=480i,resp_bytes=19376i,"
            + "up_ip_bytes=1000i,down_ip_bytes=20000i,duration=1.5,remote_ip=\"203.0.113.7\",remote_port=443i,local_ip=\"192.168.1.10\","
            + "remote_name=\"example.org\",remote_name_source=\"sni\",device_name=\"Kitchen speaker\",city=\"Amsterdam\",lat=52.37,lon=4.89,"
            + "accuracy_km=20i,org=\"Example, Inc.\",community_id=\"" + CommunityId.Compute(in r) + "\",uid=\"" + FlowUid.Format(in r, 7)
            + "\",conn_state=\"SF\" 1767225600123456\n";
        Assert.Equal(expected, Encoding.UTF8.GetString(b.WrittenSpan));
    }
}
