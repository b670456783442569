using System.Text.Json;
using TapSensor.Testing;

namespace TapSensor.Docker.Tests.Infrastructure;

/// <summary>
/// <c>docker-compose config</c> (Debian's docker-compose; it needs no Docker engine) over docker/compose.yaml or a
/// copy of docker/ in a temporary folder that a test may change.
/// </summary>
internal sealed class Compose : IDisposable
{
    private readonly string? _temp;

    /// <summary>The folder holding compose.yaml and .env.example.</summary>
    public string Directory { get; }

    private Compose(string directory, string? temp)
    {
        Directory = directory;
        _temp = temp;
    }

    /// <summary>docker/ of the repository, read only.</summary>
    public static Compose Repository() => new(Repo.Path("docker"), null);

    /// <summary>A copy of docker/ (as temp/docker, beside an empty temp/grafana) for a test to change.</summary>
    public static Compose Copy()
    {
        var temp = System.IO.Directory.CreateTempSubdirectory("tapsensor-compose-").FullName;
        var target = System.IO.Path.Combine(temp, "docker");
        CopyTree(Repo.Path("docker"), target);
        System.IO.Directory.CreateDirectory(System.IO.Path.Combine(temp, "grafana", "provisioning"));
        System.IO.Directory.CreateDirectory(System.IO.Path.Combine(temp, "grafana", "dashboards"));
        return new Compose(target, temp);
    }

    public string ComposeFile => System.IO.Path.Combine(Directory, "compose.yaml");
    public string EnvExample => System.IO.Path.Combine(Directory, ".env.example");

    public void EditCompose(string from, string to)
    {
        var text = File.ReadAllText(ComposeFile);
        Assert.True(text.Contains(from, StringComparison.Ordinal), $"compose.yaml no longer contains '{from}'; update the test");
        File.WriteAllText(ComposeFile, text.Replace(from, to, StringComparison.Ordinal));
    }

    /// <summary>Drops the line <c>NAME=...</c> from the env file.</summary>
    public void RemoveVariable(string name)
    {
        var lines = File.ReadAllLines(EnvExample);
        Assert.Contains(lines, l => l.StartsWith(name + "=", StringComparison.Ordinal));
        File.WriteAllLines(EnvExample, lines.Where(l => !l.StartsWith(name + "=", StringComparison.Ordinal)));
    }

    /// <summary><c>env -i PATH=$PATH docker-compose -f compose.yaml --env-file .env.example config [-q]</c>.</summary>
    public ProcessResult Config(bool quiet = true, string? envFile = null)
    {
        var compose = Tool.Require("docker-compose");
        List<string> args = ["-f", "compose.yaml", "--env-file", envFile ?? ".env.example", "config"];
        if (quiet) args.Add("-q");
        return Tool.Run(compose, args, workingDirectory: Directory, cleanEnvironment: true);
    }

    /// <summary>The resolved configuration (variables substituted, paths made absolute) as JSON.</summary>
    public JsonElement Resolved()
    {
        var r = Config(quiet: false);
        Assert.True(r.ExitCode == 0, r.StdErr);
        return Yaml.ParseText(r.StdOut);
    }

    public void Dispose()
    {
        if (_temp is not null) System.IO.Directory.Delete(_temp, recursive: true);
    }

    private static void CopyTree(string from, string to)
    {
        System.IO.Directory.CreateDirectory(to);
        foreach (var file in System.IO.Directory.GetFiles(from))
            File.Copy(file, System.IO.Path.Combine(to, System.IO.Path.GetFileName(file)));
        foreach (var dir in System.IO.Directory.GetDirectories(from))
            CopyTree(dir, System.IO.Path.Combine(to, System.IO.Path.GetFileName(dir)));
    }
}
