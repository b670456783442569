namespace TapSensor.Docker.Tests.Infrastructure;

/// <summary>Paths in the repository the tests run from (the directory holding TapSensor.sln).</summary>
internal static class Repo
{
    public static readonly string Root = FindRoot();

    public static string Path(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);

    public static string Read(params string[] parts) => File.ReadAllText(Path(parts));

    public static string NodeModules => Path("tests", "node", "node_modules");

    private static string FindRoot()
    {
        for (DirectoryInfo? d = new(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(System.IO.Path.Combine(d.FullName, "TapSensor.sln"))) return d.FullName;
        throw new InvalidOperationException($"no TapSensor.sln above {AppContext.BaseDirectory}");
    }
}
