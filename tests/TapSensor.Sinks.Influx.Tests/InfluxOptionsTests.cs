namespace TapSensor.Sinks.Influx.Tests;

public sealed class InfluxOptionsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tapsensor-options-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string File(string name, string content)
    {
        string path = Path.Combine(_dir, name);
        System.IO.File.WriteAllText(path, content);
        return path;
    }

    [Fact]
    public void Off_by_default()
    {
        var o = new InfluxOptions();
        Assert.False(o.Enabled);
        Assert.Empty(o.Validate());
    }

    [Fact]
    public void A_1x_and_a_v2_setup_are_valid()
    {
        Assert.Empty(new InfluxOptions { Url = "http://localhost:8086", Database = "tap" }.Validate());
        Assert.Empty(new InfluxOptions { Url = "https://influx.example/proxy/", Org = "home", Bucket = "tap", TokenFile = File("token", "abc\n") }.Validate());
        Assert.Empty(new InfluxOptions { Url = "http://localhost:8086", Org = "home", Bucket = "tap", Token = new Secret("abc") }.Validate());
        Assert.Empty(new InfluxOptions { Url = "http://localhost:8086", Database = "tap", Username = "u", PasswordFile = File("pw", "p") }.Validate());
    }

    public static TheoryData<string, string> Invalid => new()
    {
        { "Database=tap", "Influx:Database is set but Influx:Url is not" },
        { "Url=localhost:8086;Database=tap", "Influx:Url must be an absolute http(s) URL; got 'localhost:8086'" },
        { "Url=ftp://h;Database=tap", "Influx:Url must be an absolute http(s) URL" },
        { "Url=http://h:8086/?db=x;Database=tap", "Influx:Url must not have a query" },
        { "Url=http://u:p@h:8086;Database=tap", "Influx:Url must not carry credentials" },
        { "Url=http://h:8086", "Influx:Url needs Influx:Database (InfluxDB 1.x API) or Influx:Org and Influx:Bucket" },
        { "Url=http://h:8086;Database=tap;Bucket=b", "set either Database (InfluxDB 1.x API) or Org and Bucket" },
        { "Url=http://h:8086;Bucket=b;Token=t", "Influx:Org is required with Influx:Bucket" },
        { "Url=http://h:8086;Org=o;Bucket=b", "Influx:TokenFile (or the TAPSENSOR__INFLUX__TOKEN environment variable) is required with the v2 API" },
        { "Url=http://h:8086;Org=o;Bucket=b;TokenFile=/nonexistent/token", "Influx:TokenFile must name a readable file; '/nonexistent/token' does not exist" },
        { "Url=http://h:8086;Database=tap;Token=t", "apply to the v2 API" },
        { "Url=http://h:8086;Database=tap;Username=u", "Influx:PasswordFile (or TAPSENSOR__INFLUX__PASSWORD) is required with Influx:Username" },
        { "Url=http://h:8086;Database=tap;Precision=minutes", "Influx:Precision must be ns, us, ms or s; got 'minutes'" },
        { "Url=http://h:8086;Database=tap;BatchPoints=0", "Influx:BatchPoints must be between 1 and 100000; got 0" },
        { "Url=http://h:8086;Database=tap;SpoolMaxBytes=-1", "Influx:SpoolMaxBytes must be 0 (no spool) or positive; got -1" },
        { "Url=http://h:8086;Database=tap;Sensor= ", "Influx:Sensor must not be blank" },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Invalid_settings_name_the_setting_and_what_would_be_valid(string settings, string expected)
    {
        var o = new InfluxOptions();
        foreach (var pair in settings.Split(';'))
        {
            var (key, value) = (pair[..pair.IndexOf('=')], pair[(pair.IndexOf('=') + 1)..]);
            switch (key)
            {
                case "Url": o.Url = value; break;
                case "Database": o.Database = value; break;
                case "Org": o.Org = value; break;
                case "Bucket": o.Bucket = value; break;
                case "Token": o.Token = new Secret(value); break;
                case "TokenFile": o.TokenFile = value; break;
                case "Username": o.Username = value; break;
                case "Precision": o.Precision = value; break;
                case "BatchPoints": o.BatchPoints = int.Parse(value); break;
                case "SpoolMaxBytes": o.SpoolMaxBytes = long.Parse(value); break;
                case "Sensor": o.Sensor = value; break;
                default: throw new ArgumentException(key);
            }
        }
        Assert.Contains(o.Validate(), e => e.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void The_sensor_tag_defaults_to_the_host_name() => Assert.Equal(Environment.MachineName, new InfluxOptions().SensorName);

    [Fact]
    public void A_secret_file_gives_its_first_line()
    {
        Assert.Equal("s3cr3t", Secret.FromFile(File("t", "  s3cr3t  \r\nsecond line\n")).Reveal());
    }
}
