using TapSensor.Sinks.Influx.Points;

namespace TapSensor.Sinks.Influx.Tests.Points;

public sealed class DeviceLabelsTests
{
    private static FlowPoint Device(string? name, string? vendor, ulong mac)
    {
        var p = new FlowPoint { Device = "household device", DeviceName = name, DeviceVendor = vendor, LocalMac = mac, DeviceMac = mac };
        return p;
    }

    [Fact]
    public void A_named_device_is_labelled_by_its_name()
    {
        var labels = new DeviceLabels();
        Assert.Equal("Annas-iPhone", labels.LabelOf("1e:ea:5e:18:64:ee", Device("Annas-iPhone", null, 0x1eea5e1864ee)));
    }

    [Fact]
    public void A_device_without_a_name_is_labelled_by_its_vendors_first_word_and_its_MAC_tail()
    {
        var labels = new DeviceLabels();
        Assert.Equal("Nintendo a9:73:6d", labels.LabelOf("98:b6:e9:a9:73:6d", Device(null, "Nintendo Co.,Ltd", 0x98b6e9a9736d)));
        Assert.Equal("Apple 18:3b:1e", labels.LabelOf("bc:d0:74:18:3b:1e", Device(" ", "Apple, Inc.", 0xbcd074183b1e)));
        Assert.Equal("device e9:6d:ec", labels.LabelOf("6a:6e:46:e9:6d:ec", Device(null, null, 0x6a6e46e96dec)));
        Assert.Equal("192.168.1.9", labels.LabelOf("192.168.1.9", Device(null, null, 0)));
    }

    [Fact]
    public void A_device_known_by_its_address_behind_a_router_is_not_labelled_with_the_routers_MAC()
    {
        var labels = new DeviceLabels();
        var p = new FlowPoint { Device = "192.168.2.20", LocalMac = 0x3ca62fcdabda, DeviceMac = 0 };
        Assert.Equal("192.168.2.20", labels.LabelOf("192.168.2.20", p));
        var own = new FlowPoint { Device = "3c:a6:2f:cd:ab:da", DeviceVendor = "AVM GmbH", LocalMac = 0x3ca62fcdabda, DeviceMac = 0x3ca62fcdabda };
        Assert.Equal("AVM cd:ab:da", labels.LabelOf("3c:a6:2f:cd:ab:da", own));
    }

    [Fact]
    public void A_record_without_the_households_device_keeps_the_label_its_MAC_already_has()
    {
        var labels = new DeviceLabels();
        var enriched = new FlowPoint { Device = "3c:a6:2f:cd:ab:da", DeviceVendor = "AVM GmbH", LocalMac = 0x3ca62fcdabda, DeviceMac = 0x3ca62fcdabda };
        Assert.Equal("AVM cd:ab:da", labels.LabelOf("3c:a6:2f:cd:ab:da", enriched));
        Assert.Equal("AVM cd:ab:da", labels.LabelOf("3c:a6:2f:cd:ab:da", new FlowPoint { LocalMac = 0x3ca62fcdabda }));
        Assert.Equal("device 00:00:07", labels.LabelOf("02:00:00:00:00:07", new FlowPoint { LocalMac = 0x020000000007 }));
    }

    [Fact]
    public void Two_devices_with_the_same_name_get_different_labels()
    {
        var labels = new DeviceLabels();
        Assert.Equal("iPhone", labels.LabelOf("02:00:00:00:00:01", Device("iPhone", null, 0x020000000001)));
        Assert.Equal("iPhone (00:02)", labels.LabelOf("02:00:00:00:00:02", Device("iPhone", null, 0x020000000002)));
        Assert.Equal("iPhone", labels.LabelOf("02:00:00:00:00:01", Device("iPhone", null, 0x020000000001)));
    }

    [Fact]
    public void The_label_follows_a_name_learned_later_and_is_cached_otherwise()
    {
        var labels = new DeviceLabels();
        var p = Device(null, "Apple, Inc.", 0xbcd074183b1e);
        string first = labels.LabelOf("bc", p);
        Assert.Same(first, labels.LabelOf("bc", p));
        p.DeviceName = "Apple-TV";
        Assert.Equal("Apple-TV", labels.LabelOf("bc", p));
        // The old label is free again for another device.
        Assert.Equal("Apple 18:3b:1e", labels.LabelOf("other", Device(null, "Apple, Inc.", 0xbcd074183b1e)));
    }

    [Fact]
    public void Long_names_are_cut_and_the_cache_is_bounded()
    {
        var labels = new DeviceLabels(capacity: 2);
        Assert.Equal(DeviceLabels.MaxLength, labels.LabelOf("a", Device(new string('x', 200), null, 1)).Length);
        labels.LabelOf("b", Device("b", null, 2));
        Assert.Equal("c", labels.LabelOf("c", Device("c", null, 3)));
        Assert.Equal(1, labels.Uncached);
    }
}
