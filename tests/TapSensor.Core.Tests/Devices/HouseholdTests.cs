using System.Net;
using TapSensor.Core.Devices;
using TapSensor.Core.Discovery;
using TapSensor.Core.Flows;
using TapSensor.Core.Tests.Sinks;

namespace TapSensor.Core.Tests.Devices;

public class HouseholdTests
{
    private const ulong Phone = 0x8c8d28538449;       // universally administered (a vendor block)
    private const ulong RandomA = 0x12_4b_d8_72_26_d1;  // locally administered: random
    private const ulong RandomB = 0x56_96_47_36_4c_ea;
    private const ulong Router = 0x3c_a6_2f_f2_af_6d;
    private const long T0 = 1_700_000_000_000_000_000;

    private static NetAddress Ip(string text) => NetAddress.From(IPAddress.Parse(text));

    private static FlowRecord Flow(string orig, string resp, ulong origMac, ulong respMac, ushort respPort = 443, byte protocol = 6,
        long up = 1000, long down = 9000, long atNs = T0 + 1_000_000_000)
    {
        var r = Records.Between(protocol, orig, 50000, resp, respPort);
        r.OrigMac = origMac;
        r.RespMac = respMac;
        r.FirstNs = atNs;
        r.LastNs = atNs + 2_000_000_000;
        r.OrigIpBytes = r.DeltaOrigIpBytes = up;
        r.RespIpBytes = r.DeltaRespIpBytes = down;
        r.OrigPkts = r.DeltaOrigPkts = 3;
        r.RespPkts = r.DeltaRespPkts = 7;
        return r;
    }

    private static Observation DnsAnswer(ulong mac, string client, string name, string address, uint ttl = 300, long atNs = T0) => new()
    {
        Kind = ObservationKind.DnsAnswer,
        TimestampNs = atNs,
        Mac = mac,
        Address = Ip(client),
        Name = name,
        Answers = new[] { (Ip(address), ttl) },
    };

    private static Observation Named(ulong mac, string address, string name, DeviceNameSource source, string? clientId = null) => new()
    {
        Kind = ObservationKind.DeviceName,
        TimestampNs = T0,
        Mac = mac,
        Address = address.Length == 0 ? default : Ip(address),
        Name = name,
        NameSource = source,
        ClientId = clientId,
    };

    [Fact]
    public void A_flow_gets_its_local_device_and_the_name_that_device_resolved()
    {
        var h = new Household(new HouseholdOptions());
        h.Observe(DnsAnswer(Phone, "192.168.1.20", "video.example-cdn.net", "203.0.113.7"));
        var r = Flow("192.168.1.20", "203.0.113.7", Phone, Router);

        h.Enrich(ref r);

        Assert.NotNull(r.Device);
        Assert.Equal("8c:8d:28:53:84:49", r.Device.Id);
        Assert.True(r.DeviceIsOrig);
        Assert.False(r.Local);
        Assert.Equal("video.example-cdn.net", r.RemoteName);
        Assert.Equal(RemoteNameSource.Dns, r.RemoteNameSource);
        Assert.Equal("https", r.Service);
        Assert.Equal(1000, r.Device.BytesUp);
        Assert.Equal(9000, r.Device.BytesDown);
        Assert.Equal(1, r.Device.Flows);
        Assert.Contains(Ip("192.168.1.20"), r.Device.Addresses);
    }

    [Fact]
    public void A_name_from_the_flow_itself_is_kept_over_dns()
    {
        var h = new Household(new HouseholdOptions());
        h.Observe(DnsAnswer(Phone, "192.168.1.20", "cdn.example", "203.0.113.7"));
        var r = Flow("192.168.1.20", "203.0.113.7", Phone, Router);
        r.RemoteName = "www.example.org";
        r.RemoteNameSource = RemoteNameSource.TlsSni;
        r.App = AppProtocol.Tls;

        h.Enrich(ref r);

        Assert.Equal("www.example.org", r.RemoteName);
        Assert.Equal(RemoteNameSource.TlsSni, r.RemoteNameSource);
    }

    [Fact]
    public void Another_devices_answer_names_a_flow_when_the_device_has_none_and_answers_die_after_ttl_and_grace()
    {
        var h = new Household(new HouseholdOptions { DnsGrace = TimeSpan.FromMinutes(10) });
        h.Observe(DnsAnswer(RandomA, "192.168.1.30", "shared.example", "198.51.100.9", ttl: 60));

        var soon = Flow("192.168.1.20", "198.51.100.9", Phone, Router, atNs: T0 + 5L * 60 * 1_000_000_000);
        h.Enrich(ref soon);
        Assert.Equal("shared.example", soon.RemoteName);

        var late = Flow("192.168.1.20", "198.51.100.9", Phone, Router, atNs: T0 + 12L * 60 * 1_000_000_000);
        h.Enrich(ref late);
        Assert.Null(late.RemoteName);
    }

    [Fact]
    public void An_answer_learned_after_a_flow_ended_does_not_name_it()
    {
        var h = new Household(new HouseholdOptions());
        h.Observe(DnsAnswer(Phone, "192.168.1.20", "later.example", "203.0.113.7", atNs: T0 + 60_000_000_000));
        var r = Flow("192.168.1.20", "203.0.113.7", Phone, Router);
        h.Enrich(ref r);
        Assert.Null(r.RemoteName);
    }

    [Fact]
    public void Device_names_follow_precedence_config_then_dhcp_then_mdns_then_netbios()
    {
        var options = new HouseholdOptions { Devices = [new DeviceAlias { Match = "8C-8D-28-53-84-49", Name = "Dad's laptop", Group = "Parents" }] };
        var h = new Household(options);
        h.Observe(Named(Phone, "192.168.1.20", "DESKTOP-1", DeviceNameSource.Netbios));
        h.Observe(Named(Phone, "192.168.1.20", "Dads-MacBook", DeviceNameSource.Mdns));
        var device = Assert.Single(h.Devices);
        Assert.Equal("Dad's laptop", device.Name);
        Assert.Equal(DeviceNameSource.Config, device.NameSource);
        Assert.Equal("Parents", device.Group);
        Assert.Equal(3, device.Names.Count);

        var h2 = new Household(new HouseholdOptions());
        h2.Observe(Named(Phone, "192.168.1.20", "DESKTOP-1", DeviceNameSource.Netbios));
        h2.Observe(Named(Phone, "192.168.1.20", "Dads-MacBook", DeviceNameSource.Mdns));
        Assert.Equal("Dads-MacBook", h2.Devices[0].Name);
        h2.Observe(Named(Phone, "192.168.1.20", "dads-laptop", DeviceNameSource.DhcpHostname));
        Assert.Equal("dads-laptop", h2.Devices[0].Name);
    }

    [Fact]
    public void A_name_for_an_address_waits_for_the_device_that_holds_it()
    {
        var h = new Household(new HouseholdOptions());
        h.Observe(Named(0, "192.168.1.44", "Living-Room-TV", DeviceNameSource.Mdns));
        Assert.Empty(h.Devices);
        h.Observe(new Observation { Kind = ObservationKind.Binding, TimestampNs = T0, Mac = Phone, Address = Ip("192.168.1.44") });
        Assert.Equal("Living-Room-TV", Assert.Single(h.Devices).Name);
    }

    [Fact]
    public void Vendors_come_from_the_oui_listing_and_random_macs_have_none_and_are_flagged()
    {
        var vendors = new OuiRegistry();
        vendors.Load(new StringReader("Registry,Assignment,Organization Name,Organization Address\nMA-L,8C8D28,\"Intel Corporate\",Lot 8\n"));
        var h = new Household(new HouseholdOptions(), vendors);
        h.Observe(Named(Phone, "192.168.1.20", "laptop", DeviceNameSource.DhcpHostname));
        h.Observe(Named(RandomA, "192.168.1.21", "Pixel-8", DeviceNameSource.DhcpHostname));

        var laptop = h.Devices.Single(d => d.Name == "laptop");
        var pixel = h.Devices.Single(d => d.Name == "Pixel-8");
        Assert.Equal("Intel Corporate", laptop.Vendor);
        Assert.False(laptop.RandomizedMac);
        Assert.Null(pixel.Vendor);
        Assert.True(pixel.RandomizedMac);
    }

    [Fact]
    public void A_device_back_under_a_new_random_mac_with_the_same_dhcp_host_name_keeps_its_identity()
    {
        var h = new Household(new HouseholdOptions());
        h.Observe(Named(RandomA, "192.168.1.21", "Annas-iPhone", DeviceNameSource.DhcpHostname));
        var first = Flow("192.168.1.21", "203.0.113.7", RandomA, Router);
        h.Enrich(ref first);

        h.Observe(Named(RandomB, "192.168.1.22", "Annas-iPhone", DeviceNameSource.DhcpHostname));
        var second = Flow("192.168.1.22", "203.0.113.8", RandomB, Router);
        h.Enrich(ref second);

        var device = Assert.Single(h.Devices);
        Assert.Same(first.Device, second.Device);
        Assert.Equal("12:4b:d8:72:26:d1", device.Id);
        Assert.Equal(RandomB, device.Mac);
        Assert.Equal(2, device.Macs.Count);
        Assert.Equal(2, device.Flows);
    }

    [Fact]
    public void A_device_seen_before_its_dhcp_under_a_new_random_mac_is_merged_by_client_id()
    {
        var h = new Household(new HouseholdOptions());
        h.Observe(Named(RandomA, "192.168.1.21", "phone", DeviceNameSource.DhcpHostname, clientId: "ff0011"));
        var early = Flow("192.168.1.23", "203.0.113.7", RandomB, Router);
        h.Enrich(ref early);
        Assert.Equal(2, h.Devices.Count);

        h.Observe(Named(RandomB, "192.168.1.23", "renamed-phone", DeviceNameSource.DhcpHostname, clientId: "ff0011"));

        var device = Assert.Single(h.Devices);
        Assert.Equal(1, device.Flows);
        Assert.Equal(1, h.Counters.DevicesMerged);
    }

    [Fact]
    public void Two_devices_with_the_same_name_and_fixed_macs_are_not_merged()
    {
        var h = new Household(new HouseholdOptions());
        h.Observe(Named(0x001788e3de0e, "192.168.1.30", "Philips-hue", DeviceNameSource.DhcpHostname));
        h.Observe(Named(0x001788e3de0f, "192.168.1.31", "Philips-hue", DeviceNameSource.DhcpHostname));
        Assert.Equal(2, h.Devices.Count);
    }

    [Fact]
    public void Traffic_arriving_with_one_mac_from_many_lan_addresses_is_keyed_by_address_behind_that_router()
    {
        var h = new Household(new HouseholdOptions { RouterAddressThreshold = 3 });
        ulong? detected = null;
        h.RouterDetected += (mac, _) => detected = mac;
        var records = new[] { "192.168.1.20", "192.168.1.21", "192.168.1.22", "192.168.1.23" }
            .Select(ip => Flow(ip, "203.0.113.7", Router, 0x0000_5e00_0101)).ToArray();
        h.Enrich(records);

        Assert.Equal(Router, detected);
        Assert.Equal("192.168.1.22", records[2].Device!.Id);
        Assert.Equal("192.168.1.23", records[3].Device!.Id);
        Assert.True(records[3].Device!.KeyedByAddress);
        Assert.True(h.Devices.Single(d => d.Mac == Router).IsRouter);
    }

    [Fact]
    public void A_global_ipv6_address_belongs_to_the_known_device_whose_mac_sends_it_never_to_the_gateway()
    {
        var h = new Household(new HouseholdOptions());
        var v4 = Flow("192.168.1.20", "203.0.113.7", Phone, Router);
        h.Enrich(ref v4); // the phone is known, and Router is the MAC its world traffic goes through

        var outbound = Flow("2001:db8:4d2:1a00::20", "2001:db8:ffff::1", Phone, Router);
        h.Enrich(ref outbound);
        Assert.Same(v4.Device, outbound.Device);
        Assert.True(outbound.DeviceIsOrig);
        Assert.Contains(Ip("2001:db8:4d2:1a00::20"), v4.Device!.Addresses);

        var inbound = Flow("2001:db8:ffff::1", "2001:db8:4d2:1a00::20", Router, Phone, respPort: 22);
        h.Enrich(ref inbound);
        Assert.Same(v4.Device, inbound.Device);
        Assert.False(inbound.DeviceIsOrig);

        var unknown = Flow("2001:db8:ffff::2", "2001:db8:ffff::3", 0x0a0b0c0d0e0f, Router);
        h.Enrich(ref unknown);
        Assert.Null(unknown.Device);
    }

    [Fact]
    public void Lan_to_lan_flows_are_local_and_belong_to_the_originator()
    {
        var h = new Household(new HouseholdOptions());
        var r = Flow("192.168.1.20", "192.168.1.44", Phone, RandomA, respPort: 8009);
        h.Enrich(ref r);
        Assert.True(r.Local);
        Assert.True(r.DeviceIsOrig);
        Assert.Equal("cast", r.Service);
        Assert.Equal("192.168.1.44", new NetAddress(r.RemoteHi, r.RemoteLo, 4).ToString());
    }

    [Fact]
    public void An_inbound_flow_belongs_to_the_responder_and_its_remote_end_is_the_originator()
    {
        var h = new Household(new HouseholdOptions());
        var r = Flow("198.51.100.3", "192.168.1.20", Router, Phone, respPort: 22);
        h.Enrich(ref r);
        Assert.False(r.DeviceIsOrig);
        Assert.True(r.RemoteIsOrig);
        Assert.Equal(9000, r.Device!.BytesUp);
        Assert.Equal("198.51.100.3", new NetAddress(r.RemoteHi, r.RemoteLo, 4).ToString());
    }

    [Fact]
    public void Configured_lan_prefixes_replace_the_defaults()
    {
        var h = new Household(new HouseholdOptions { LanPrefixes = ["203.0.113.0/24", "2001:db8:4d2:1a00::/64"] });
        var v4 = Flow("203.0.113.5", "192.168.1.9", 0, 0);
        h.Enrich(ref v4);
        Assert.Equal("203.0.113.5", v4.Device!.Id);
        Assert.False(v4.Local);
        Assert.True(h.Lan.Contains(Ip("2001:db8:4d2:1a00::9")));
        Assert.False(h.Lan.Contains(Ip("10.0.0.1")));
    }

    [Fact]
    public void Locations_come_from_the_locator_and_add_up_per_country()
    {
        var h = new Household(new HouseholdOptions(), locator: new FixedLocator());
        var r = Flow("192.168.1.20", "203.0.113.7", Phone, Router);
        h.Enrich(ref r);
        Assert.Equal("DE", r.Location!.CountryCode);
        Assert.Equal(10_000, r.Device!.Countries["DE"]);
        var local = Flow("192.168.1.20", "192.168.1.30", Phone, RandomA);
        h.Enrich(ref local);
        Assert.Null(local.Location);
    }

    private sealed class FixedLocator : IRemoteLocator
    {
        private static readonly RemoteLocation Frankfurt = new("DE", "Hesse", "Frankfurt am Main", 50.11, 8.68, 20, 64500, "Example Networks");
        public RemoteLocation? Locate(ulong hi, ulong lo, byte family) => Frankfurt;
    }

    [Fact]
    public void Invalid_options_name_the_setting()
    {
        var errors = new HouseholdOptions
        {
            LanPrefixes = ["192.168.1.0/33", "nonsense"],
            Devices = [new DeviceAlias { Match = "not-a-mac", Name = "x" }, new DeviceAlias { Match = "192.168.1.2" }],
            DnsCacheEntries = 1,
        }.Validate().ToList();
        Assert.Contains(errors, e => e.Contains("'192.168.1.0/33'", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("'nonsense'", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Household:Devices:0:Match", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Household:Devices:1:Name", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Household:DnsCacheEntries", StringComparison.Ordinal));
    }
}
