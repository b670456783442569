namespace TapSensor.Sample.Household;

/// <summary>What kind of thing a device is; services name the kinds that use them.</summary>
[Flags]
internal enum DeviceRole : ushort
{
    Phone = 1,
    Tablet = 2,
    Laptop = 4,
    Desktop = 8,
    Tv = 16,
    Streamer = 32,
    Speaker = 64,
    SmartHome = 128,
    Console = 256,
    Printer = 512,
    Computer = 1024,
    Screens = Phone | Tablet | Laptop | Desktop,
    Watching = Screens | Tv | Streamer | Console,
    Anything = 0x7FF,
}

/// <summary>Whose cloud a device talks to; <see cref="Any"/> on a service means everyone's.</summary>
internal enum Ecosystem : byte
{
    Any,
    Apple,
    Google,
    Amazon,
    Microsoft,
    Samsung,
    Sonos,
    Philips,
    Linux,
    Espressif,
    Nintendo,
    Brother,
}

/// <summary>A DNS-SD service a device announces over mDNS.</summary>
internal sealed record MdnsProfile(string ServiceType, string Instance, ushort Port, string Txt);

/// <summary>
/// One household device as it presents itself on the wire. <see cref="Oui"/> 0 means the device uses a random,
/// locally administered MAC, as current phones do per network (IEEE 802 U/L bit).
/// </summary>
internal sealed record DeviceProfile(
    DeviceRole Role,
    Ecosystem Ecosystem,
    uint Oui,
    string? HostName,
    string? VendorClass,
    string? Fqdn,
    byte[] ParameterRequestList,
    bool Ipv6,
    byte Ttl,
    double Activity,
    MdnsProfile? Mdns,
    string UserAgent,
    bool PublicDns,
    ushort EphemeralLow,
    ushort EphemeralHigh);

/// <summary>The twenty devices of the sample household, in the order they join.</summary>
internal static class DeviceCatalog
{
    // DHCP option 55 lists roughly as each OS family sends them (RFC 2132 §9.8).
    private static byte[] Apple() => [1, 121, 3, 6, 15, 108, 114, 119, 252, 95, 44, 46];
    private static byte[] Android() => [1, 3, 6, 15, 26, 28, 51, 58, 59, 43, 114, 108];
    private static byte[] Windows() => [1, 3, 6, 15, 31, 33, 43, 44, 46, 47, 119, 121, 249, 252];
    private static byte[] Dhcpcd() => [1, 121, 33, 3, 6, 28, 51, 58, 59, 119, 42];
    private static byte[] Udhcp() => [1, 3, 6, 12, 15, 28, 42];

    private const string Safari = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1";
    private const string MacSafari = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15";
    private const string AndroidChrome = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/125.0.0.0 Mobile Safari/537.36";
    private const string WindowsEdge = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/125.0.0.0 Safari/537.36 Edg/125.0.0.0";
    private const string Dalvik = "Dalvik/2.1.0 (Linux; U; Android 12; AFTKA Build/PS7633)";
    private const string Apt = "Debian APT-HTTP/1.3 (2.6.1)";
    private const string Agent = "okhttp/4.12.0";
    private const string MicrosoftNcsi = "Microsoft NCSI";

    public static DeviceProfile[] Create() =>
    [
        new(DeviceRole.Phone, Ecosystem.Apple, 0, "Annas-iPhone", null, null, Apple(), true, 64, 1.1, null, Safari, false, 49152, 65535),
        new(DeviceRole.Tv, Ecosystem.Samsung, 0x8C71F8, "living-room-tv", "udhcp 1.30.1", null, Udhcp(), false, 64, 1.3,
            null, "Mozilla/5.0 (SMART-TV; LINUX; Tizen 7.0) AppleWebKit/537.36 (KHTML, like Gecko) 94.0.4606.31/7.0 TV Safari/537.36", false, 32768, 60999),
        new(DeviceRole.Phone, Ecosystem.Google, 0, "Pixel-8", "android-dhcp-14", null, Android(), true, 64, 1.0, null, AndroidChrome, false, 32768, 60999),
        new(DeviceRole.Laptop, Ecosystem.Apple, 0xF01898, "Annas-MacBook-Air", null, null, Apple(), true, 64, 1.0, null, MacSafari, false, 49152, 65535),
        new(DeviceRole.Laptop, Ecosystem.Microsoft, 0x8C8D28, "LAPTOP-7K2J9QH", "MSFT 5.0", "LAPTOP-7K2J9QH", Windows(), true, 128, 0.9, null, WindowsEdge, false, 49152, 65535),
        new(DeviceRole.Streamer, Ecosystem.Google, 0xF4F5D8, "Chromecast", "dhcpcd-9.4.1", null, Dhcpcd(), true, 64, 0.8,
            new MdnsProfile("_googlecast._tcp.local", "Chromecast-8f3a1c2e._googlecast._tcp.local", 8009, "md=Chromecast"), Agent, true, 32768, 60999),
        new(DeviceRole.Speaker, Ecosystem.Sonos, 0x48A6B8, "SonosZP", null, null, Udhcp(), false, 64, 0.4,
            new MdnsProfile("_sonos._tcp.local", "RINCON_48A6B8C1D2E301400._sonos._tcp.local", 1443, "info=/api/v1/players"), "Linux UPnP/1.0 Sonos/78.1-51030 (ZPS27)", false, 32768, 60999),
        new(DeviceRole.Speaker, Ecosystem.Amazon, 0x6854FD, "amazon-4f2c1b8e3", "udhcp 1.29.3", null, Udhcp(), false, 64, 0.35, null, Agent, false, 32768, 60999),
        new(DeviceRole.Streamer, Ecosystem.Amazon, 0x74C246, "amazon-a1b2c3d4e", "android-dhcp-9", null, Android(), true, 64, 0.8, null, Dalvik, false, 32768, 60999),
        new(DeviceRole.Speaker, Ecosystem.Google, 0x1CF29A, "Google-Nest-Hub", "dhcpcd-9.4.1", null, Dhcpcd(), true, 64, 0.35,
            new MdnsProfile("_googlecast._tcp.local", "Google-Nest-Hub-5c1e._googlecast._tcp.local", 8009, "md=Google Nest Hub"), Agent, true, 32768, 60999),
        new(DeviceRole.Computer, Ecosystem.Linux, 0xDCA632, "raspberrypi", "dhcpcd-9.4.1:Linux-6.1.21-v8+:aarch64:BCM2835", null, Dhcpcd(), true, 64, 0.25,
            new MdnsProfile("_ssh._tcp.local", "raspberrypi._ssh._tcp.local", 22, ""), Apt, false, 32768, 60999),
        new(DeviceRole.Tablet, Ecosystem.Apple, 0, "Bens-iPad", null, null, Apple(), true, 64, 0.7, null, Safari, false, 49152, 65535),
        new(DeviceRole.Streamer, Ecosystem.Apple, 0xBCD074, "Apple-TV", null, null, Apple(), true, 64, 0.8,
            new MdnsProfile("_airplay._tcp.local", "Living Room._airplay._tcp.local", 7000, "model=AppleTV11,1"), "AppleTV11,1/17.5", false, 49152, 65535),
        new(DeviceRole.SmartHome, Ecosystem.Philips, 0x001788, "Philips-hue", "udhcp 1.31.1", null, Udhcp(), false, 64, 0.12,
            new MdnsProfile("_hue._tcp.local", "Philips Hue - 3A4B5C._hue._tcp.local", 443, "bridgeid=001788fffe3a4b5c"), Agent, false, 32768, 60999),
        new(DeviceRole.Printer, Ecosystem.Brother, 0x008077, "BRW008077A1B2C3", null, null, Udhcp(), false, 64, 0.04,
            new MdnsProfile("_ipp._tcp.local", "Brother HL-L2350DW series._ipp._tcp.local", 631, "ty=Brother HL-L2350DW series"), Agent, false, 49152, 65535),
        new(DeviceRole.SmartHome, Ecosystem.Espressif, 0x240AC4, "tasmota-3A1F2B-7979", null, null, Udhcp(), false, 64, 0.1, null, "ESP8266HTTPClient", false, 49152, 65535),
        new(DeviceRole.SmartHome, Ecosystem.Google, 0x18B430, "Nest-Thermostat", "dhcpcd-6.8.1", null, Dhcpcd(), false, 64, 0.12, null, Agent, false, 32768, 60999),
        new(DeviceRole.Console, Ecosystem.Nintendo, 0x98B6E9, null, null, null, Udhcp(), false, 64, 0.5, null, "NintendoSDK Firmware/17.0.1-0", false, 49152, 65535),
        new(DeviceRole.Desktop, Ecosystem.Microsoft, 0x00E04C, "DESKTOP-9F3KQ2M", "MSFT 5.0", "DESKTOP-9F3KQ2M", Windows(), true, 128, 0.9, null, MicrosoftNcsi, false, 49152, 65535),
        new(DeviceRole.Phone, Ecosystem.Samsung, 0, "Galaxy-A54", "android-dhcp-13", null, Android(), false, 64, 0.6,
            null, "Mozilla/5.0 (Linux; Android 13; SM-A546B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/24.0 Chrome/117.0.0.0 Mobile Safari/537.36", false, 32768, 60999),
    ];
}
