using System.Text;
using TapSensor.Sinks.Influx.LineProtocol;

namespace TapSensor.Sinks.Influx.Tests.LineProtocol;

public sealed class LineScannerTests
{
    [Fact]
    public void Newlines_inside_string_fields_and_quotes_in_tags_do_not_end_a_line()
    {
        string text = "m,t=a\"b f=\"x\ny\",g=\"q\\\"\n\" 1\nm,t=\\ \" f=1i 2\nm f=\"\" 3\n";
        var bytes = Encoding.UTF8.GetBytes(text);
        Assert.Equal(3, LineScanner.CountLines(bytes));
        int first = LineScanner.NextLineEnd(bytes, 0);
        Assert.Equal("m,t=a\"b f=\"x\ny\",g=\"q\\\"\n\" 1\n", Encoding.UTF8.GetString(bytes, 0, first));
    }
}
