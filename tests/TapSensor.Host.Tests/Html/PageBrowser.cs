using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using TapSensor.Host.Tests.Infrastructure;
using TapSensor.Testing;

namespace TapSensor.Host.Tests.Html;

/// <summary>
/// Runs <c>map-page.cjs</c> (copied next to the tests) with Node and the pinned playwright-core from
/// <c>tests/node/node_modules</c>, against the system Chromium: one browser for all pages of a job, every request
/// that is not file: or data: aborted. Returns the script's JSON. Fails naming the install step when a tool is missing.
/// </summary>
internal static class PageBrowser
{
    public const string Chromium = "/usr/bin/chromium";

    public static JsonObject Run(JsonArray pages, TimeSpan timeout)
    {
        var repo = Corpus.FindRepositoryRoot(AppContext.BaseDirectory)
            ?? throw new InvalidOperationException("cannot find the repository root (TapSensor.sln) above " + AppContext.BaseDirectory);
        var nodeModules = Path.Combine(repo, "tests", "node", "node_modules");
        if (!File.Exists(Path.Combine(nodeModules, "playwright-core", "package.json")))
            Assert.Fail($"playwright-core is missing in {nodeModules}: run bash scripts/install-test-deps.sh (npm ci in tests/node)");
        if (!File.Exists(Chromium))
            Assert.Fail($"{Chromium} is missing: run bash scripts/install-test-deps.sh (apt-get install chromium)");
        var node = FindOnPath("node") ?? throw new InvalidOperationException("node is missing: run bash scripts/install-test-deps.sh (apt-get install npm)");

        var job = Path.Combine(Path.GetTempPath(), $"tapsensor-map-job-{Environment.ProcessId}-{Guid.NewGuid():N}.json");
        File.WriteAllText(job, new JsonObject { ["nodeModules"] = nodeModules, ["chromium"] = Chromium, ["pages"] = pages }.ToJsonString());
        try
        {
            var script = Path.Combine(AppContext.BaseDirectory, "Html", "map-page.cjs");
            var psi = TapSensorProcess.Start(node, [script, job]);
            using var p = Process.Start(psi)!;
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEndAsync();
            if (!p.WaitForExit(timeout))
            {
                p.Kill(entireProcessTree: true);
                throw new TimeoutException($"map-page.cjs did not finish within {timeout}: {stderr.Result}");
            }
            var output = stdout.GetAwaiter().GetResult();
            if (p.ExitCode != 0) Assert.Fail($"map-page.cjs exited with {p.ExitCode}: {stderr.GetAwaiter().GetResult()}{output}");
            return JsonNode.Parse(output)!.AsObject();
        }
        finally
        {
            File.Delete(job);
        }
    }

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);

    public static T[] Strings<T>(JsonNode? array, Func<JsonNode, T> map) =>
        array is JsonArray a ? a.Select(n => map(n!)).ToArray() : [];

    public static string Describe(JsonNode? node) => node?.ToJsonString(new JsonSerializerOptions { WriteIndented = false }) ?? "null";
}
