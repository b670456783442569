using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using Spectre.Console;
using TapSensor.Capture;

namespace TapSensor.Host;

/// <summary>The <c>tapsensor</c> command line: <c>read</c>, <c>capture</c>, <c>interfaces</c>, <c>sample</c>, <c>geoip</c>, <c>health</c>, <c>report</c>, <c>query</c>.</summary>
internal static partial class TapSensorCli
{
    public static async Task<int> RunAsync(string[] args)
    {
        var root = new RootCommand("TapSensor: a passive network sensor that shows where a household's traffic goes.");
        root.Subcommands.Add(ReadCommand());
        root.Subcommands.Add(CaptureCommand());
        root.Subcommands.Add(InterfacesCommand());
        foreach (var extra in ExtraCommands()) root.Subcommands.Add(extra);
        // The generic host handles Ctrl-C and SIGTERM (flush flows, then exit); keep System.CommandLine out of it.
        var invocation = new InvocationConfiguration { ProcessTerminationTimeout = null };
        return await root.Parse(args).InvokeAsync(invocation).ConfigureAwait(false);
    }

    /// <summary>Options shared by <c>read</c> and <c>capture</c>, each mapped onto a configuration key.</summary>
    private sealed class SharedOptions
    {
        public readonly Option<FileInfo?> Flows = new("--flows") { Description = "Write finished flow records as JSON lines (Zeek conn.log field names)" };
        public readonly Option<FileInfo?> SummaryJson = new("--summary-json") { Description = "Write the end-of-run summary as JSON" };
        public readonly Option<FileInfo?> Devices = new("--devices") { Description = "Write the household's devices as a JSON array at the end" };
        public readonly Option<bool> NoNames = new("--no-names") { Description = "Count flows only: no device discovery or destination names" };
        public readonly Option<DirectoryInfo?> GeoipDir = new("--geoip-dir") { Description = "Folder of the geolocation databases (see scripts/get-geoip-data.sh)" };
        public readonly Option<int?> Workers = new("--workers") { Description = "Flow workers (shards); 1 runs inline on the capture thread" };
        public readonly Option<int?> MaxFlows = new("--max-flows") { Description = "Hard bound on tracked flows (default 250000)" };
        public readonly Option<long?> Count = new("--count", "-c") { Description = "Stop after this many packets" };
        public readonly Option<ulong?> HashSeed = new("--hash-seed") { Description = "Pin the flow-hash seed (reproducible runs)" };
        public readonly Option<FileInfo?> Config = new("--config") { Description = "Extra JSON configuration file (same layout as appsettings.json)" };
        public readonly Option<FileInfo?> Db = new("--db")
        {
            Description = "Keep the flows in this SQLite store (default: tapsensor.db in the data folder when no InfluxDB is configured)",
        };
        public readonly Option<bool> NoDb = new("--no-db") { Description = "Do not keep the flows in the embedded SQLite store" };
        public readonly InfluxCliOptions Influx = new();

        public void AddTo(Command command)
        {
            command.Options.Add(Flows);
            command.Options.Add(SummaryJson);
            command.Options.Add(Devices);
            command.Options.Add(NoNames);
            command.Options.Add(GeoipDir);
            command.Options.Add(Workers);
            command.Options.Add(MaxFlows);
            command.Options.Add(Count);
            command.Options.Add(HashSeed);
            command.Options.Add(Config);
            command.Options.Add(Db);
            command.Options.Add(NoDb);
            Influx.AddTo(command);
        }

        public void Apply(ParseResult result, Dictionary<string, string?> o)
        {
            Set(o, "Output:FlowsPath", result.GetValue(Flows)?.FullName);
            Set(o, "Output:SummaryJsonPath", result.GetValue(SummaryJson)?.FullName);
            Set(o, "Output:DevicesPath", result.GetValue(Devices)?.FullName);
            if (result.GetValue(NoNames)) Set(o, "Pipeline:LearnNames", "false");
            Set(o, "Geo:DataDirectory", result.GetValue(GeoipDir)?.FullName);
            Set(o, "Pipeline:Workers", result.GetValue(Workers));
            Set(o, "Flows:MaxFlows", result.GetValue(MaxFlows));
            Set(o, "Count", result.GetValue(Count));
            Set(o, "Pipeline:HashSeed", result.GetValue(HashSeed));
            if (result.GetValue(Db) is { } db)
            {
                Set(o, "Sqlite:Path", db.FullName);
                Set(o, "Sqlite:Enabled", "true");
            }
            if (result.GetValue(NoDb)) Set(o, "Sqlite:Enabled", "false");
            Influx.Apply(result, o);
        }
    }

    private static Command ReadCommand()
    {
        var file = new Argument<FileInfo>("file") { Description = "pcap or pcapng file" };
        var pace = new Option<bool>("--pace") { Description = "Replay at the capture's original timing instead of as fast as possible" };
        var noProgress = new Option<bool>("--no-progress") { Description = "No progress bar" };
        var shared = new SharedOptions();
        var command = new Command("read", "Read a capture file, track its flows and print a summary") { file, pace, noProgress };
        shared.AddTo(command);
        command.SetAction((result, _) =>
        {
            var o = new Dictionary<string, string?>();
            Set(o, "Mode", nameof(SensorMode.Read));
            Set(o, "ReadFile", result.GetValue(file)!.FullName);
            if (result.GetValue(pace)) Set(o, "Pace", "true");
            if (result.GetValue(noProgress)) Set(o, "Progress", "false");
            shared.Apply(result, o);
            return RunSensorAsync(o, result.GetValue(shared.Config));
        });
        return command;
    }

    private static Command CaptureCommand()
    {
        var iface = new Option<string?>("--interface", "-i") { Description = "Interface to capture on (see 'tapsensor interfaces')" };
        var filter = new Option<string?>("--filter", "-f") { Description = "BPF capture filter (tcpdump syntax)" };
        var snaplen = new Option<int?>("--snaplen", "-s") { Description = "Bytes kept per packet (default 65535)" };
        var buffer = new Option<int?>("--buffer-mib") { Description = "Kernel capture buffer in MiB (default 32)" };
        var noPromisc = new Option<bool>("--no-promiscuous") { Description = "Do not put the interface in promiscuous mode" };
        var noImmediate = new Option<bool>("--no-immediate") { Description = "Let the kernel batch packets (less CPU, more latency)" };
        var shared = new SharedOptions();
        var command = new Command("capture", "Capture on a live interface until stopped (Ctrl-C or SIGTERM)")
            { iface, filter, snaplen, buffer, noPromisc, noImmediate };
        shared.AddTo(command);
        command.SetAction((result, _) =>
        {
            var o = new Dictionary<string, string?>();
            Set(o, "Mode", nameof(SensorMode.Capture));
            Set(o, "Capture:Interface", result.GetValue(iface));
            Set(o, "Capture:Filter", result.GetValue(filter));
            Set(o, "Capture:SnapLength", result.GetValue(snaplen));
            Set(o, "Capture:BufferMiB", result.GetValue(buffer));
            if (result.GetValue(noPromisc)) Set(o, "Capture:Promiscuous", "false");
            if (result.GetValue(noImmediate)) Set(o, "Capture:Immediate", "false");
            shared.Apply(result, o);
            return RunSensorAsync(o, result.GetValue(shared.Config));
        });
        return command;
    }

    private static Command InterfacesCommand()
    {
        var command = new Command("interfaces", "List the interfaces libpcap can capture on, with their addresses");
        command.SetAction(_ =>
        {
            try
            {
                var list = CaptureInterfaces.List();
                var table = new Table().AddColumn("name").AddColumn("addresses").AddColumn("description");
                foreach (var i in list)
                    table.AddRow(Markup.Escape(i.Name), Markup.Escape(string.Join(", ", i.Addresses)),
                        Markup.Escape((i.Description ?? "") + (i.Loopback ? " (loopback)" : "")));
                AnsiConsole.Write(table);
                return 0;
            }
            catch (CaptureException ex)
            {
                Console.Error.WriteLine($"tapsensor: {ex.Message}");
                return 1;
            }
        });
        return command;
    }

    /// <summary>Commands contributed by other parts of the host (sample capture generator, ...).</summary>
    private static IEnumerable<Command> ExtraCommands()
    {
        yield return SampleCommand();
        yield return Commands.GeoipCommand.Create();
        yield return Commands.HealthCommand.Create();
        yield return Commands.ReportCommand.Create();
        yield return Commands.QueryCommand.Create();
    }

    private static Command SampleCommand()
    {
        var output = new Argument<FileInfo>("output") { Description = "pcap file to write" };
        var packets = new Option<long>("--packets") { Description = "Packets to write", DefaultValueFactory = _ => 1_000_000 };
        var seed = new Option<ulong>("--seed") { Description = "Generator seed (same seed, same bytes)", DefaultValueFactory = _ => 1 };
        var flood = new Option<bool>("--flood") { Description = "Write a SYN flood to distinct 5-tuples instead of household traffic" };
        var command = new Command("sample", "Write a realistic, generated household capture (or a SYN flood) to try TapSensor without a network")
            { output, packets, seed, flood };
        command.SetAction(result =>
        {
            var file = result.GetValue(output)!;
            long n = result.GetValue(packets);
            if (n < 1)
            {
                Console.Error.WriteLine($"tapsensor: --packets must be at least 1; got {n}");
                return 2;
            }
            try
            {
                if (file.Directory is { Exists: false } dir) dir.Create();
                using var stream = new FileStream(file.FullName, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
                var stats = result.GetValue(flood)
                    ? TapSensor.Sample.FloodCapture.Write(stream, new TapSensor.Sample.FloodOptions { Packets = n, Seed = result.GetValue(seed) })
                    : TapSensor.Sample.HouseholdCapture.Write(stream, new TapSensor.Sample.HouseholdOptions { Packets = n, Seed = result.GetValue(seed) });
                Console.WriteLine($"wrote {file.FullName}: {stats.Packets:N0} packets, {stats.Bytes:N0} bytes, {stats.Flows:N0} flows, {stats.Duration} of traffic");
                return 0;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine($"tapsensor: cannot write '{file.FullName}': {ex.Message}");
                return 1;
            }
        });
        return command;
    }

    private static void Set<T>(Dictionary<string, string?> o, string key, T? value)
    {
        if (value is null) return;
        o[SensorOptions.Section + ":" + key] = Convert.ToString(value, CultureInfo.InvariantCulture);
    }

    /// <summary>Builds the generic host for one sensor run and reports its outcome.</summary>
    internal static async Task<int> RunSensorAsync(Dictionary<string, string?> overrides, FileInfo? extraConfig,
        Action<IServiceCollection>? configureServices = null)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = [],
            ContentRootPath = AppContext.BaseDirectory,
        });
        if (extraConfig is not null)
        {
            if (!extraConfig.Exists)
            {
                Console.Error.WriteLine($"tapsensor: configuration file not found: '{extraConfig.FullName}'");
                return 2;
            }
            builder.Configuration.AddJsonFile(extraConfig.FullName, optional: false);
        }
        builder.Configuration.AddInMemoryCollection(overrides);

        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss ";
        });
        // Logs go to stderr; stdout carries the summary (and can be piped).
        builder.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);

        builder.Services.AddOptions<SensorOptions>().Bind(builder.Configuration.GetSection(SensorOptions.Section)).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<SensorOptions>, SensorOptionsValidator>();
        builder.Services.AddSingleton<RunOutcome>();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<IFlowRecordSinkFactory, FlowRecordSinkFactory>();
        builder.Services.AddHostedService<SensorService>();
        configureServices?.Invoke(builder.Services);

        IHost host;
        try
        {
            host = builder.Build();
        }
        catch (InvalidOperationException ex)
        {
            Console.Error.WriteLine($"tapsensor: invalid configuration: {ex.Message}");
            return 2;
        }

        using (host)
        {
            SensorOptions options;
            try
            {
                // Validate before starting, so a bad setting is one clear line rather than a hosting failure.
                options = host.Services.GetRequiredService<IOptions<SensorOptions>>().Value;
            }
            catch (OptionsValidationException ex)
            {
                foreach (var failure in ex.Failures) Console.Error.WriteLine($"tapsensor: {failure}");
                return 2;
            }
            catch (InvalidOperationException ex)
            {
                Console.Error.WriteLine($"tapsensor: invalid configuration: {ex.Message}");
                return 2;
            }

            var outcome = host.Services.GetRequiredService<RunOutcome>();
            await host.StartAsync().ConfigureAwait(false);
            await host.WaitForShutdownAsync().ConfigureAwait(false);
            if (outcome.Summary is { } summary)
            {
                SummaryPrinter.Print(summary, AnsiConsole.Console);
                if (options.Output.SummaryJsonPath is { } path) summary.WriteJson(path);
            }
            return outcome.ExitCode;
        }
    }
}
