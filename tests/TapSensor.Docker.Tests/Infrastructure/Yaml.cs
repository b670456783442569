using System.Text.Json;

namespace TapSensor.Docker.Tests.Infrastructure;

/// <summary>
/// YAML read as JSON through js-yaml from tests/node (installed by scripts/install-test-deps.sh), so the checks
/// walk the same tree a compose implementation does.
/// </summary>
internal static class Yaml
{
    public static JsonElement ParseFile(string path)
    {
        var node = Tool.Require("node");
        var jsYaml = System.IO.Path.Combine(Repo.NodeModules, "js-yaml", "bin", "js-yaml.js");
        Assert.True(File.Exists(jsYaml), $"{jsYaml} is missing; run: bash scripts/install-test-deps.sh (npm ci in tests/node)");
        var r = Tool.Run(node, [jsYaml, path]);
        Assert.True(r.ExitCode == 0, $"js-yaml could not read {path}: {r.StdErr}");
        return JsonDocument.Parse(r.StdOut).RootElement.Clone();
    }

    public static JsonElement ParseText(string yaml)
    {
        var file = System.IO.Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, yaml);
            return ParseFile(file);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
