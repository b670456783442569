using TapSensor.Sinks.Influx.Tests.Infrastructure;
using TapSensor.Sinks.Influx.Writing;
using R = TapSensor.Sinks.Influx.Tests.Infrastructure.ScriptedHandler;

namespace TapSensor.Sinks.Influx.Tests;

/// <summary>The API token and the password reach the Authorization header and nowhere else.</summary>
public sealed class TokenTests
{
    private const string Token = "tok-7Hq2-SECRET-31337";

    [Fact]
    public void A_secret_shows_as_stars()
    {
        var s = new Secret(Token);
        Assert.Equal("***", s.ToString());
        Assert.Equal("token ***", $"token {s}");
        Assert.DoesNotContain(Token, System.Text.Json.JsonSerializer.Serialize(new { s }));
    }

    [Fact]
    public void Configuration_binds_a_secret_from_a_string()
    {
        var converter = System.ComponentModel.TypeDescriptor.GetConverter(typeof(Secret));
        Assert.True(converter.CanConvertFrom(typeof(string)));
        Assert.Equal(Token, ((Secret)converter.ConvertFrom(Token + "\n")!).Reveal());
    }

    [Fact]
    public async Task The_token_never_appears_in_the_log_whatever_happens()
    {
        using var t = new TestSink(o =>
        {
            o.Database = null;
            o.Org = "home";
            o.Bucket = "tap";
            o.Token = new Secret(Token);
            o.BatchPoints = 3;
            o.MaxRetries = 1;
        }, script: (r, i) =>
        {
            Assert.Equal("Token " + Token, r.Header("Authorization"));
            return i switch
            {
                0 => R.Status(401, """{"code":"unauthorized","message":"unauthorized access"}"""),
                1 => R.Refused(),
                2 => R.Status(500, """{"code":"internal error","message":"boom"}"""),
                3 => R.Status(400, """{"code":"invalid","message":"partial write: unable to parse 'x': bad dropped=0"}"""),
                _ => R.Status(204),
            };
        });
        t.Sink.Write(Records.Many(12));
        await t.AdvanceUntilAsync(() => t.Handler.Count >= 6, TimeSpan.FromMilliseconds(500));
        await t.CompleteAsync();

        Assert.NotEmpty(t.Logger.Entries);
        Assert.Contains(t.Logger.Entries, e => e.EventId == 5007);
        Assert.DoesNotContain(Token, t.Logger.AllText);
        Assert.DoesNotContain("7Hq2", t.Logger.AllText);
    }

    [Fact]
    public void Validation_messages_and_the_endpoint_description_leave_credentials_out()
    {
        var o = new InfluxOptions { Url = "http://user:" + Token + "@h:8086", Org = "o", Bucket = "b", Token = new Secret(Token) };
        Assert.All(o.Validate(), m => Assert.DoesNotContain(Token, m));
        o.Url = "http://h:8086";
        Assert.DoesNotContain(Token, InfluxEndpoint.Create(o).Description);
        Assert.DoesNotContain(Token, InfluxOptions.Redact("http://user:" + Token + "@h:8086/x?token=" + Token));
    }
}
