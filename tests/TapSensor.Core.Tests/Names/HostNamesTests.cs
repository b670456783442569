using System.Text;
using TapSensor.Core.Names;

namespace TapSensor.Core.Tests.Names;

public sealed class HostNamesTests
{
    [Theory]
    [InlineData("example.com")]
    [InlineData("www.example.com.")]
    [InlineData("_dmarc.example.org")]
    [InlineData("r1---sn-vh5ouxa-hjuk.googlevideo.com")]
    [InlineData("localhost")]
    [InlineData("192.0.2.1")]
    [InlineData("xn--bcher-kva.example")]
    public void Real_names_are_plausible(string name)
    {
        Assert.True(HostNames.IsPlausible(Encoding.ASCII.GetBytes(name)));
    }

    [Theory]
    [InlineData("")]
    [InlineData(".")]
    [InlineData(".example.com")]
    [InlineData("a..b")]
    [InlineData("a b")]
    [InlineData("a\u0000b")]
    [InlineData("a\nb")]
    [InlineData("server4:443")]
    [InlineData("::1")]
    [InlineData("a/b")]
    [InlineData("a.b..")]
    public void Anything_else_is_not(string name)
    {
        Assert.False(HostNames.IsPlausible(Encoding.Latin1.GetBytes(name)));
    }

    [Fact]
    public void Length_limits_are_253_bytes_and_63_per_label()
    {
        string label63 = new('a', 63);
        string name253 = string.Join('.', label63, label63, label63, new string('b', 61));
        Assert.Equal(253, name253.Length);

        Assert.True(HostNames.IsPlausible(Encoding.ASCII.GetBytes(name253)));
        Assert.True(HostNames.IsPlausible(Encoding.ASCII.GetBytes(name253 + ".")));
        Assert.False(HostNames.IsPlausible(Encoding.ASCII.GetBytes(name253 + "b")));
        Assert.False(HostNames.IsPlausible(Encoding.ASCII.GetBytes(new string('a', 64) + ".example")));
        Assert.False(HostNames.IsPlausible([0xC3, 0xA9, (byte)'.', (byte)'f', (byte)'r']));
    }

    [Theory]
    [InlineData("WWW.Example.COM.", "www.example.com")]
    [InlineData("already.lower", "already.lower")]
    [InlineData("", "")]
    [InlineData(".", "")]
    public void To_lower_string_lowercases_ascii_and_drops_one_trailing_dot(string name, string expected)
    {
        Assert.Equal(expected, HostNames.ToLowerString(Encoding.ASCII.GetBytes(name)));
    }
}
