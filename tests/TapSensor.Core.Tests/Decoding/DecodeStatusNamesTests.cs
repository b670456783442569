using System.Text.RegularExpressions;
using TapSensor.Core.Decoding;

namespace TapSensor.Core.Tests.Decoding;

public sealed class DecodeStatusNamesTests
{
    private static readonly Regex Dotted = new("^decode(\\.[a-z0-9_]+)+$");

    [Fact]
    public void Every_status_has_a_unique_dotted_name()
    {
        var names = new HashSet<string>();
        foreach (DecodeStatus status in Enum.GetValues<DecodeStatus>())
        {
            string name = DecodeStatusNames.Name(status);
            Assert.Matches(Dotted, name);
            Assert.NotEqual("decode.unknown_status", name);
            Assert.True(names.Add(name), $"{name} is used twice");
        }
    }

    [Fact]
    public void Status_count_covers_every_value_densely()
    {
        DecodeStatus[] values = Enum.GetValues<DecodeStatus>();
        Assert.Equal(DecodeStatusNames.Count, values.Length);
        for (int i = 0; i < values.Length; i++) Assert.Equal(i, (int)values[i]);
    }

    [Fact]
    public void Names_the_lead_relies_on_are_stable()
    {
        Assert.Equal("decode.ok", DecodeStatusNames.Name(DecodeStatus.Ok));
        Assert.Equal("decode.l2.not_ip", DecodeStatusNames.Name(DecodeStatus.NotIp));
        Assert.Equal("decode.ipv4.truncated", DecodeStatusNames.Name(DecodeStatus.Ipv4Truncated));
        Assert.Equal("decode.ipv4.bad_header_length", DecodeStatusNames.Name(DecodeStatus.Ipv4BadHeaderLength));
        Assert.Equal("decode.link.unknown_linktype", DecodeStatusNames.Name(DecodeStatus.UnknownLinkType));
        Assert.Equal("decode.ipv4.fragment_unmatched", DecodeNoteNames.Name(DecodeNote.Ipv4FragmentUnmatched));
    }

    [Fact]
    public void Only_ok_and_not_ip_are_not_errors()
    {
        foreach (DecodeStatus status in Enum.GetValues<DecodeStatus>())
            Assert.Equal(status is not (DecodeStatus.Ok or DecodeStatus.NotIp), DecodeStatusNames.IsError(status));
    }

    [Fact]
    public void Every_note_has_a_unique_dotted_name()
    {
        DecodeNote[] values = Enum.GetValues<DecodeNote>();
        Assert.Equal(DecodeNoteNames.Count, values.Length);
        var names = new HashSet<string>();
        foreach (DecodeNote note in values)
        {
            string name = DecodeNoteNames.Name(note);
            Assert.Matches(Dotted, name);
            Assert.NotEqual("decode.unknown_note", name);
            Assert.True(names.Add(name), $"{name} is used twice");
            Assert.DoesNotContain(name, Enum.GetValues<DecodeStatus>().Select(DecodeStatusNames.Name));
        }
    }
}
