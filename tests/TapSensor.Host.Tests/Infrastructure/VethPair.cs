using System.Diagnostics;

namespace TapSensor.Host.Tests.Infrastructure;

/// <summary>
/// Two network namespaces joined by a veth pair, made by the test and deleted after it: the only hosts live
/// capture tests ever send traffic to. Needs root and iproute2; <see cref="SkipReason"/> says what is missing.
/// Offloads are turned off on both ends so frames on the wire are MTU-sized with valid checksums.
/// </summary>
internal sealed class VethPair : IDisposable
{
    public const string AddressA = "10.213.0.1";
    public const string AddressB = "10.213.0.2";

    public string NamespaceA { get; }
    public string NamespaceB { get; }
    public string InterfaceA { get; }
    public string InterfaceB { get; }

    private VethPair(string suffix)
    {
        NamespaceA = $"tsA{suffix}";
        NamespaceB = $"tsB{suffix}";
        InterfaceA = $"tsva{suffix}";
        InterfaceB = $"tsvb{suffix}";
    }

    public static string? SkipReason
    {
        get
        {
            if (!OperatingSystem.IsLinux()) return "live capture tests need Linux network namespaces";
            if (Environment.UserName != "root" && Run("id", "-u").Output.Trim() != "0")
                return "live capture tests need root (to create network namespaces)";
            if (Run("ip", "-V").ExitCode != 0) return "live capture tests need iproute2 (apt-get install iproute2)";
            return null;
        }
    }

    public static VethPair Create()
    {
        var pair = new VethPair((Environment.ProcessId % 100000).ToString("D5"));
        pair.Teardown();
        pair.Must("ip", "netns", "add", pair.NamespaceA);
        pair.Must("ip", "netns", "add", pair.NamespaceB);
        pair.Must("ip", "link", "add", pair.InterfaceA, "type", "veth", "peer", "name", pair.InterfaceB);
        pair.Must("ip", "link", "set", pair.InterfaceA, "netns", pair.NamespaceA);
        pair.Must("ip", "link", "set", pair.InterfaceB, "netns", pair.NamespaceB);
        pair.Must("ip", "-n", pair.NamespaceA, "addr", "add", AddressA + "/24", "dev", pair.InterfaceA);
        pair.Must("ip", "-n", pair.NamespaceB, "addr", "add", AddressB + "/24", "dev", pair.InterfaceB);
        foreach (var (ns, dev) in new[] { (pair.NamespaceA, pair.InterfaceA), (pair.NamespaceB, pair.InterfaceB) })
        {
            pair.Must("ip", "-n", ns, "link", "set", "lo", "up");
            pair.Must("ip", "-n", ns, "link", "set", dev, "up");
            // Not fatal where ethtool is missing: the capture still sees the same frames the file does.
            Run("ip", "netns", "exec", ns, "ethtool", "-K", dev, "tx", "off", "tso", "off", "gso", "off");
        }
        return pair;
    }

    private void Must(params string[] args)
    {
        var r = Run(args[0], args[1..]);
        if (r.ExitCode != 0)
        {
            Teardown();
            throw new InvalidOperationException($"{string.Join(' ', args)} failed: {r.Output}");
        }
    }

    /// <summary>Runs a command inside namespace A or B and waits for it.</summary>
    public (int ExitCode, string Output) Exec(string ns, params string[] command) =>
        Run("ip", ["netns", "exec", ns, .. command]);

    public static (int ExitCode, string Output) Run(string file, params string[] args)
    {
        try
        {
            var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var a in args) psi.ArgumentList.Add(a);
            using var p = Process.Start(psi)!;
            var o = p.StandardOutput.ReadToEndAsync();
            var e = p.StandardError.ReadToEndAsync();
            if (!p.WaitForExit(TimeSpan.FromSeconds(60)))
            {
                p.Kill(true);
                return (-1, "timed out");
            }
            return (p.ExitCode, o.GetAwaiter().GetResult() + e.GetAwaiter().GetResult());
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            return (-1, ex.Message);
        }
    }

    private void Teardown()
    {
        // Deleting a namespace removes the veth end inside it, and with it the pair.
        Run("ip", "netns", "del", NamespaceA);
        Run("ip", "netns", "del", NamespaceB);
    }

    public void Dispose() => Teardown();
}
