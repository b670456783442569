using System.Net;
using TapSensor.Sinks.Influx.Writing;

namespace TapSensor.Sinks.Influx.Tests.Writing;

public sealed class WriteErrorsTests
{
    // Bodies as InfluxDB 1.6.7 returned them (see RECIPES and the integration tests).
    private const string V1Partial = """{"error":"partial write: unable to parse 'bad line here': invalid field format\nunable to parse 'also bad=': missing field value dropped=0"}""";
    private const string V1TypeConflict = """{"error":"partial write: field type conflict: input field \"v\" on measurement \"m\" is type string, already exists as type integer dropped=2"}""";
    private const string V1WholeBatch = """{"error":"field type conflict"}""";

    [Theory]
    [InlineData(V1Partial, 10, 2)]
    [InlineData(V1TypeConflict, 10, 2)]
    [InlineData(V1WholeBatch, 10, 10)]
    [InlineData("""{"code":"invalid","message":"partial write: field type conflict: input field \"x\" dropped=3"}""", 10, 3)]
    [InlineData("""{"code":"invalid","message":"unable to parse 'x': bad"}""", 10, 10)]
    [InlineData("""{"error":"partial write of line protocol occurred","data":[{"original_line":"a","line_number":2,"error_message":"e"},{"original_line":"b","line_number":5,"error_message":"e"}]}""", 10, 2)]
    [InlineData("not json at all", 4, 4)]
    [InlineData("""{"error":"partial write: something new"}""", 7, 7)]
    public void Counts_the_points_a_4xx_refused(string body, int points, int rejected)
    {
        string message = WriteErrors.MessageOf(body, out int? listed);
        Assert.Equal(rejected, WriteErrors.CountRejected(message, listed, points));
    }

    [Fact]
    public void The_message_for_warnings_leaves_the_rejected_lines_out()
    {
        string message = WriteErrors.MessageOf(V1Partial, out _);
        string redacted = WriteErrors.WithoutLines(message);
        Assert.DoesNotContain("bad line here", redacted);
        Assert.DoesNotContain("also bad", redacted);
        Assert.Contains("unable to parse <line>: invalid field format", redacted);
        Assert.Contains("missing field value dropped=0", redacted);
    }

    [Theory]
    [InlineData(204, "", "Written")]
    [InlineData(200, "", "Written")]
    [InlineData(400, V1Partial, "Rejected")]
    [InlineData(422, "{}", "Rejected")]
    [InlineData(401, """{"error":"authorization failed"}""", "ConfigurationError")]
    [InlineData(403, "{}", "ConfigurationError")]
    [InlineData(404, """{"error":"database not found: \"tap\""}""", "DatabaseNotFound")]
    [InlineData(404, "404 page not found", "ConfigurationError")]
    [InlineData(404, """{"code":"not found","message":"bucket \"tap\" not found"}""", "ConfigurationError")]
    [InlineData(408, "", "Transient")]
    [InlineData(413, "", "TooLarge")]
    [InlineData(429, "", "Transient")]
    [InlineData(500, """{"error":"timeout"}""", "Transient")]
    [InlineData(500, """{"error":"retention policy not found: nope"}""", "ConfigurationError")]
    [InlineData(502, "", "Transient")]
    [InlineData(503, "", "Transient")]
    [InlineData(504, "", "Transient")]
    public void Responses_are_classified_as_Telegraf_classifies_them(int status, string body, string expected) =>
        Assert.Equal(expected, InfluxHttpWriter.Classify((HttpStatusCode)status, body, null, 10).Status.ToString());
}
