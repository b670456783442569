namespace TapSensor.Core.Names;

/// <summary>
/// One string per distinct name while the pool lasts, so a thousand flows to one CDN name (or a thousand DNS answers
/// for it) share one string, and a name seen before costs no allocation. Bounded: when full it starts over. Owned
/// by one worker: not thread-safe.
/// </summary>
internal sealed class NamePool(int capacity)
{
    private readonly Dictionary<string, string> _names = new(StringComparer.Ordinal);

    public string Get(ReadOnlySpan<char> name)
    {
        if (_names.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(name, out var known)) return known;
        if (_names.Count >= capacity) _names.Clear();
        string made = name.ToString();
        _names[made] = made;
        return made;
    }
}
