using System.Globalization;
using Spectre.Console;
using TapSensor.Sinks.Sqlite.Report;

namespace TapSensor.Host.Commands;

/// <summary>The household report as Spectre.Console tables: an overview of the devices, then one section per device.</summary>
internal static class ReportPrinter
{
    public static void Print(ReportDocument report, TimeZoneInfo zone, IAnsiConsole console)
    {
        if (Console.IsOutputRedirected)
            console.Profile.Width = int.TryParse(Environment.GetEnvironmentVariable("COLUMNS"), out int columns) && columns > 40 ? columns : 200;
        var w = report.Window!;
        var t = report.Totals!;
        console.MarkupLine($"[bold]{Markup.Escape(report.Title)}[/]");
        console.WriteLine($"window {Local(w.From, zone)} to {Local(w.To, zone)} ({zone.Id}), quiet hours {w.QuietHours}");
        console.WriteLine($"{t.Devices} devices, {t.Flows:N0} flows, {Bytes(t.BytesUp)} up, {Bytes(t.BytesDown)} down, {t.Destinations:N0} destinations");
        var devices = report.Devices ?? [];
        if (devices.Count == 0)
        {
            console.WriteLine("No device traffic in this window.");
            PrintAttribution(report, console);
            return;
        }

        var overview = new Table().Title("Devices").AddColumns("device", "name", "vendor", "up", "down", "flows", "top destination",
            "top-3 providers", "new dest.", "idle-time");
        foreach (var c in new[] { 3, 4, 5, 7, 8, 9 }) overview.Columns[c].RightAligned();
        foreach (var d in devices)
        {
            overview.AddRow(Esc(d.Id), Esc(d.Name), Esc(d.Vendor), Bytes(d.BytesUp), Bytes(d.BytesDown), d.Flows.ToString("N0", CultureInfo.InvariantCulture),
                Esc(d.TopDestinations.FirstOrDefault()?.Name), Percent(d.ProviderConcentration.Share),
                d.NewDestinations.Count.ToString(CultureInfo.InvariantCulture), d.IdleChatter.Flows == 0 ? "" : Bytes(d.IdleChatter.Bytes));
        }
        console.Write(overview);

        foreach (var d in devices)
        {
            console.WriteLine();
            console.Write(new Rule($"[bold]{Esc(d.Name ?? d.Id)}[/] {Esc(d.Name is null ? null : d.Id)} {Esc(d.Vendor)}{(d.Group is null ? "" : " · " + Esc(d.Group))}").LeftJustified());
            console.WriteLine($"{Bytes(d.BytesUp)} up, {Bytes(d.BytesDown)} down in {d.Flows:N0} flows, {Local(d.FirstSeen, zone)} to {Local(d.LastSeen, zone)}; " +
                              $"top {d.ProviderConcentration.Top} providers carry {Percent(d.ProviderConcentration.Share)} of its bytes");

            var dest = new Table().Title("Destinations").AddColumns("destination", "bytes", "flows", "country", "provider", "days", "hours");
            foreach (var c in new[] { 1, 2, 5, 6 }) dest.Columns[c].RightAligned();
            foreach (var x in d.TopDestinations)
                dest.AddRow(Esc(x.Name), Bytes(x.Bytes), N(x.Flows), Esc(x.Country), Esc(x.Org), N(x.Days), N(x.Intervals));

            var places = new Table().Title("Countries").AddColumns("country", "bytes", "flows");
            foreach (var x in d.Countries) places.AddRow(Esc(x.Country), Bytes(x.Bytes), N(x.Flows));
            var providers = new Table().Title("Providers").AddColumns("AS", "organisation", "bytes", "share");
            foreach (var x in d.Providers) providers.AddRow("AS" + x.Asn.ToString(CultureInfo.InvariantCulture), Esc(x.Org), Bytes(x.Bytes), Percent(x.Share));
            var services = new Table().Title("Services").AddColumns("service", "bytes", "flows");
            foreach (var x in d.Services) services.AddRow(Esc(x.Service), Bytes(x.Bytes), N(x.Flows));

            console.Write(dest);
            console.Write(new Columns(places, providers, services).Collapse());

            var changes = new Table().Title("New and recurring").AddColumns("new destinations", "new providers", "new countries", "recurring", "one-off");
            int rows = new[] { d.NewDestinations.Count, d.NewProviders.Count, d.NewCountries.Count, d.Recurring.Count, d.OneOff.Count }.Max();
            for (int i = 0; i < rows; i++)
            {
                changes.AddRow(
                    Esc(i < d.NewDestinations.Count ? d.NewDestinations[i].Name : null),
                    Esc(i < d.NewProviders.Count ? $"AS{d.NewProviders[i].Asn} {d.NewProviders[i].Org}" : null),
                    Esc(i < d.NewCountries.Count ? d.NewCountries[i].Country : null),
                    Esc(i < d.Recurring.Count ? $"{d.Recurring[i].Name} ({d.Recurring[i].Days} d, {d.Recurring[i].Intervals} h)" : null),
                    Esc(i < d.OneOff.Count ? d.OneOff[i].Name : null));
            }
            if (rows > 0) console.Write(changes);

            var idle = d.IdleChatter;
            if (idle.Flows == 0) console.WriteLine($"Quiet hours ({w.QuietHours}): no traffic.");
            else
                console.WriteLine($"Quiet hours ({w.QuietHours}): {Bytes(idle.Bytes)} in {idle.Flows:N0} flows, to " +
                                  string.Join(", ", idle.Destinations.Select(x => $"{x.Name} ({Bytes(x.Bytes)})")));
        }
        console.WriteLine();
        PrintAttribution(report, console);
    }

    private static void PrintAttribution(ReportDocument report, IAnsiConsole console)
    {
        foreach (var a in report.Attribution) console.WriteLine($"{a.Text} <{a.Url}>");
    }

    private static string Esc(string? s) => s is null ? "" : Markup.Escape(s);

    private static string N(long v) => v.ToString("N0", CultureInfo.InvariantCulture);

    private static string Percent(double share) => share.ToString("P0", CultureInfo.InvariantCulture);

    private static string Local(string iso, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTime(DateTimeOffset.Parse(iso, CultureInfo.InvariantCulture), zone).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    /// <summary>Bytes in binary units, three significant digits.</summary>
    internal static string Bytes(long b)
    {
        string[] units = ["B", "KiB", "MiB", "GiB", "TiB"];
        double v = b;
        int u = 0;
        while (v >= 1024 && u < units.Length - 1)
        {
            v /= 1024;
            u++;
        }
        return u == 0 ? $"{b} B" : v.ToString(v < 10 ? "0.00" : v < 100 ? "0.0" : "0", CultureInfo.InvariantCulture) + " " + units[u];
    }
}
