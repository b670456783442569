using System.Net;
using System.Text;
using TapSensor.Geo.Sources;

namespace TapSensor.Geo.Tests;

public sealed class AsnRangeTableTests
{
    private static (AsnRangeTable Table, AsnCsvReadResult Result) Build(params string[] files)
    {
        var builder = new AsnRangeTableBuilder();
        AsnCsvReadResult last = default;
        long rows = 0, bad = 0, first = 0;
        foreach (var text in files)
        {
            last = builder.Add(new MemoryStream(Encoding.UTF8.GetBytes(text)));
            rows += last.Rows;
            bad += last.Malformed;
            if (first == 0) first = last.FirstMalformedLine;
        }
        return (builder.Build(), new AsnCsvReadResult(rows, bad, first));
    }

    private static GeoProvider? Find(AsnRangeTable t, string address)
    {
        var b = IPAddress.Parse(address).GetAddressBytes();
        if (b.Length == 4) return t.FindV4(System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(b));
        return t.FindV6(System.Buffers.Binary.BinaryPrimitives.ReadUInt128BigEndian(b));
    }

    [Fact]
    public void Range_boundaries_are_inclusive_and_gaps_find_nothing()
    {
        var (t, r) = Build("1.0.0.0,1.0.0.255,13335,\"Cloudflare, Inc.\"\n8.8.8.0,8.8.8.255,15169,Google LLC\n");
        Assert.Equal(2, r.Rows);
        Assert.Equal(13335, Find(t, "1.0.0.0")!.Asn);
        Assert.Equal(13335, Find(t, "1.0.0.255")!.Asn);
        Assert.Null(Find(t, "0.255.255.255"));
        Assert.Null(Find(t, "1.0.1.0"));
        Assert.Null(Find(t, "8.8.7.255"));
        Assert.Equal("Google LLC", Find(t, "8.8.8.8")!.Organisation);
        Assert.Equal(15169, Find(t, "8.8.8.255")!.Asn);
        Assert.Null(Find(t, "8.8.9.0"));
        Assert.Null(Find(t, "255.255.255.255"));
        Assert.Null(Find(t, "0.0.0.0"));
    }

    [Fact]
    public void Quoted_organisations_keep_their_commas_and_doubled_quotes()
    {
        var (t, r) = Build("1.0.0.0,1.0.0.255,13335,\"Cloudflare, Inc.\"\n2.26.200.0,2.26.215.255,201907,\"LLC \"\"SPUTNIK\"\"\"\n3.0.0.0,3.0.0.255,1,\"\"\n");
        Assert.Equal(0, r.Malformed);
        Assert.Equal("Cloudflare, Inc.", Find(t, "1.0.0.1")!.Organisation);
        Assert.Equal("LLC \"SPUTNIK\"", Find(t, "2.26.201.1")!.Organisation);
        Assert.Null(Find(t, "3.0.0.1")!.Organisation); // an empty name is no name
    }

    [Fact]
    public void Ipv6_ranges_use_the_full_128_bits()
    {
        var (t, _) = Build("2001:4860::,2001:4860:4804:ffff:ffff:ffff:ffff:ffff,15169,Google LLC\n" +
                           "2001:4860:4805::,2001:4860:4805:ffff:ffff:ffff:ffff:ffff,43515,Google Ireland Limited\n" +
                           "ffff:ffff::,ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff,64512,Top\n");
        Assert.Equal(15169, Find(t, "2001:4860:4804::8888")!.Asn);
        Assert.Equal(15169, Find(t, "2001:4860:4804:ffff:ffff:ffff:ffff:ffff")!.Asn);
        Assert.Equal(43515, Find(t, "2001:4860:4805::1")!.Asn);
        Assert.Null(Find(t, "2001:4860:4806::"));
        Assert.Null(Find(t, "2001:485f:ffff:ffff:ffff:ffff:ffff:ffff"));
        Assert.Equal(64512, Find(t, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff")!.Asn);
        Assert.Equal(3, t.V6Ranges);
        Assert.Equal(0, t.V4Ranges);
    }

    [Theory]
    [InlineData("1.0.0.0,1.0.0.255,13335")]                  // three fields
    [InlineData("1.0.0.0,1.0.0.255,AS-X,Org")]               // ASN not a number
    [InlineData("1.0.0.0,1.0.0.255,99999999999,Org")]        // ASN above 32 bits
    [InlineData("1.0.0.256,1.0.0.255,1,Org")]                // octet above 255
    [InlineData("1.0.0,1.0.0.255,1,Org")]                    // three octets
    [InlineData("1.0.1.0,1.0.0.255,1,Org")]                  // start after end
    [InlineData("1.0.0.0,::1,1,Org")]                        // families differ
    [InlineData("1.0.0.0,1.0.0.255,1,\"Unclosed, Org")]      // open quote
    [InlineData("1.0.0.0,1.0.0.255,1,\"Stray \" quote\"")]   // lone quote inside quotes
    [InlineData("1.0.0.0,1.0.0.255,1,Bare \"quote")]         // quote in a plain field
    [InlineData("2001:db8::%eth0,2001:db8::1,1,Org")]        // zone id
    [InlineData("garbage")]
    [InlineData(",,,")]
    public void Malformed_lines_are_counted_and_skipped(string bad)
    {
        var (t, r) = Build("8.8.8.0,8.8.8.255,15169,Google LLC\n" + bad + "\n9.9.9.0,9.9.9.255,19281,Quad9\n");
        Assert.Equal(2, r.Rows);
        Assert.Equal(1, r.Malformed);
        Assert.Equal(2, r.FirstMalformedLine);
        Assert.Equal(15169, Find(t, "8.8.8.8")!.Asn);
        Assert.Equal(19281, Find(t, "9.9.9.9")!.Asn);
    }

    [Fact]
    public void Crlf_line_ends_a_bom_blank_lines_and_a_missing_final_newline_are_accepted()
    {
        var (t, r) = Build("\uFEFF8.8.8.0,8.8.8.255,15169,Google LLC\r\n\r\n9.9.9.0,9.9.9.255,19281,\"Quad9\"");
        Assert.Equal(2, r.Rows);
        Assert.Equal(0, r.Malformed);
        Assert.Equal("Google LLC", Find(t, "8.8.8.8")!.Organisation);
        Assert.Equal("Quad9", Find(t, "9.9.9.9")!.Organisation);
    }

    [Fact]
    public void An_overlong_line_is_one_malformed_line_and_reading_goes_on()
    {
        var longLine = "1.0.0.0,1.0.0.255,1," + new string('x', 100_000);
        var (t, r) = Build("8.8.8.0,8.8.8.255,15169,Google LLC\n" + longLine + "\n9.9.9.0,9.9.9.255,19281,Quad9\n");
        Assert.Equal(2, r.Rows);
        Assert.Equal(1, r.Malformed);
        Assert.Equal(2, r.FirstMalformedLine);
        Assert.Null(Find(t, "1.0.0.1"));
        Assert.Equal(19281, Find(t, "9.9.9.9")!.Asn);
    }

    [Fact]
    public void Overlapping_ranges_let_the_later_start_win_and_the_outer_range_resume()
    {
        // The published IPv4 file has one such pair: 214.95.0.0-215.0.255.255 (AS749) and 215.0.0.0-215.1.3.255 (AS721).
        var (t, _) = Build("214.95.0.0,215.0.255.255,749,DoD\n215.0.0.0,215.1.3.255,721,DoD NIC\n" +
                           "10.0.0.0,10.255.255.255,1,Outer\n10.1.0.0,10.1.255.255,2,Inner\n");
        Assert.Equal(749, Find(t, "214.255.255.255")!.Asn);
        Assert.Equal(721, Find(t, "215.0.0.0")!.Asn);
        Assert.Equal(721, Find(t, "215.1.3.255")!.Asn);
        Assert.Null(Find(t, "215.1.4.0"));
        Assert.Equal(1, Find(t, "10.0.255.255")!.Asn);
        Assert.Equal(2, Find(t, "10.1.0.0")!.Asn);
        Assert.Equal(2, Find(t, "10.1.255.255")!.Asn);
        Assert.Equal(1, Find(t, "10.2.0.0")!.Asn);
        Assert.Equal(1, Find(t, "10.255.255.255")!.Asn);
    }

    [Fact]
    public void Adjacent_ranges_of_one_provider_are_joined_and_providers_and_names_are_shared()
    {
        var (t, r) = Build("8.8.8.0,8.8.8.255,15169,Google LLC\n8.8.9.0,8.8.9.255,15169,Google LLC\n" +
                           "8.34.208.0,8.34.223.255,15169,Google LLC\n2001:4860::,2001:4860:ffff:ffff:ffff:ffff:ffff:ffff,15169,Google LLC\n");
        Assert.Equal(4, r.Rows);
        Assert.Equal(2, t.V4Ranges);
        Assert.Equal(1, t.Providers);
        Assert.Equal(1, t.Organisations);
        Assert.Same(Find(t, "8.8.8.8"), Find(t, "8.34.210.1"));
        Assert.Same(Find(t, "8.8.8.8"), Find(t, "2001:4860::1"));
        Assert.True(t.MemoryBytes > 0);
    }

    [Fact]
    public void Unsorted_input_is_sorted()
    {
        var (t, _) = Build("9.9.9.0,9.9.9.255,19281,Quad9\n1.1.1.0,1.1.1.255,13335,Cloudflare\n8.8.8.0,8.8.8.255,15169,Google LLC\n");
        Assert.Equal(13335, Find(t, "1.1.1.1")!.Asn);
        Assert.Equal(15169, Find(t, "8.8.8.8")!.Asn);
        Assert.Equal(19281, Find(t, "9.9.9.9")!.Asn);
    }

    [Fact]
    public void As0_means_not_routed_and_gives_no_provider()
    {
        var (t, _) = Build("5.0.0.0,5.0.0.255,0,Not routed\n");
        Assert.Null(Find(t, "5.0.0.1"));
    }

    [Fact]
    public void An_empty_file_builds_an_empty_table()
    {
        var (t, r) = Build("");
        Assert.Equal(0, r.Rows);
        Assert.Null(Find(t, "8.8.8.8"));
        Assert.Null(Find(t, "2001:4860::1"));
    }
}
