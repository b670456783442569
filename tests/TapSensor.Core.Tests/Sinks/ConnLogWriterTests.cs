using System.Text;
using System.Text.Json;
using TapSensor.Core.Flows;
using TapSensor.Sinks.JsonLines;

namespace TapSensor.Core.Tests.Sinks;

public sealed class ConnLogWriterTests
{
    private static FlowRecord FullTcpRecord()
    {
        FlowRecord r = Records.Between(Records.Tcp, "192.168.1.10", 51514, "203.0.113.7", 443, vlan: 42);
        r.Reason = CloseReason.Fin;
        r.History = FlowHistory.FirstWasSyn | FlowHistory.OrigSyn | FlowHistory.RespSynAck | FlowHistory.OrigAck
                    | FlowHistory.OrigData | FlowHistory.RespData | FlowHistory.OrigFin | FlowHistory.RespFin;
        r.FirstNs = 1_700_000_000_123_456_789;
        r.LastNs = 1_700_000_001_623_457_999;
        r.OrigPkts = 7;
        r.RespPkts = 6;
        r.OrigIpBytes = 1_100;
        r.RespIpBytes = 9_000;
        r.OrigBytes = 740;
        r.RespBytes = 8_100;
        r.OrigMac = 0x0011_2233_4455;
        r.RespMac = 0xAABB_CCDD_EEFF;
        return r;
    }

    private static List<JsonDocument> WriteAndParse(ConnLogWriterOptionsForTest options, params FlowRecord[] records)
    {
        using var stream = new MemoryStream();
        var writer = new ConnLogWriter(stream, ownsStream: false, options.UidSeed, options.CommunityIdSeed);
        writer.Write(records);
        writer.Complete();
        string text = Encoding.UTF8.GetString(stream.ToArray());
        Assert.EndsWith("\n", text, StringComparison.Ordinal);
        return text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line)).ToList();
    }

    private static JsonElement Single(params FlowRecord[] records) =>
        Assert.Single(WriteAndParse(new ConnLogWriterOptionsForTest(), records)).RootElement;

    [Fact]
    public void Final_tcp_record_is_written_with_every_zeek_field_in_order()
    {
        FlowRecord r = FullTcpRecord();
        JsonElement line = Assert.Single(WriteAndParse(new ConnLogWriterOptionsForTest(UidSeed: 11), r)).RootElement;

        string[] expectedNames =
        [
            "ts", "uid", "id.orig_h", "id.orig_p", "id.resp_h", "id.resp_p", "proto", "duration",
            "orig_bytes", "resp_bytes", "conn_state", "orig_pkts", "orig_ip_bytes", "resp_pkts", "resp_ip_bytes",
            "community_id", "close_reason", "vlan", "orig_l2_addr", "resp_l2_addr", "local",
        ];
        Assert.Equal(expectedNames, line.EnumerateObject().Select(p => p.Name).ToArray());

        Assert.Equal(1_700_000_000.123456m, line.GetProperty("ts").GetDecimal());
        Assert.Equal(FlowUid.Format(in r, 11), line.GetProperty("uid").GetString());
        Assert.Equal("192.168.1.10", line.GetProperty("id.orig_h").GetString());
        Assert.Equal(51514, line.GetProperty("id.orig_p").GetInt32());
        Assert.Equal("203.0.113.7", line.GetProperty("id.resp_h").GetString());
        Assert.Equal(443, line.GetProperty("id.resp_p").GetInt32());
        Assert.Equal("tcp", line.GetProperty("proto").GetString());
        Assert.Equal(1.500001m, line.GetProperty("duration").GetDecimal());
        Assert.Equal(740, line.GetProperty("orig_bytes").GetInt64());
        Assert.Equal(8_100, line.GetProperty("resp_bytes").GetInt64());
        Assert.Equal("SF", line.GetProperty("conn_state").GetString());
        Assert.Equal(7, line.GetProperty("orig_pkts").GetInt64());
        Assert.Equal(1_100, line.GetProperty("orig_ip_bytes").GetInt64());
        Assert.Equal(6, line.GetProperty("resp_pkts").GetInt64());
        Assert.Equal(9_000, line.GetProperty("resp_ip_bytes").GetInt64());
        Assert.Equal(CommunityId.Compute(in r), line.GetProperty("community_id").GetString());
        Assert.Equal("fin", line.GetProperty("close_reason").GetString());
        Assert.Equal(42, line.GetProperty("vlan").GetInt32());
        Assert.Equal("00:11:22:33:44:55", line.GetProperty("orig_l2_addr").GetString());
        Assert.Equal("aa:bb:cc:dd:ee:ff", line.GetProperty("resp_l2_addr").GetString());
    }

    [Fact]
    public void Times_are_written_as_seconds_with_six_decimals_truncated_to_the_microsecond()
    {
        FlowRecord r = FullTcpRecord();
        r.FirstNs = 1_000_000_000_000_000_999; // 999 ns past a whole second
        r.LastNs = r.FirstNs;

        using var stream = new MemoryStream();
        var writer = new ConnLogWriter(stream);
        writer.Write([r]);
        writer.Complete();
        string text = Encoding.UTF8.GetString(stream.ToArray());

        Assert.Contains("\"ts\":1000000000.000000,", text, StringComparison.Ordinal);
        Assert.Contains("\"duration\":0.000000,", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Originator_is_written_first_even_when_it_is_endpoint_b_of_the_key()
    {
        FlowRecord r = Records.Between(Records.Udp, "203.0.113.7", 5353, "192.168.1.10", 53);
        Assert.False(r.OrigIsA);

        JsonElement line = Single(r);

        Assert.Equal("203.0.113.7", line.GetProperty("id.orig_h").GetString());
        Assert.Equal(5353, line.GetProperty("id.orig_p").GetInt32());
        Assert.Equal("192.168.1.10", line.GetProperty("id.resp_h").GetString());
        Assert.Equal(53, line.GetProperty("id.resp_p").GetInt32());
        Assert.Equal("udp", line.GetProperty("proto").GetString());
    }

    [Theory]
    [InlineData("2001:db8::1", "2001:db8:0:0:1:0:0:2", "2001:db8::1:0:0:2")]
    [InlineData("fe80::4e6a:f6ff:fe9f:f627", "FF02::1:2", "ff02::1:2")]
    [InlineData("2001:470:e5bf:dead:4957:2174:e82c:4887", "2607:f8b0:400c:c03::1a", "2607:f8b0:400c:c03::1a")]
    public void Ipv6_addresses_are_written_in_compressed_lowercase_form(string orig, string resp, string expectedResp)
    {
        FlowRecord r = Records.Between(Records.Udp, orig, 546, resp, 547);

        JsonElement line = Single(r);

        Assert.Equal(orig, line.GetProperty("id.orig_h").GetString());
        Assert.Equal(expectedResp, line.GetProperty("id.resp_h").GetString());
    }

    [Fact]
    public void Icmpv6_is_written_as_icmp_with_type_and_code_as_ports()
    {
        FlowRecord r = Records.Between(Records.IcmpV6, "2001:db8::1", 128, "2001:db8::2", 129);

        JsonElement line = Single(r);

        Assert.Equal("icmp", line.GetProperty("proto").GetString());
        Assert.Equal(128, line.GetProperty("id.orig_p").GetInt32());
        Assert.Equal(129, line.GetProperty("id.resp_p").GetInt32());
        Assert.Equal("OTH", line.GetProperty("conn_state").GetString());
    }

    [Fact]
    public void Vlan_zero_unknown_macs_and_unknown_service_are_omitted()
    {
        FlowRecord r = Records.Between(Records.Udp, "192.168.1.52", 54585, "8.8.8.8", 53);

        JsonElement line = Single(r);

        Assert.False(line.TryGetProperty("vlan", out _));
        Assert.False(line.TryGetProperty("orig_l2_addr", out _));
        Assert.False(line.TryGetProperty("resp_l2_addr", out _));
        Assert.False(line.TryGetProperty("service", out _));
        Assert.False(line.TryGetProperty("device", out _));
        Assert.False(line.TryGetProperty("remote_name", out _));
        Assert.False(line.TryGetProperty("remote_country", out _));
        Assert.Equal(18, line.EnumerateObject().Count());
    }

    [Fact]
    public void Household_fields_follow_the_zeek_fields_when_known()
    {
        var household = new TapSensor.Core.Devices.Household(new TapSensor.Core.Devices.HouseholdOptions
        {
            Devices = [new TapSensor.Core.Devices.DeviceAlias { Match = "02:00:00:00:00:01", Name = "Anna's \"iPhone\"" }],
        }, locator: new Frankfurt());
        FlowRecord r = Records.Between(Records.Tcp, "192.168.1.10", 51514, "203.0.113.7", 443);
        r.OrigMac = 0x02_00_00_00_00_01;
        r.RemoteName = "video.example-cdn.net";
        r.RemoteNameSource = RemoteNameSource.QuicSni;
        household.Enrich(ref r);

        JsonElement line = Single(r);

        Assert.Equal("02:00:00:00:00:01", line.GetProperty("device").GetString());
        Assert.Equal("Anna's \"iPhone\"", line.GetProperty("device_name").GetString());
        Assert.False(line.GetProperty("local").GetBoolean());
        Assert.Equal("video.example-cdn.net", line.GetProperty("remote_name").GetString());
        Assert.Equal("quic_sni", line.GetProperty("remote_name_source").GetString());
        Assert.Equal("https", line.GetProperty("service").GetString());
        Assert.Equal("DE", line.GetProperty("remote_country").GetString());
        Assert.Equal("Frankfurt am Main", line.GetProperty("remote_city").GetString());
        Assert.Equal(50.1109, line.GetProperty("remote_lat").GetDouble());
        Assert.Equal(8.6821, line.GetProperty("remote_lon").GetDouble());
        Assert.Equal(20, line.GetProperty("remote_accuracy_km").GetInt32());
        Assert.Equal(64500, line.GetProperty("remote_asn").GetInt64());
        Assert.Equal("Example, Inc.", line.GetProperty("remote_org").GetString());
    }

    private sealed class Frankfurt : TapSensor.Core.Devices.IRemoteLocator
    {
        public TapSensor.Core.Devices.RemoteLocation? Locate(ulong hi, ulong lo, byte family) =>
            new("DE", "Hesse", "Frankfurt am Main", 50.1109, 8.6821, 20, 64500, "Example, Inc.");
    }

    [Fact]
    public void Only_the_known_mac_is_written_when_one_side_is_unknown()
    {
        FlowRecord r = Records.Between(Records.Udp, "192.168.1.52", 54585, "8.8.8.8", 53);
        r.RespMac = 0x0200_0000_0001;

        JsonElement line = Single(r);

        Assert.False(line.TryGetProperty("orig_l2_addr", out _));
        Assert.Equal("02:00:00:00:00:01", line.GetProperty("resp_l2_addr").GetString());
    }

    [Fact]
    public void Service_comes_from_the_record_after_proto_and_is_omitted_when_unknown()
    {
        FlowRecord dns = Records.Between(Records.Udp, "192.168.1.52", 54585, "8.8.8.8", 53);
        dns.Service = "dns";
        FlowRecord other = Records.Between(Records.Udp, "192.168.1.52", 40000, "8.8.8.8", 9999);
        var options = new ConnLogWriterOptionsForTest();

        List<JsonDocument> lines = WriteAndParse(options, dns, other);

        JsonElement first = lines[0].RootElement;
        Assert.Equal("dns", first.GetProperty("service").GetString());
        string[] names = first.EnumerateObject().Select(p => p.Name).ToArray();
        Assert.Equal(Array.IndexOf(names, "proto") + 1, Array.IndexOf(names, "service"));
        Assert.False(lines[1].RootElement.TryGetProperty("service", out _));
    }

    [Fact]
    public void Interim_records_are_skipped_and_counted_apart()
    {
        FlowRecord interim = FullTcpRecord();
        interim.Reason = CloseReason.None;
        FlowRecord final = FullTcpRecord();
        final.Reason = CloseReason.Idle;

        using var stream = new MemoryStream();
        var writer = new ConnLogWriter(stream);
        writer.Write([interim, final, interim]);
        writer.Complete();

        string text = Encoding.UTF8.GetString(stream.ToArray());
        string line = Assert.Single(text.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal("idle", JsonDocument.Parse(line).RootElement.GetProperty("close_reason").GetString());
        Assert.Equal(1, writer.RecordsWritten);
        Assert.Equal(2, writer.InterimSkipped);
    }

    [Fact]
    public void Community_id_seed_is_passed_to_the_hash()
    {
        FlowRecord r = Records.Between(Records.Udp, "192.168.1.52", 54585, "8.8.8.8", 53);

        JsonElement line = Assert.Single(WriteAndParse(new ConnLogWriterOptionsForTest(CommunityIdSeed: 1), r)).RootElement;

        // corelight/community-id-spec baseline/baseline_seed1.json, the same DNS flow.
        Assert.Equal("1:Q9We8WO3piVF8yEQBNJF4uiSVrI=", line.GetProperty("community_id").GetString());
    }

    [Fact]
    public void Community_id_is_written_literally_without_escaping_base64_characters()
    {
        // corelight/community-id-spec baseline/baseline_deflt.json, ICMPv6 echo request.
        FlowRecord r = Records.Between(Records.IcmpV6, "3ffe:507:0:1:200:86ff:fe05:80da", 128, "3ffe:501:0:1001::2", 129);

        using var stream = new MemoryStream();
        var writer = new ConnLogWriter(stream);
        writer.Write([r]);
        writer.Complete();

        Assert.Contains("\"community_id\":\"1:+TW+HtLHvV1xnGhV1lv7XoJrqQg=\"", Encoding.UTF8.GetString(stream.ToArray()), StringComparison.Ordinal);
    }

    [Fact]
    public void Service_text_is_escaped_so_the_line_stays_valid_json()
    {
        FlowRecord r = Records.Between(Records.Tcp, "192.168.1.10", 51514, "203.0.113.7", 443);
        r.Service = "ssl\"\n,http";
        var options = new ConnLogWriterOptionsForTest();

        JsonElement line = Assert.Single(WriteAndParse(options, r)).RootElement;

        Assert.Equal("ssl\"\n,http", line.GetProperty("service").GetString());
    }

    [Fact]
    public void Counters_report_records_and_exact_bytes_across_batches_larger_than_the_buffer()
    {
        var records = new FlowRecord[1_500];
        for (int i = 0; i < records.Length; i++)
            records[i] = Records.Between(Records.Tcp, "192.168.1.10", (ushort)(10_000 + i), "203.0.113.7", 443);

        using var stream = new MemoryStream();
        var writer = new ConnLogWriter(stream);
        writer.Write(records);
        writer.Write(records.AsSpan(0, 10));
        writer.Complete();

        Assert.Equal(1_510, writer.RecordsWritten);
        Assert.Equal(stream.Length, writer.BytesWritten);
        string[] lines = Encoding.UTF8.GetString(stream.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(1_510, lines.Length);
        Assert.All(lines, l => Assert.Equal(JsonValueKind.Object, JsonDocument.Parse(l).RootElement.ValueKind));
    }

    [Fact]
    public void Open_creates_missing_directories_and_appends_to_an_existing_log()
    {
        string root = Path.Combine(Path.GetTempPath(), "tapsensor-connlog-" + Guid.NewGuid().ToString("N"));
        string path = Path.Combine(root, "logs", "conn.json");
        try
        {
            FlowRecord r = FullTcpRecord();
            ConnLogWriter first = ConnLogWriter.Open(path);
            first.Write([r]);
            first.Complete();
            ConnLogWriter second = ConnLogWriter.Open(path);
            second.Write([r, r]);
            second.Complete();

            string[] lines = File.ReadAllLines(path);
            Assert.Equal(3, lines.Length);
            Assert.Equal(first.BytesWritten + second.BytesWritten, new FileInfo(path).Length);
        }
        finally
        {
            if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void Writing_after_complete_is_refused()
    {
        using var stream = new MemoryStream();
        var writer = new ConnLogWriter(stream);
        writer.Complete();

        Assert.Throws<ObjectDisposedException>(() => writer.Write([FullTcpRecord()]));
    }

    [Fact]
    public void Complete_closes_an_owned_stream_but_leaves_a_borrowed_one_open()
    {
        var owned = new MemoryStream();
        var borrowed = new MemoryStream();

        new ConnLogWriter(owned, ownsStream: true).Complete();
        new ConnLogWriter(borrowed).Complete();

        Assert.False(owned.CanWrite);
        Assert.True(borrowed.CanWrite);
    }

    private sealed record ConnLogWriterOptionsForTest(ulong UidSeed = 0, ushort CommunityIdSeed = 0);
}
