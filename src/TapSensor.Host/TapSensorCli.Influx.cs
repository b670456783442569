using System.CommandLine;

namespace TapSensor.Host;

internal static partial class TapSensorCli
{
    /// <summary>
    /// The InfluxDB options of <c>read</c> and <c>capture</c>, bound to <c>TapSensor:Influx:*</c>. The token is
    /// only ever read from a file or the environment (TAPSENSOR__INFLUX__TOKEN), never from the command line,
    /// where other users could see it in the process list.
    /// </summary>
    private sealed class InfluxCliOptions
    {
        private readonly Option<string?> _url = new("--influx-url") { Description = "Write to InfluxDB at this URL, e.g. http://localhost:8086" };
        private readonly Option<string?> _database = new("--influx-database") { Description = "InfluxDB 1.x database (1.x write API)" };
        private readonly Option<string?> _org = new("--influx-org") { Description = "InfluxDB 2.x/3.x organisation (v2 write API)" };
        private readonly Option<string?> _bucket = new("--influx-bucket") { Description = "InfluxDB 2.x/3.x bucket (v2 write API)" };
        private readonly Option<FileInfo?> _tokenFile = new("--influx-token-file") { Description = "File holding the InfluxDB API token (v2); or set TAPSENSOR__INFLUX__TOKEN" };

        public void AddTo(Command command)
        {
            command.Options.Add(_url);
            command.Options.Add(_database);
            command.Options.Add(_org);
            command.Options.Add(_bucket);
            command.Options.Add(_tokenFile);
        }

        public void Apply(ParseResult result, Dictionary<string, string?> o)
        {
            Set(o, "Influx:Url", result.GetValue(_url));
            Set(o, "Influx:Database", result.GetValue(_database));
            Set(o, "Influx:Org", result.GetValue(_org));
            Set(o, "Influx:Bucket", result.GetValue(_bucket));
            Set(o, "Influx:TokenFile", result.GetValue(_tokenFile)?.FullName);
        }
    }
}
