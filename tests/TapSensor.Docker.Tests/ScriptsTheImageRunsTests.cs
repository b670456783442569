using System.Text.Json;
using System.Text.RegularExpressions;
using TapSensor.Docker.Tests.Infrastructure;
using TapSensor.Testing;

namespace TapSensor.Docker.Tests;

/// <summary>
/// What the image build runs, run here: scripts/publish.sh (the build stage), setcap/getcap on the published launcher
/// (the runtime stage), and the HEALTHCHECK command of the Dockerfile against a status file.
/// </summary>
public sealed class ScriptsTheImageRunsTests : IClassFixture<ScriptsTheImageRunsTests.Published>, IDisposable
{
    /// <summary>
    /// scripts/publish.sh into a temporary folder, once for the class, in a build context made the way the image's
    /// build stage makes it (the props files, src/ and the script, copied): so it builds what the image builds, and
    /// never in the obj/ folders of the checkout, which the test run may be building at the same moment.
    /// </summary>
    public sealed class Published : IDisposable
    {
        private readonly string _context = System.IO.Directory.CreateTempSubdirectory("tapsensor-context-").FullName;
        public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("tapsensor-publish-").FullName;
        internal ProcessResult Result { get; }
        public string Executable => Path.Combine(Directory, "tapsensor");

        public Published()
        {
            foreach (var file in new[] { "Directory.Build.props", "Directory.Packages.props", ".editorconfig" })
                File.Copy(Repo.Path(file), Path.Combine(_context, file));
            CopySources(Repo.Path("src"), Path.Combine(_context, "src"));
            System.IO.Directory.CreateDirectory(Path.Combine(_context, "scripts"));
            File.Copy(Repo.Path("scripts", "publish.sh"), Path.Combine(_context, "scripts", "publish.sh"));
            Result = Tool.Run("bash", [Path.Combine(_context, "scripts", "publish.sh"), Directory], timeout: TimeSpan.FromMinutes(10));
        }

        /// <summary>Like the Dockerfile's <c>COPY src/ src/</c> with .dockerignore's bin/ and obj/ left out.</summary>
        private static void CopySources(string from, string to)
        {
            System.IO.Directory.CreateDirectory(to);
            foreach (var file in System.IO.Directory.GetFiles(from)) File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
            foreach (var dir in System.IO.Directory.GetDirectories(from))
                if (Path.GetFileName(dir) is not ("bin" or "obj")) CopySources(dir, Path.Combine(to, Path.GetFileName(dir)));
        }

        public void Dispose()
        {
            System.IO.Directory.Delete(Directory, recursive: true);
            System.IO.Directory.Delete(_context, recursive: true);
        }
    }

    private readonly Published _published;
    private readonly string _data = Directory.CreateTempSubdirectory("tapsensor-data-").FullName;
    private static readonly Dockerfile Image = Dockerfile.Parse(Repo.Read("docker", "Dockerfile"));

    public ScriptsTheImageRunsTests(Published published)
    {
        _published = published;
        Assert.True(published.Result.ExitCode == 0, "scripts/publish.sh failed: " + published.Result.Output);
    }

    public void Dispose() => Directory.Delete(_data, recursive: true);

    [Fact]
    public void Publish_writes_a_launcher_that_runs_and_lists_its_commands()
    {
        Assert.Equal(_published.Executable, _published.Result.StdOut.Trim());
        Assert.True(File.Exists(Path.Combine(_published.Directory, "appsettings.json")));

        var r = Tool.Run(_published.Executable, ["--help"]);

        Assert.True(r.ExitCode == 0, r.Output);
        foreach (var command in new[] { "capture", "read", "health", "geoip" })
            Assert.Matches(new Regex($@"^\s+{command}\s", RegexOptions.Multiline), r.StdOut);
    }

    [Fact]
    public void The_healthcheck_command_of_the_image_fails_without_a_status_and_passes_with_a_fresh_one()
    {
        var health = Image.Final.Last("HEALTHCHECK")!;
        var exec = Instruction.ExecForm(health.Arguments[(health.Arguments.IndexOf("CMD ", StringComparison.Ordinal) + 4)..])!;
        Assert.Equal("/app/tapsensor", exec[0]);
        var env = new Dictionary<string, string> { ["TAPSENSOR_DATA"] = _data }; // the image sets TAPSENSOR_DATA too

        var missing = Tool.Run(_published.Executable, exec.Skip(1), environment: env);
        var now = DateTimeOffset.UtcNow;
        File.WriteAllText(Path.Combine(_data, "status.json"), JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["version"] = 1, ["pid"] = Environment.ProcessId, ["host"] = Environment.MachineName, ["mode"] = "capture",
            ["source"] = "eth1", ["state"] = "running", ["started"] = now.AddMinutes(-1), ["updated"] = now, ["packets"] = 10,
        }));
        var fresh = Tool.Run(_published.Executable, exec.Skip(1), environment: env);

        Assert.Equal(1, missing.ExitCode);
        Assert.Contains($"no status file at '{Path.Combine(_data, "status.json")}'", missing.StdErr);
        Assert.True(fresh.ExitCode == 0, fresh.Output);
        Assert.Contains("healthy: running: capture on eth1", fresh.StdOut);
    }

    [Fact]
    public void The_data_folder_of_the_image_is_where_the_sensor_looks_for_geolocation_data()
    {
        var r = Tool.Run(_published.Executable, ["geoip", "--json"], environment: new Dictionary<string, string> { ["TAPSENSOR_DATA"] = _data });

        Assert.True(r.ExitCode == 0, r.Output);
        Assert.Equal(Path.Combine(_data, "geoip"), JsonDocument.Parse(r.StdOut).RootElement.GetProperty("data_directory").GetString());
    }

    [RootFact]
    public void Setcap_as_the_image_runs_it_grants_exactly_the_two_capabilities()
    {
        var setcap = Tool.Require("setcap");
        var getcap = Tool.Require("getcap");
        var runs = string.Join("\n", Image.Final.All("RUN").Select(r => r.Arguments));
        var grant = Regex.Match(runs, @"setcap\s+(\S+)\s+/app/tapsensor").Groups[1].Value;
        var copy = Path.Combine(_data, "tapsensor");
        File.Copy(_published.Executable, copy); // cp does not carry capabilities: the image sets them after its COPY

        Assert.Equal("", Tool.Run(getcap, [copy]).StdOut.Trim());
        var set = Tool.Run(setcap, [grant, copy]);
        var read = Tool.Run(getcap, [copy]);

        Assert.True(set.ExitCode == 0, set.Output);
        Assert.Equal($"{copy} cap_net_admin,cap_net_raw=ep", read.StdOut.Trim());
        // The Dockerfile's own check after setcap expects exactly this text.
        Assert.Contains("grep -q 'cap_net_admin,cap_net_raw=ep'", runs);
    }
}

/// <summary>A fact that needs root (setcap needs CAP_SETFCAP); skipped with the reason otherwise.</summary>
internal sealed class RootFactAttribute : FactAttribute
{
    public RootFactAttribute()
    {
        if (!Environment.IsPrivilegedProcess) Skip = "needs root: setcap writes the security.capability attribute (run the tests as root, as CI does)";
    }
}
