namespace TapSensor.Core.Tests.Sample;

/// <summary>
/// One tshark pass over a capture printing chosen fields for every frame, so several tests can ask questions of
/// the dissection without running tshark again. Multi-valued fields come back comma-joined.
/// </summary>
internal sealed class TsharkTable
{
    private readonly Dictionary<string, int> _columns;
    private readonly string[][] _rows;

    public TsharkTable(string path, params string[] fields)
    {
        var arguments = new List<string> { "-r", path, "-T", "fields", "-E", "occurrence=a", "-E", "aggregator=," };
        foreach (string field in fields)
        {
            arguments.Add("-e");
            arguments.Add(field);
        }
        _columns = fields.Select((f, i) => (f, i)).ToDictionary(p => p.f, p => p.i, StringComparer.Ordinal);
        _rows = Tshark.Run([.. arguments])
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.TrimEnd('\r').Split('\t'))
            .ToArray();
    }

    public int Count => _rows.Length;

    /// <summary>Rows where <paramref name="field"/> has a value.</summary>
    public IEnumerable<Row> With(string field) => _rows.Select(r => new Row(this, r)).Where(r => r[field].Length > 0);

    public IEnumerable<Row> All => _rows.Select(r => new Row(this, r));

    internal readonly struct Row
    {
        private readonly TsharkTable _table;
        private readonly string[] _cells;

        public Row(TsharkTable table, string[] cells)
        {
            _table = table;
            _cells = cells;
        }

        public string this[string field]
        {
            get
            {
                int i = _table._columns[field];
                return i < _cells.Length ? _cells[i] : "";
            }
        }
    }
}
