using TapSensor.Core.Flows;

namespace TapSensor.Testing.Tshark;

/// <summary>tshark's view of one capture: TCP and UDP conversations keyed by normalised 5-tuple.</summary>
public sealed class TsharkCapture
{
    private readonly Dictionary<FlowKey, TsharkConversation> _conversations;

    internal TsharkCapture(string path, Dictionary<FlowKey, TsharkConversation> conversations, int tcpRows, int udpRows,
        long frames, long ambiguousFrames, long unattributedPackets, int exitCode, string errors)
    {
        Path = path;
        _conversations = conversations;
        TcpRows = tcpRows;
        UdpRows = udpRows;
        Frames = frames;
        AmbiguousFrames = ambiguousFrames;
        UnattributedPackets = unattributedPackets;
        ExitCode = exitCode;
        Errors = errors;
    }

    public string Path { get; }

    public IReadOnlyDictionary<FlowKey, TsharkConversation> Conversations => _conversations;

    public IEnumerable<TsharkConversation> Tcp => _conversations.Values.Where(c => c.Key.Protocol == 6);

    public IEnumerable<TsharkConversation> Udp => _conversations.Values.Where(c => c.Key.Protocol == 17);

    /// <summary>Rows of the conv,tcp / conv,udp tables (what <c>grep -c '&lt;-&gt;'</c> counts); at least the conversation counts.</summary>
    public int TcpRows { get; }
    public int UdpRows { get; }

    /// <summary>Frames the field pass read (every frame of the file tshark could read).</summary>
    public long Frames { get; }

    /// <summary>Frames the field pass could not attribute (field values did not line up with layers).</summary>
    public long AmbiguousFrames { get; }

    /// <summary>
    /// TCP/UDP headers the field pass found under a 5-tuple that the conv tables do not list. tshark keys
    /// an IPv6 packet with a type 0 routing header by its final destination and one with a home address
    /// option by that address (as Zeek does), while ipv6.src/ipv6.dst show the header's addresses.
    /// </summary>
    public long UnattributedPackets { get; }

    /// <summary>tshark's exit code; 2 with a message in <see cref="Errors"/> for files cut short.</summary>
    public int ExitCode { get; }

    /// <summary>tshark's standard error, without its note about running as root.</summary>
    public string Errors { get; }

    /// <summary>The conversation of a flow key (its VLAN is ignored), or null when tshark has none.</summary>
    public TsharkConversation? Find(in FlowKey key) =>
        _conversations.TryGetValue(TsharkConversation.KeyOf(in key), out TsharkConversation? c) ? c : null;
}
