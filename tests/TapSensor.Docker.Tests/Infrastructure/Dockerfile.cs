using System.Text.Json;
using System.Text.RegularExpressions;

namespace TapSensor.Docker.Tests.Infrastructure;

/// <summary>One Dockerfile instruction: keyword (upper case), its text with continuations joined, and its line.</summary>
internal sealed record Instruction(string Keyword, string Arguments, int Line)
{
    /// <summary>The exec form (<c>["a", "b"]</c>) of <paramref name="text"/> as a list, or null for the shell form.</summary>
    public static IReadOnlyList<string>? ExecForm(string text)
    {
        text = text.Trim();
        return text.StartsWith('[') ? JsonSerializer.Deserialize<List<string>>(text) : null;
    }

    /// <summary>Flags such as <c>--from=build</c> or <c>--chown=1:1</c> at the start of the arguments.</summary>
    public IReadOnlyDictionary<string, string> Flags =>
        Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .TakeWhile(w => w.StartsWith("--", StringComparison.Ordinal))
            .Select(w => w[2..].Split('=', 2))
            .ToDictionary(p => p[0], p => p.Length > 1 ? p[1] : "", StringComparer.Ordinal);

    /// <summary>The words after the leading flags (COPY sources and destination, ...).</summary>
    public IReadOnlyList<string> Words =>
        Arguments.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries).SkipWhile(w => w.StartsWith("--", StringComparison.Ordinal)).ToList();
}

/// <summary>A build stage: FROM image [AS name] and its instructions.</summary>
internal sealed record Stage(string Image, string? Name, IReadOnlyList<Instruction> Instructions)
{
    public IEnumerable<Instruction> All(string keyword) => Instructions.Where(i => i.Keyword == keyword);

    public Instruction? Last(string keyword) => Instructions.LastOrDefault(i => i.Keyword == keyword);
}

/// <summary>
/// A small Dockerfile reader, enough for the checks: comments, line continuations, parser directives, global ARGs
/// (their defaults substitute into FROM), stages with their instructions. Not a full BuildKit parser.
/// </summary>
internal sealed class Dockerfile
{
    public IReadOnlyList<Instruction> Global { get; }
    public IReadOnlyList<Stage> Stages { get; }
    public IReadOnlyDictionary<string, string> GlobalArgs { get; }

    private Dockerfile(IReadOnlyList<Instruction> global, IReadOnlyList<Stage> stages, IReadOnlyDictionary<string, string> args)
    {
        Global = global;
        Stages = stages;
        GlobalArgs = args;
    }

    public Stage Stage(string name) => Stages.SingleOrDefault(s => s.Name == name)
        ?? throw new Xunit.Sdk.XunitException($"the Dockerfile has no stage named '{name}'; stages: {string.Join(", ", Stages.Select(s => s.Name ?? s.Image))}");

    public Stage Final => Stages[^1];

    public static Dockerfile Parse(string text)
    {
        var instructions = new List<Instruction>();
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        string? pending = null;
        int startLine = 0;
        for (int i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            var trimmed = line.TrimStart();
            if (trimmed.StartsWith('#')) continue; // comments and parser directives (also inside continuations)
            if (pending is null)
            {
                if (trimmed.Length == 0) continue;
                startLine = i + 1;
                pending = "";
            }
            if (line.TrimEnd().EndsWith('\\'))
            {
                pending += line.TrimEnd()[..^1] + " ";
                continue;
            }
            pending += line;
            var full = pending.Trim();
            pending = null;
            int space = full.IndexOfAny([' ', '\t']);
            var keyword = (space < 0 ? full : full[..space]).ToUpperInvariant();
            var arguments = space < 0 ? "" : Regex.Replace(full[(space + 1)..].Trim(), @"\s+", " ");
            instructions.Add(new Instruction(keyword, arguments, startLine));
        }

        var global = new List<Instruction>();
        var args = new Dictionary<string, string>(StringComparer.Ordinal);
        var stages = new List<Stage>();
        List<Instruction>? current = null;
        string? image = null, name = null;
        foreach (var ins in instructions)
        {
            if (ins.Keyword == "FROM")
            {
                if (current is not null) stages.Add(new Stage(image!, name, current));
                var words = ins.Words;
                image = Substitute(words[0], args);
                name = words.Count >= 3 && words[1].Equals("AS", StringComparison.OrdinalIgnoreCase) ? words[2] : null;
                current = [];
                continue;
            }
            if (current is null)
            {
                global.Add(ins);
                if (ins.Keyword == "ARG")
                {
                    var parts = ins.Arguments.Split('=', 2);
                    args[parts[0].Trim()] = parts.Length > 1 ? parts[1].Trim() : "";
                }
                continue;
            }
            current.Add(ins);
        }
        if (current is not null) stages.Add(new Stage(image!, name, current));
        return new Dockerfile(global, stages, args);
    }

    /// <summary>Replaces <c>${NAME}</c> and <c>$NAME</c> with the ARG defaults given.</summary>
    public static string Substitute(string text, IReadOnlyDictionary<string, string> args) =>
        Regex.Replace(text, @"\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)",
            m => args.TryGetValue(m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Value, out var v) ? v : m.Value);

    /// <summary>The ARG defaults declared inside <paramref name="stage"/>.</summary>
    public static Dictionary<string, string> StageArgs(Stage stage)
    {
        var args = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var ins in stage.All("ARG"))
        {
            var parts = ins.Arguments.Split('=', 2);
            args[parts[0].Trim()] = parts.Length > 1 ? parts[1].Trim() : "";
        }
        return args;
    }
}
