using Spectre.Console;

namespace TapSensor.Host;

/// <summary>Prints the end-of-run summary as terminal tables.</summary>
internal static class SummaryPrinter
{
    public static void Print(RunSummary s, IAnsiConsole console)
    {
        var overview = new Table().Title("[bold]TapSensor summary[/]").AddColumn("").AddColumn(new TableColumn("").RightAligned());
        overview.AddRow("source", Markup.Escape(s.Source));
        overview.AddRow("packets", s.Packets.ToString("N0"));
        overview.AddRow("bytes", s.Bytes.ToString("N0"));
        overview.AddRow("flows", s.Flows.ToString("N0"));
        overview.AddRow("decode errors", s.DecodeErrors.ToString("N0"));
        overview.AddRow("non-IP packets", s.NonIpPackets.ToString("N0"));
        overview.AddRow("elapsed", $"{s.ElapsedSeconds:F2} s");
        overview.AddRow("packets/s", s.PacketsPerSecond.ToString("N0"));
        overview.AddRow("workers", s.Workers.ToString());
        if (s.RingDroppedPackets + s.KernelDroppedPackets + s.InterfaceDroppedPackets > 0)
            overview.AddRow("dropped (ring / kernel / interface)", $"{s.RingDroppedPackets:N0} / {s.KernelDroppedPackets:N0} / {s.InterfaceDroppedPackets:N0}");
        if (s.CaptureError is not null) overview.AddRow("capture error", Markup.Escape(s.CaptureError));
        console.Write(overview);

        if (s.FlowsByCloseReason.Count > 0)
        {
            var reasons = new Table().Title("flows by close reason").AddColumn("reason").AddColumn(new TableColumn("flows").RightAligned());
            foreach (var (reason, n) in s.FlowsByCloseReason) reasons.AddRow(reason, n.ToString("N0"));
            console.Write(reasons);
        }

        if (s.DecodeErrorsByReason.Count > 0)
        {
            var errors = new Table().Title("decode errors by reason").AddColumn("reason").AddColumn(new TableColumn("packets").RightAligned());
            foreach (var (reason, n) in s.DecodeErrorsByReason.OrderByDescending(kv => kv.Value)) errors.AddRow(reason, n.ToString("N0"));
            console.Write(errors);
        }

        foreach (var (sink, counters) in s.Sinks ?? new Dictionary<string, IReadOnlyDictionary<string, long>>())
        {
            var table = new Table().Title($"{Markup.Escape(sink)} output").AddColumn("counter").AddColumn(new TableColumn("value").RightAligned());
            foreach (var (name, value) in counters) table.AddRow(Markup.Escape(name), value.ToString("N0"));
            console.Write(table);
        }

        if (s.TopTalkers.Count > 0)
        {
            var talkers = new Table().Title("top talkers").AddColumn("address").AddColumn(new TableColumn("bytes").RightAligned())
                .AddColumn(new TableColumn("packets").RightAligned()).AddColumn(new TableColumn("flows").RightAligned());
            foreach (var t in s.TopTalkers) talkers.AddRow(t.Address, t.Bytes.ToString("N0"), t.Packets.ToString("N0"), t.Flows.ToString("N0"));
            console.Write(talkers);
        }

        if (s.Devices.Count > 0)
        {
            var devices = new Table().Title($"devices ({s.DevicesFound:N0} found)").AddColumn("device").AddColumn("name")
                .AddColumn("vendor").AddColumn("address").AddColumn(new TableColumn("bytes up").RightAligned())
                .AddColumn(new TableColumn("bytes down").RightAligned()).AddColumn(new TableColumn("flows").RightAligned())
                .AddColumn(new TableColumn("destinations").RightAligned());
            foreach (var d in s.Devices)
            {
                string name = d.Name is null ? "" : $"{Markup.Escape(d.Name)} [grey]({d.NameSource})[/]";
                devices.AddRow(Markup.Escape(d.Id), name, Markup.Escape(d.Vendor ?? ""), Markup.Escape(d.Ip ?? ""),
                    d.BytesUp.ToString("N0"), d.BytesDown.ToString("N0"), d.Flows.ToString("N0"), d.Destinations.ToString("N0"));
            }
            console.Write(devices);
        }

        if (s.TopDestinations.Count > 0)
        {
            var named = string.Join(", ", s.FlowsByNameSource.Select(kv => $"{kv.Key} {kv.Value:N0}"));
            var destinations = new Table().Title($"top destinations by name ({s.NamedFlows:N0} of {s.Flows:N0} flows named: {named})")
                .AddColumn("name").AddColumn(new TableColumn("bytes").RightAligned());
            foreach (var d in s.TopDestinations) destinations.AddRow(Markup.Escape(d.Name), d.Bytes.ToString("N0"));
            console.Write(destinations);
        }
    }
}
