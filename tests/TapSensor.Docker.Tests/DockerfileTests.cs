using System.Text.RegularExpressions;
using System.Xml.Linq;
using TapSensor.Docker.Tests.Infrastructure;

namespace TapSensor.Docker.Tests;

/// <summary>docker/Dockerfile, read instruction by instruction: stages, user, capabilities, health check, and the same publish as CI.</summary>
public sealed class DockerfileTests
{
    private static readonly Dockerfile Image = Dockerfile.Parse(Repo.Read("docker", "Dockerfile"));

    private static string Runs(Stage stage) => string.Join("\n", stage.All("RUN").Select(r => r.Arguments));

    [Fact]
    public void The_parser_reads_continuations_stages_and_exec_forms()
    {
        var parsed = Dockerfile.Parse("""
            # syntax=docker/dockerfile:1
            ARG TAG=1.2
            FROM base:${TAG} AS one
            RUN a \
                # a comment inside
                && b
            FROM one
            USER 10:10
            CMD ["x", "y"]
            """);

        Assert.Equal(2, parsed.Stages.Count);
        Assert.Equal("base:1.2", parsed.Stages[0].Image);
        Assert.Equal("one", parsed.Stages[0].Name);
        Assert.Equal("a && b", Assert.Single(parsed.Stages[0].All("RUN")).Arguments);
        Assert.Null(parsed.Stages[1].Name);
        Assert.Equal(["x", "y"], Instruction.ExecForm(parsed.Final.Last("CMD")!.Arguments)!);
    }

    [Fact]
    public void The_image_is_built_in_a_data_a_build_and_a_runtime_stage()
    {
        Assert.Equal(["data", "build", "runtime"], Image.Stages.Select(s => s.Name));
        Assert.StartsWith("node:", Image.Stage("data").Image);
        Assert.Equal("mcr.microsoft.com/dotnet/sdk:10.0", Image.Stage("build").Image);
        Assert.Matches(@"^mcr\.microsoft\.com/dotnet/(runtime|runtime-deps):10\.0", Image.Final.Image);
        Assert.Same(Image.Stage("runtime"), Image.Final);
    }

    [Fact]
    public void The_data_stage_fetches_the_geolocation_data_and_the_country_shapes()
    {
        var data = Image.Stage("data");
        var runs = Runs(data);

        Assert.Matches(@"scripts/get-geoip-data\.sh /data/geoip", runs);
        Assert.Matches(@"scripts/get-map-data\.sh /data/map", runs);
        var copied = data.All("COPY").SelectMany(c => c.Words.SkipLast(1)).ToList();
        Assert.Contains("scripts/get-geoip-data.sh", copied);
        Assert.Contains("scripts/get-map-data.sh", copied);
        var toData = Assert.Single(Image.Final.All("COPY"), c => c.Flags.GetValueOrDefault("from") == "data");
        Assert.Equal(["/data", "/var/lib/tapsensor"], toData.Words);
    }

    [Fact]
    public void The_build_stage_publishes_with_the_script_that_run_sh_and_the_tests_use()
    {
        var build = Image.Stage("build");

        Assert.Matches(@"(^|\s)(bash )?scripts/publish\.sh /app\b", Runs(build));
        var runSh = Repo.Read("scripts", "run.sh");
        Assert.Contains("scripts/publish.sh", runSh);
        Assert.DoesNotContain("dotnet publish", runSh);
        var publish = Repo.Read("scripts", "publish.sh");
        Assert.Matches(@"dotnet publish ""\$repo/src/TapSensor\.Host/TapSensor\.Host\.csproj"" -c Release", publish);
        // CI (.ci/run) runs scripts/test.sh, which runs every test project of the solution, this one included, and
        // ScriptsTheImageRunsTests publishes with scripts/publish.sh: CI and the image build the same way.
        Assert.Contains("scripts/test.sh", Repo.Read(".ci", "run"));
        Assert.Matches(@"dotnet test TapSensor\.sln", Repo.Read("scripts", "test.sh"));
        Assert.Contains(@"tests\TapSensor.Docker.Tests\TapSensor.Docker.Tests.csproj", Repo.Read("TapSensor.sln"));
    }

    [Fact]
    public void Restore_runs_on_the_project_files_alone_so_the_layer_is_cached()
    {
        var build = Image.Stage("build").Instructions.ToList();
        int restore = build.FindIndex(i => i.Keyword == "RUN" && i.Arguments.Contains("dotnet restore", StringComparison.Ordinal));
        int sources = build.FindIndex(i => i.Keyword == "COPY" && i.Words[0] == "src/");
        Assert.True(restore > 0, "no 'dotnet restore' step");
        Assert.True(sources > restore, "the sources must be copied after the restore");

        var copiedBefore = build.Take(restore).Where(i => i.Keyword == "COPY").SelectMany(i => i.Words.SkipLast(1)).ToHashSet();
        foreach (var project in ProjectClosure("src/TapSensor.Host/TapSensor.Host.csproj"))
            Assert.True(copiedBefore.Contains(project), $"{project} is not copied before the restore");
        foreach (var props in new[] { "Directory.Build.props", "Directory.Packages.props" })
            Assert.Contains(props, copiedBefore);
    }

    [Fact]
    public void Every_file_the_build_copies_is_in_the_repository_and_not_ignored()
    {
        var ignore = File.ReadAllLines(Repo.Path(".dockerignore")).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
        foreach (var copy in Image.Stages.SelectMany(s => s.All("COPY")).Where(c => !c.Flags.ContainsKey("from")))
        {
            foreach (var source in copy.Words.SkipLast(1))
            {
                // scripts/get-map-data.sh comes with the map data work; once it is in the repository it is checked too.
                if (source == "scripts/get-map-data.sh" && !File.Exists(Repo.Path("scripts", "get-map-data.sh"))) continue;
                Assert.True(File.Exists(Repo.Path(source)) || Directory.Exists(Repo.Path(source)), $"COPY {source}: not in the repository");
                Assert.DoesNotContain(ignore, pattern => source.TrimEnd('/').StartsWith(pattern.TrimEnd('/'), StringComparison.Ordinal));
            }
        }
        Assert.Contains("**/bin/", ignore);
        Assert.Contains("**/obj/", ignore);
    }

    [Fact]
    public void The_runtime_runs_as_a_fixed_non_root_user_that_owns_the_data_folder()
    {
        var runtime = Image.Final;
        var args = Dockerfile.StageArgs(runtime);
        var user = Dockerfile.Substitute(runtime.Last("USER")!.Arguments, args);

        var ids = user.Split(':');
        Assert.All(ids, id => Assert.True(int.TryParse(id, out int n) && n >= 1000, $"USER {user}: uid and gid must be fixed numbers other than root"));
        Assert.Matches(@"useradd [^;]*--uid ""?\$\{APP_UID\}""?", Runs(runtime)); // the user exists, with the uid USER names
        Assert.Equal(args["APP_UID"], ids[0]);
        var toData = Assert.Single(runtime.All("COPY"), c => c.Flags.GetValueOrDefault("from") == "data");
        Assert.Equal(user, Dockerfile.Substitute(toData.Flags["chown"], args));
        Assert.Contains(runtime.All("ENV"), e => e.Arguments.Contains("TAPSENSOR_DATA=/var/lib/tapsensor", StringComparison.Ordinal));
        // USER comes after every RUN: the setup runs as root, the sensor never does.
        var instructions = runtime.Instructions.ToList();
        Assert.True(instructions.FindLastIndex(i => i.Keyword == "RUN") < instructions.FindIndex(i => i.Keyword == "USER"));
    }

    [Fact]
    public void The_executable_gets_exactly_the_two_capture_capabilities()
    {
        var runs = Runs(Image.Final);
        var setcap = Regex.Matches(runs, @"setcap\s+(\S+)\s+([^\s;&|]+)");

        var m = Assert.Single(setcap);
        Assert.Equal("/app/tapsensor", m.Groups[2].Value);
        var grant = Regex.Match(m.Groups[1].Value, @"^([a-z_,]+)([+=])([eip]+)$");
        Assert.True(grant.Success, $"cannot read the capability set '{m.Groups[1].Value}'");
        Assert.Equal(["cap_net_admin", "cap_net_raw"], grant.Groups[1].Value.Split(',').Order());
        Assert.Equal("ep", new string(grant.Groups[3].Value.Order().ToArray()));
    }

    [Fact]
    public void Packages_come_without_recommends_and_leave_no_lists_or_setcap_behind()
    {
        var install = Assert.Single(Image.Final.All("RUN"), r => r.Arguments.Contains("apt-get install", StringComparison.Ordinal));
        var text = install.Arguments;

        Assert.Contains("--no-install-recommends", text);
        Assert.Matches(@"apt-get install[^;&]*\blibpcap0\.8\b", text);
        Assert.Matches(@"apt-get install[^;&]*\bieee-data\b", text);
        Assert.Contains("rm -rf /var/lib/apt/lists/*", text);
        // libcap2-bin (setcap) is removed in the same layer it arrives in.
        Assert.Matches(@"apt-get purge[^;&]*\blibcap2-bin\b", text);
    }

    [Fact]
    public void The_container_starts_tapsensor_capture_and_checks_its_health()
    {
        var runtime = Image.Final;

        Assert.Equal(["/app/tapsensor"], Instruction.ExecForm(runtime.Last("ENTRYPOINT")!.Arguments)!);
        Assert.Equal(["capture"], Instruction.ExecForm(runtime.Last("CMD")!.Arguments)!);
        var health = runtime.Last("HEALTHCHECK")!;
        var cmd = health.Arguments[(health.Arguments.IndexOf("CMD ", StringComparison.Ordinal) + 4)..];
        var exec = Instruction.ExecForm(cmd)!;
        Assert.Equal("/app/tapsensor", exec[0]);
        Assert.Equal("health", exec[1]);
        Assert.True(health.Flags.ContainsKey("interval") && health.Flags.ContainsKey("start-period"));
    }

    [Fact]
    public void The_image_carries_oci_labels()
    {
        var labels = string.Join(" ", Image.Final.All("LABEL").Select(l => l.Arguments));

        foreach (var key in new[] { "title", "description", "version", "revision" })
            Assert.Contains($"org.opencontainers.image.{key}=", labels);
    }

    /// <summary>The project and every project it references, transitively, as repository paths.</summary>
    private static HashSet<string> ProjectClosure(string project)
    {
        var all = new HashSet<string>(StringComparer.Ordinal);
        var queue = new Queue<string>([project]);
        while (queue.TryDequeue(out var p))
        {
            if (!all.Add(p)) continue;
            var dir = Path.GetDirectoryName(p)!;
            foreach (var reference in XDocument.Load(Repo.Path(p)).Descendants("ProjectReference"))
            {
                var full = Path.GetFullPath(Path.Combine(Repo.Root, dir, reference.Attribute("Include")!.Value.Replace('\\', '/')));
                queue.Enqueue(Path.GetRelativePath(Repo.Root, full).Replace('\\', '/'));
            }
        }
        return all;
    }
}
