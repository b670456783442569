using TapSensor.Sample.Payloads;

namespace TapSensor.Sample.Household;

/// <summary>
/// The remote side of the household: content, cloud and infrastructure services across providers and countries
/// (US, IE, DE, GB, NL, FR, JP, KR, CN, AU, ...), each with the names a real client would resolve.
/// </summary>
internal static class ServiceCatalog
{
    private const DeviceRole Screens = DeviceRole.Screens;
    private const DeviceRole Watching = DeviceRole.Watching;
    private const DeviceRole All = DeviceRole.Anything;
    private const DeviceRole Big = DeviceRole.Tv | DeviceRole.Streamer;
    private const DeviceRole Pcs = DeviceRole.Laptop | DeviceRole.Desktop;
    private const DeviceRole Mobile = DeviceRole.Phone | DeviceRole.Tablet;

    public static RemoteService[] Create() =>
    [
        // Google, YouTube (QUIC where Chrome and Android use it)
        new("www.google.com", [], ["142.250.185.68", "142.250.186.100"], ["2a00:1450:4001:82b::2004"], ServiceProtocol.Quic, SizeClass.Web, Screens, Ecosystem.Any, 6, 118),
        new("www.youtube.com", ["youtube-ui.l.google.com"], ["142.250.186.46", "172.217.16.206"], ["2a00:1450:4001:828::200e"], ServiceProtocol.Quic, SizeClass.Web, Watching, Ecosystem.Any, 3, 118),
        new("rr3---sn-4g5ednsz.googlevideo.com", [], ["173.194.182.8"], ["2a00:1450:4001:2::8"], ServiceProtocol.Quic, SizeClass.Media, Watching, Ecosystem.Any, 3, 56),
        new("i.ytimg.com", [], ["142.250.185.118"], ["2a00:1450:4001:80e::2016"], ServiceProtocol.Quic, SizeClass.Web, Watching, Ecosystem.Any, 2, 118),
        new("android.clients.google.com", ["android.l.google.com"], ["142.250.185.110"], ["2a00:1450:4001:829::200e"], ServiceProtocol.Tls, SizeClass.Tiny, All, Ecosystem.Google, 4, 118),
        new("mtalk.google.com", ["mobile-gtalk.l.google.com"], ["142.250.27.188"], ["2a00:1450:400c:c0a::bc"], ServiceProtocol.Tls, SizeClass.Persistent, DeviceRole.Phone | DeviceRole.Tablet, Ecosystem.Google, 1, 118, port: 5228),
        new("connectivitycheck.gstatic.com", [], ["142.250.185.99"], ["2a00:1450:4001:82f::2003"], ServiceProtocol.Http, SizeClass.Tiny, All, Ecosystem.Google, 2, 118, httpPath: "/generate_204", httpBody: HttpBody.NoContent),
        new("photosdata-pa.googleapis.com", [], ["142.250.185.138"], ["2a00:1450:4001:80b::200a"], ServiceProtocol.Tls, SizeClass.Upload, Mobile, Ecosystem.Google, 0.4, 118),
        new("clients3.google.com", [], ["142.250.186.78"], ["2a00:1450:4001:829::200e"], ServiceProtocol.Tls, SizeClass.Persistent, DeviceRole.Streamer | DeviceRole.Speaker | DeviceRole.SmartHome, Ecosystem.Google, 1, 118),
        new("time.google.com", [], ["216.239.35.0", "216.239.35.4"], ["2001:4860:4806::"], ServiceProtocol.Ntp, SizeClass.Fixed, All, Ecosystem.Google, 0.6, 117),
        new("dns.google", [], ["8.8.8.8"], ["2001:4860:4860::8888"], ServiceProtocol.Ping, SizeClass.Fixed, Pcs | DeviceRole.Computer, Ecosystem.Any, 0.3, 117),

        // Apple
        new("gateway.icloud.com", ["gateway.fe2.apple-dns.net"], ["17.248.185.10", "17.248.185.73"], ["2620:149:a44::1"], ServiceProtocol.Tls, SizeClass.Tiny, All, Ecosystem.Apple, 4, 247),
        new("p101-contentws.icloud.com", [], ["17.248.176.66"], ["2620:149:a44:1000::d"], ServiceProtocol.Tls, SizeClass.Upload, Mobile, Ecosystem.Apple, 0.4, 247),
        new("mesu.apple.com", ["mesu-cdn.apple.com.akadns.net", "mesu.g.aaplimg.com"], ["17.253.53.207"], ["2a01:b740:a42:500::11"], ServiceProtocol.Tls, SizeClass.Download, All, Ecosystem.Apple, 0.15, 56),
        new("api.apple-cloudkit.com", [], ["17.248.185.17"], ["2620:149:a44::16"], ServiceProtocol.Tls, SizeClass.Web, All, Ecosystem.Apple, 2, 247),
        new("courier.push.apple.com", ["courier-push-apple.com.akadns.net"], ["17.57.146.52"], ["2620:149:a44:1000::4"], ServiceProtocol.Tls, SizeClass.Persistent, All, Ecosystem.Apple, 1, 247),
        new("captive.apple.com", ["captive-cidr.origin-apple.com.akadns.net"], ["17.253.53.203"], ["2a01:b740:a42:500::7"], ServiceProtocol.Http, SizeClass.Tiny, All, Ecosystem.Apple, 1.5, 56, httpPath: "/hotspot-detect.html", httpBody: HttpBody.SuccessPage),
        new("time.apple.com", [], ["17.253.14.253"], ["2a01:b740:a16:4000::1f2"], ServiceProtocol.Ntp, SizeClass.Fixed, All, Ecosystem.Apple, 0.6, 56),
        new("hls-svod.itunes.apple.com", ["hls-svod.itunes.apple.com.akadns.net"], ["17.253.53.201"], ["2a01:b740:a42:500::5"], ServiceProtocol.Tls, SizeClass.Media, Watching, Ecosystem.Apple, 1.5, 56),

        // Netflix, Amazon Prime Video, Disney+, Twitch
        new("www.netflix.com", ["www.dradis.netflix.com", "www.eu-west-1.internal.dradis.netflix.com"], ["54.155.178.5", "52.31.110.159"], ["2a05:d018:76c:b684:1b2c:3d4e:5f60:7182"], ServiceProtocol.Tls, SizeClass.Web, Watching, Ecosystem.Any, 1.5, 237),
        new("ipv4-c012-fra002-ix.1.oca.nflxvideo.net", [], ["45.57.90.1", "45.57.91.1"], ["2a00:86c0:2090:0:1000::12"], ServiceProtocol.Tls, SizeClass.Media, Watching, Ecosystem.Any, 3, 58),
        new("atv-ps-eu.primevideo.com", [], ["54.239.39.102"], [], ServiceProtocol.Tls, SizeClass.Web, Watching, Ecosystem.Any, 0.8, 237),
        new("d25xi40x97liuc.cloudfront.net", [], ["13.32.99.42", "13.32.99.71"], ["2600:9000:2156:8a00:1a:3b5c:7e40:93a1"], ServiceProtocol.Tls, SizeClass.Media, Big | Mobile, Ecosystem.Any, 1.5, 247),
        new("disney.api.edge.bamgrid.com", [], ["34.120.199.77"], ["2600:1901:0:4d1c::"], ServiceProtocol.Tls, SizeClass.Web, Watching, Ecosystem.Any, 0.5, 122),
        new("video-weaver.fra05.hls.ttvnw.net", [], ["185.42.204.158"], [], ServiceProtocol.Tls, SizeClass.Media, Pcs | Mobile | Big, Ecosystem.Any, 0.6, 54),

        // Amazon devices
        new("avs-alexa-12-eu.amazon.com", ["avs-alexa-eu.amazon.com"], ["52.94.233.129"], [], ServiceProtocol.Tls, SizeClass.Persistent, DeviceRole.Speaker | DeviceRole.Streamer, Ecosystem.Amazon, 1, 237),
        new("device-metrics-us.amazon.com", [], ["52.46.130.169"], [], ServiceProtocol.Tls, SizeClass.Tiny, All, Ecosystem.Amazon, 2, 237),
        new("api.amazonalexa.com", [], ["52.95.122.21"], [], ServiceProtocol.Tls, SizeClass.Web, All, Ecosystem.Amazon, 1, 237),

        // Microsoft and Windows
        new("login.microsoftonline.com", ["login.mso.msidentity.com", "ak.privatelink.msidentity.com"], ["20.190.159.23", "40.126.31.71"], ["2603:1026:3000:d0::2"], ServiceProtocol.Tls, SizeClass.Tiny, Pcs, Ecosystem.Any, 2, 113),
        new("outlook.office.com", ["outlook.ms-acdc.office.com"], ["52.97.146.162"], ["2603:1026:c0a:1000::2"], ServiceProtocol.Tls, SizeClass.Web, Pcs | Mobile, Ecosystem.Any, 2, 113),
        new("teams.microsoft.com", ["teams.office.com", "s-0005.s-msedge.net"], ["52.113.194.132"], ["2603:1063:7:f::b"], ServiceProtocol.Tls, SizeClass.Persistent, Pcs, Ecosystem.Any, 1, 113),
        new("www.msftconnecttest.com", ["www.msftconnecttest.com.edgesuite.net", "a1961.g2.akamai.net"], ["2.16.186.16"], [], ServiceProtocol.Http, SizeClass.Tiny, Pcs, Ecosystem.Microsoft, 1.5, 57, httpPath: "/connecttest.txt", httpBody: HttpBody.SuccessPage),
        new("ctldl.windowsupdate.com", ["wu-bg-shim.trafficmanager.net", "cds.d2s7q6s2.hwcdn.net"], ["93.184.221.240"], [], ServiceProtocol.Http, SizeClass.Download, Pcs, Ecosystem.Microsoft, 0.3, 54, httpPath: "/msdownload/update/v3/static/trustedr/en/authrootstl.cab"),
        new("time.windows.com", ["twc.trafficmanager.net"], ["51.145.123.29"], [], ServiceProtocol.Ntp, SizeClass.Fixed, Pcs, Ecosystem.Microsoft, 0.5, 112),
        new("cache1-fra1.steamcontent.com", [], ["155.133.248.34"], [], ServiceProtocol.Http, SizeClass.Download, DeviceRole.Desktop, Ecosystem.Any, 0.3, 56, httpPath: "/depot/1091500/chunk/3f8a1c0b9e7d6a5f4e3d2c1b0a9f8e7d6c5b4a39"),
        new("gateway.discord.gg", [], ["162.159.135.232"], ["2606:4700:7::a29f:87e8"], ServiceProtocol.Tls, SizeClass.Persistent, Pcs, Ecosystem.Any, 0.6, 57),

        // Social, music, news and the web across countries
        new("graph.facebook.com", ["star.c10r.facebook.com"], ["157.240.223.17"], ["2a03:2880:f10c:283:face:b00c:0:25de"], ServiceProtocol.Quic, SizeClass.Web, Mobile, Ecosystem.Any, 3, 56),
        new("scontent-fra5-1.cdninstagram.com", [], ["157.240.0.63"], ["2a03:2880:f000:1c:face:b00c:0:6443"], ServiceProtocol.Quic, SizeClass.Media, Mobile, Ecosystem.Any, 2, 56),
        new("g.whatsapp.net", ["mmx-ds.cdn.whatsapp.net"], ["157.240.0.53"], ["2a03:2880:f200:c5:face:b00c:0:167"], ServiceProtocol.Tls, SizeClass.Persistent, DeviceRole.Phone, Ecosystem.Any, 1, 56, port: 5222),
        new("spclient.wg.spotify.com", ["edge-web.dual-gslb.spotify.com"], ["35.186.224.25"], ["2600:1901:1:c36::"], ServiceProtocol.Tls, SizeClass.Web, Screens | DeviceRole.Speaker, Ecosystem.Any, 2, 122),
        new("audio-ak-spotify-com.akamaized.net", ["a1713.dscr.akamai.net"], ["2.16.186.80"], ["2a02:26f0:fe00::5c7b:6d3a"], ServiceProtocol.Tls, SizeClass.Media, Screens | DeviceRole.Speaker, Ecosystem.Any, 1.5, 57),
        new("www.bbc.co.uk", ["www.bbc.net.uk"], ["212.58.237.1", "212.58.233.1"], ["2a04:4e42:600::81"], ServiceProtocol.Tls, SizeClass.Web, Screens, Ecosystem.Any, 1, 55),
        new("www.heise.de", [], ["193.99.144.85"], ["2a02:2e0:3fe:1001:302::"], ServiceProtocol.Tls, SizeClass.Web, Screens, Ecosystem.Any, 1, 56),
        new("www.lemonde.fr", ["lemonde.map.fastly.net"], ["151.101.2.217"], ["2a04:4e42::729"], ServiceProtocol.Tls, SizeClass.Web, Screens, Ecosystem.Any, 0.7, 57),
        new("www.reddit.com", ["reddit.map.fastly.net"], ["151.101.1.140"], ["2a04:4e42::396"], ServiceProtocol.Tls, SizeClass.Web, Screens, Ecosystem.Any, 1.5, 57),
        new("www.wikipedia.org", ["dyna.wikimedia.org"], ["185.15.59.224"], ["2a02:ec80:300:ed1a::1"], ServiceProtocol.Tls, SizeClass.Web, Screens, Ecosystem.Any, 1, 56),
        new("github.com", [], ["140.82.121.4"], [], ServiceProtocol.Tls, SizeClass.Web, Pcs | DeviceRole.Computer, Ecosystem.Any, 1, 50),
        new("www.cloudflare.com", [], ["104.16.124.96"], ["2606:4700::6810:7c60"], ServiceProtocol.Quic, SizeClass.Web, Screens, Ecosystem.Any, 0.5, 57),
        new("www.yahoo.co.jp", ["edge12.g.yimg.jp"], ["183.79.219.252"], [], ServiceProtocol.Tls, SizeClass.Web, Screens, Ecosystem.Any, 0.4, 45),
        new("www.naver.com", ["www.naver.com.nheos.com"], ["223.130.200.104"], [], ServiceProtocol.Tls, SizeClass.Web, Screens, Ecosystem.Any, 0.3, 44),
        new("www.baidu.com", ["www.a.shifen.com"], ["110.242.68.66"], [], ServiceProtocol.Tls, SizeClass.Web, Screens, Ecosystem.Any, 0.2, 42),
        new("www.abc.net.au", ["www.abc.net.au.edgekey.net", "e1869.dscx.akamaiedge.net"], ["23.50.54.182"], [], ServiceProtocol.Tls, SizeClass.Web, Screens, Ecosystem.Any, 0.3, 52),
        new("zoom.us", [], ["170.114.52.2"], [], ServiceProtocol.Tls, SizeClass.Upload, Pcs, Ecosystem.Any, 0.3, 50),
        new("one.one.one.one", [], ["1.1.1.1"], ["2606:4700:4700::1111"], ServiceProtocol.Ping, SizeClass.Fixed, Pcs | DeviceRole.Computer, Ecosystem.Any, 0.2, 58),

        // Devices' clouds and updates
        new("api.ws.sonos.com", [], ["34.246.51.190"], [], ServiceProtocol.Tls, SizeClass.Persistent, DeviceRole.Speaker, Ecosystem.Sonos, 1, 237),
        new("ws.meethue.com", [], ["3.121.24.113"], [], ServiceProtocol.Tls, SizeClass.Persistent, DeviceRole.SmartHome, Ecosystem.Philips, 1, 237),
        new("a2l8x7bq3k9ejt-ats.iot.eu-west-1.amazonaws.com", [], ["52.208.142.76"], [], ServiceProtocol.Tls, SizeClass.Persistent, DeviceRole.SmartHome, Ecosystem.Espressif, 1, 237, port: 8883),
        new("frontdoor.nest.com", [], ["34.107.198.44"], [], ServiceProtocol.Tls, SizeClass.Persistent, DeviceRole.SmartHome, Ecosystem.Google, 1, 122),
        new("osb-eu.samsungqbe.com", [], ["52.58.91.130"], [], ServiceProtocol.Tls, SizeClass.Tiny, DeviceRole.Tv | DeviceRole.Phone, Ecosystem.Samsung, 2, 237),
        new("atum.hac.lp1.d4c.nintendo.net", ["atum.hac.lp1.d4c.nintendo.net.edgekey.net"], ["23.50.54.20"], [], ServiceProtocol.Tls, SizeClass.Download, DeviceRole.Console, Ecosystem.Nintendo, 0.5, 52),
        new("accounts.nintendo.com", [], ["35.156.166.58"], [], ServiceProtocol.Tls, SizeClass.Tiny, DeviceRole.Console, Ecosystem.Nintendo, 2, 237),
        new("deb.debian.org", ["debian.map.fastlydns.net"], ["151.101.134.132"], ["2a04:4e42:1f::644"], ServiceProtocol.Http, SizeClass.Download, DeviceRole.Computer, Ecosystem.Linux, 1, 57, httpPath: "/debian/dists/bookworm/InRelease"),
        new("archive.raspberrypi.com", [], ["93.93.135.118"], ["2a00:1098:88:26::1"], ServiceProtocol.Http, SizeClass.Download, DeviceRole.Computer, Ecosystem.Linux, 1, 54, httpPath: "/debian/dists/bookworm/InRelease"),
        new("time.cloudflare.com", [], ["162.159.200.1", "162.159.200.123"], ["2606:4700:f1::1"], ServiceProtocol.Ntp, SizeClass.Fixed, All, Ecosystem.Any, 0.5, 58),
        new("ptbtime1.ptb.de", [], ["192.53.103.108"], [], ServiceProtocol.Ntp, SizeClass.Fixed, DeviceRole.Computer | DeviceRole.SmartHome | DeviceRole.Printer, Ecosystem.Any, 0.5, 52),
        new("ntp.nict.jp", [], ["133.243.238.163"], [], ServiceProtocol.Ntp, SizeClass.Fixed, DeviceRole.Computer, Ecosystem.Any, 0.1, 43),
    ];
}
