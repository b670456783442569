using TapSensor.Core.Devices;

namespace TapSensor.Core.Tests.Devices;

public class OuiRegistryTests
{
    [Fact]
    public void The_longest_registered_block_wins_and_quoted_names_keep_their_commas()
    {
        var r = new OuiRegistry();
        r.Load(new StringReader("""
            Registry,Assignment,Organization Name,Organization Address
            MA-L,70B3D5,IEEE Registration Authority,445 Hoes Lane
            MA-S,70B3D5F2F,"TELEPLATFORMS, Ltd.","Polbina st., 3/1 Moscow"
            MA-M,741AE09,Private,
            not,a row
            """));
        Assert.Equal("TELEPLATFORMS, Ltd.", r.Lookup(0x70B3D5F2F123));
        Assert.Equal("IEEE Registration Authority", r.Lookup(0x70B3D5000001));
        Assert.Equal("Private", r.Lookup(0x741AE0912345));
        Assert.Null(r.Lookup(0x001122334455));
        Assert.Equal(1, r.SkippedLines);
    }

    [Fact]
    public void Locally_administered_and_group_bits_are_read_from_the_first_octet()
    {
        Assert.True(OuiRegistry.IsLocallyAdministered(0x02_00_00_00_00_01));
        Assert.False(OuiRegistry.IsLocallyAdministered(0x00_17_88_00_00_01));
        Assert.True(OuiRegistry.IsGroup(0x01_00_5e_00_00_fb));
        Assert.True(OuiRegistry.IsGroup(0xff_ff_ff_ff_ff_ff));
    }

    [Fact]
    public void Debians_ieee_listing_names_well_known_vendors()
    {
        const string path = "/usr/share/ieee-data/oui.csv";
        if (!File.Exists(path))
        {
            Assert.Fail($"{path} is missing: install Debian's ieee-data (scripts/install-test-deps.sh does)");
        }
        var r = new OuiRegistry();
        using (var reader = new StreamReader(path)) r.Load(reader);
        Assert.True(r.Count > 30_000, $"only {r.Count} blocks");
        Assert.StartsWith("Philips Lighting", r.Lookup(0x001788e3de0e));
        Assert.StartsWith("Sonos", r.Lookup(0x48a6b8bc01ca));
    }

    [Fact]
    public void A_listing_longer_than_the_read_block_loads_every_row_whatever_its_line_endings()
    {
        // 5000 rows of ~40 chars cross the 64 KB block many times; CRLF endings, a quoted name with "" escapes,
        // and a last row without a newline.
        var text = new System.Text.StringBuilder("Registry,Assignment,Organization Name,Organization Address\r\n");
        for (int i = 0; i < 5000; i++) text.Append($"MA-L,{0xA00000 + i:X6},Vendor number {i},Somewhere {i}\r\n");
        text.Append("MA-L,B00000,\"Say \"\"hi\"\", Inc.\",Street\r\n");
        text.Append("MA-L,B00001,Last Row,No newline");
        var r = new OuiRegistry();
        r.Load(new StringReader(text.ToString()));
        Assert.Equal(5002, r.Count);
        Assert.Equal(0, r.SkippedLines);
        for (int i = 0; i < 5000; i += 7) Assert.Equal($"Vendor number {i}", r.Lookup(((ulong)(0xA00000 + i) << 24) | 0x42));
        Assert.Equal("Say \"hi\", Inc.", r.Lookup(0xB00000_000001));
        Assert.Equal("Last Row", r.Lookup(0xB00001_000001));
    }

    [Fact]
    public async Task A_background_load_is_waited_for_by_the_first_lookup()
    {
        using var release = new ManualResetEventSlim(false);
        var r = OuiRegistry.LoadInBackground(registry =>
        {
            release.Wait(TimeSpan.FromSeconds(30));
            registry.Load(new StringReader("MA-L,001788,Philips Lighting BV,Eindhoven\n"));
        });
        var lookup = Task.Run(() => r.Lookup(0x001788e3de0e));
        var first = await Task.WhenAny(lookup, Task.Delay(TimeSpan.FromMilliseconds(100)));
        Assert.NotSame(lookup, first); // the lookup waits for the load
        release.Set();
        Assert.Equal("Philips Lighting BV", await lookup);
        Assert.Equal(1, r.Count);
    }
}
