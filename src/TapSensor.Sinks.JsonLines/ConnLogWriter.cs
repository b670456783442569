using System.Buffers;
using System.Net;
using System.Text.Encodings.Web;
using System.Text.Json;
using TapSensor.Core.Flows;
using TapSensor.Core.Packets;

namespace TapSensor.Sinks.JsonLines;

/// <summary>
/// Writes final flow records as JSON lines with Zeek's conn.log field names
/// (zeek/zeek scripts/base/protocols/conn/main.zeek), plus <c>community_id</c>
/// (scripts/policy/protocols/conn/community-id-logging.zeek), <c>orig_l2_addr</c>/<c>resp_l2_addr</c>
/// (scripts/policy/protocols/conn/mac-logging.zeek), <c>vlan</c> (scripts/policy/protocols/conn/vlan-logging.zeek)
/// and our own <c>close_reason</c> and household fields: <c>device</c>, <c>device_name</c>, <c>local</c>,
/// <c>remote_name</c>, <c>remote_name_source</c>, and the remote end's <c>remote_country</c>, <c>remote_city</c>,
/// <c>remote_lat</c>, <c>remote_lon</c>, <c>remote_accuracy_km</c>, <c>remote_asn</c>, <c>remote_org</c>
/// (each written when known). <c>service</c> is the protocol seen, else the responder's well-known port. Interim records (<see cref="FlowRecord.IsFinal"/> false) are skipped:
/// a conn record describes a finished connection, or a finished active-timeout slice of one.
/// <para>
/// Differences from Zeek, on purpose: <c>duration</c>, <c>orig_bytes</c> and <c>resp_bytes</c> are always
/// written (Zeek leaves them out when the duration is zero); byte counts are payload bytes as seen,
/// not Zeek's sequence-number estimate.
/// </para>
/// One thread calls <see cref="Write"/> and <see cref="Complete"/>; the counters may be read from any thread.
/// </summary>
internal sealed class ConnLogWriter : IFlowRecordSink, IDisposable
{
    /// <summary>Buffered output is handed to the stream once it grows past this size, and at the end of each batch.</summary>
    private const int FlushThreshold = 64 * 1024;

    private static readonly JsonEncodedText Ts = JsonEncodedText.Encode("ts");
    private static readonly JsonEncodedText Uid = JsonEncodedText.Encode("uid");
    private static readonly JsonEncodedText OrigH = JsonEncodedText.Encode("id.orig_h");
    private static readonly JsonEncodedText OrigP = JsonEncodedText.Encode("id.orig_p");
    private static readonly JsonEncodedText RespH = JsonEncodedText.Encode("id.resp_h");
    private static readonly JsonEncodedText RespP = JsonEncodedText.Encode("id.resp_p");
    private static readonly JsonEncodedText Proto = JsonEncodedText.Encode("proto");
    private static readonly JsonEncodedText Service = JsonEncodedText.Encode("service");
    private static readonly JsonEncodedText Duration = JsonEncodedText.Encode("duration");
    private static readonly JsonEncodedText OrigBytes = JsonEncodedText.Encode("orig_bytes");
    private static readonly JsonEncodedText RespBytes = JsonEncodedText.Encode("resp_bytes");
    private static readonly JsonEncodedText ConnStateName = JsonEncodedText.Encode("conn_state");
    private static readonly JsonEncodedText OrigPkts = JsonEncodedText.Encode("orig_pkts");
    private static readonly JsonEncodedText OrigIpBytes = JsonEncodedText.Encode("orig_ip_bytes");
    private static readonly JsonEncodedText RespPkts = JsonEncodedText.Encode("resp_pkts");
    private static readonly JsonEncodedText RespIpBytes = JsonEncodedText.Encode("resp_ip_bytes");
    private static readonly JsonEncodedText CommunityIdName = JsonEncodedText.Encode("community_id");
    private static readonly JsonEncodedText CloseReasonName = JsonEncodedText.Encode("close_reason");
    private static readonly JsonEncodedText Vlan = JsonEncodedText.Encode("vlan");
    private static readonly JsonEncodedText OrigL2 = JsonEncodedText.Encode("orig_l2_addr");
    private static readonly JsonEncodedText RespL2 = JsonEncodedText.Encode("resp_l2_addr");
    private static readonly JsonEncodedText DeviceName = JsonEncodedText.Encode("device");
    private static readonly JsonEncodedText DeviceNameName = JsonEncodedText.Encode("device_name");
    private static readonly JsonEncodedText LocalName = JsonEncodedText.Encode("local");
    private static readonly JsonEncodedText RemoteName = JsonEncodedText.Encode("remote_name");
    private static readonly JsonEncodedText RemoteNameSource = JsonEncodedText.Encode("remote_name_source");
    private static readonly JsonEncodedText RemoteCountry = JsonEncodedText.Encode("remote_country");
    private static readonly JsonEncodedText RemoteCity = JsonEncodedText.Encode("remote_city");
    private static readonly JsonEncodedText RemoteLat = JsonEncodedText.Encode("remote_lat");
    private static readonly JsonEncodedText RemoteLon = JsonEncodedText.Encode("remote_lon");
    private static readonly JsonEncodedText RemoteAccuracy = JsonEncodedText.Encode("remote_accuracy_km");
    private static readonly JsonEncodedText RemoteAsn = JsonEncodedText.Encode("remote_asn");
    private static readonly JsonEncodedText RemoteOrg = JsonEncodedText.Encode("remote_org");

    private readonly Stream _stream;
    private readonly bool _ownsStream;
    private readonly ulong _uidSeed;
    private readonly ushort _communityIdSeed;
    private readonly ArrayBufferWriter<byte> _buffer = new(FlushThreshold + 4096);
    private readonly Utf8JsonWriter _json;
    private long _recordsWritten;
    private long _bytesWritten;
    private long _interimSkipped;
    private bool _completed;

    /// <param name="stream">Where the lines go.</param>
    /// <param name="ownsStream">Dispose the stream in <see cref="Complete"/> and <see cref="Dispose"/>.</param>
    /// <param name="uidSeed">Seed of <see cref="FlowUid"/>; pin it to get the same uids on every replay.</param>
    /// <param name="communityIdSeed">Community ID seed; 0 is the default everyone else uses.</param>
    /// <param name="services">Supplies <c>service</c>; null leaves the field out.</param>
    public ConnLogWriter(Stream stream, bool ownsStream = false, ulong uidSeed = 0, ushort communityIdSeed = 0)
    {
        ArgumentNullException.ThrowIfNull(stream);
        _stream = stream;
        _ownsStream = ownsStream;
        _uidSeed = uidSeed;
        _communityIdSeed = communityIdSeed;
        // The default encoder escapes HTML-sensitive characters such as '+', which base64 community ids
        // contain; the lines are never embedded in HTML, and a literal id is what people grep for.
        // Quotes, backslashes and control characters are still escaped, so every line stays valid JSON.
        _json = new Utf8JsonWriter(_buffer, new JsonWriterOptions
        {
            Indented = false,
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        });
    }

    /// <summary>
    /// Opens (appending) or creates the file at <paramref name="path"/>, creating missing directories.
    /// Appending keeps the lines of earlier runs, as a log file should across restarts.
    /// </summary>
    public static ConnLogWriter Open(string path, ulong uidSeed = 0, ushort communityIdSeed = 0)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string full = Path.GetFullPath(path);
        string? directory = Path.GetDirectoryName(full);
        if (!string.IsNullOrEmpty(directory)) Directory.CreateDirectory(directory);
        // bufferSize 0: we buffer whole lines ourselves, FileStream need not copy them again.
        var stream = new FileStream(full, FileMode.Append, FileAccess.Write, FileShare.Read, bufferSize: 0);
        return new ConnLogWriter(stream, ownsStream: true, uidSeed, communityIdSeed);
    }

    /// <summary>Final records written as lines.</summary>
    public long RecordsWritten => Volatile.Read(ref _recordsWritten);

    /// <summary>Bytes handed to the stream, newlines included.</summary>
    public long BytesWritten => Volatile.Read(ref _bytesWritten);

    /// <summary>Interim records passed to <see cref="Write"/> and ignored.</summary>
    public long InterimSkipped => Volatile.Read(ref _interimSkipped);

    public void Write(ReadOnlySpan<FlowRecord> records)
    {
        ObjectDisposedException.ThrowIf(_completed, this);
        long written = 0, skipped = 0;
        foreach (ref readonly FlowRecord r in records)
        {
            if (!r.IsFinal)
            {
                skipped++;
                continue;
            }
            WriteLine(in r);
            written++;
            if (_buffer.WrittenCount >= FlushThreshold) Drain();
        }
        Drain();
        Volatile.Write(ref _recordsWritten, _recordsWritten + written);
        Volatile.Write(ref _interimSkipped, _interimSkipped + skipped);
    }

    /// <summary>Flushes everything to the stream and, for a file, to the disk (fsync), then closes an owned stream.</summary>
    public void Complete()
    {
        if (_completed) return;
        Drain();
        if (_stream is FileStream file) file.Flush(flushToDisk: true);
        else _stream.Flush();
        _completed = true;
        _json.Dispose();
        if (_ownsStream) _stream.Dispose();
    }

    /// <summary>Closes without the fsync of <see cref="Complete"/>; lines already buffered are still written.</summary>
    public void Dispose()
    {
        if (_completed) return;
        _completed = true;
        try
        {
            Drain();
        }
        finally
        {
            _json.Dispose();
            if (_ownsStream) _stream.Dispose();
        }
    }

    private void Drain()
    {
        if (_buffer.WrittenCount == 0) return;
        _stream.Write(_buffer.WrittenSpan);
        Volatile.Write(ref _bytesWritten, _bytesWritten + _buffer.WrittenCount);
        _buffer.ResetWrittenCount();
    }

    private void WriteLine(in FlowRecord r)
    {
        Utf8JsonWriter w = _json;
        w.Reset(_buffer);
        w.WriteStartObject();

        WriteSeconds(w, Ts, r.FirstNs);
        Span<byte> text = stackalloc byte[64];
        FlowUid.Format(in r, _uidSeed, text);
        w.WriteString(Uid, text[..FlowUid.Length]);

        byte family = r.Key.Family;
        WriteAddress(w, OrigH, r.OrigHi, r.OrigLo, family);
        w.WriteNumber(OrigP, r.OrigPort);
        WriteAddress(w, RespH, r.RespHi, r.RespLo, family);
        w.WriteNumber(RespP, r.RespPort);
        // ICMPv6 is "icmp" in Zeek's transport_proto, like ICMPv4.
        w.WriteString(Proto, FlowKey.ProtocolName(r.Key.Protocol));

        if (!string.IsNullOrEmpty(r.Service)) w.WriteString(Service, r.Service);

        WriteSeconds(w, Duration, Math.Max(0, r.LastNs - r.FirstNs));
        w.WriteNumber(OrigBytes, r.OrigBytes);
        w.WriteNumber(RespBytes, r.RespBytes);
        w.WriteString(ConnStateName, ConnState.Name(in r));
        w.WriteNumber(OrigPkts, r.OrigPkts);
        w.WriteNumber(OrigIpBytes, r.OrigIpBytes);
        w.WriteNumber(RespPkts, r.RespPkts);
        w.WriteNumber(RespIpBytes, r.RespIpBytes);

        CommunityId.Format(in r, _communityIdSeed, text);
        w.WriteString(CommunityIdName, text[..CommunityId.Length]);
        w.WriteString(CloseReasonName, CloseReasonNames.Name(r.Reason));

        if (r.Key.Vlan != 0) w.WriteNumber(Vlan, r.Key.Vlan);
        if (r.OrigMac != 0) WriteMac(w, OrigL2, r.OrigMac, text);
        if (r.RespMac != 0) WriteMac(w, RespL2, r.RespMac, text);

        // The household: which device, which destination, where.
        if (r.Device is { } device)
        {
            w.WriteString(DeviceName, device.Id);
            if (device.Name is not null) w.WriteString(DeviceNameName, device.Name);
        }
        w.WriteBoolean(LocalName, r.Local);
        if (r.RemoteName is not null)
        {
            w.WriteString(RemoteName, r.RemoteName);
            w.WriteString(RemoteNameSource, RemoteNameSources.Name(r.RemoteNameSource));
        }
        if (r.Location is { } place)
        {
            if (place.CountryCode is not null) w.WriteString(RemoteCountry, place.CountryCode);
            if (place.City is not null) w.WriteString(RemoteCity, place.City);
            if (place.Latitude is { } lat && place.Longitude is { } lon)
            {
                w.WriteNumber(RemoteLat, lat);
                w.WriteNumber(RemoteLon, lon);
            }
            if (place.AccuracyKm is { } km) w.WriteNumber(RemoteAccuracy, km);
            if (place.Asn is { } asn) w.WriteNumber(RemoteAsn, asn);
            if (place.Organisation is not null) w.WriteString(RemoteOrg, place.Organisation);
        }

        w.WriteEndObject();
        w.Flush();
        _buffer.GetSpan(1)[0] = (byte)'\n';
        _buffer.Advance(1);
    }

    /// <summary>
    /// Nanoseconds as seconds with exactly six decimals. Zeek keeps times to the microsecond (its
    /// TSV logs print "%.6f"); writing the digits ourselves avoids a double's rounding and exponent
    /// notation. Sub-microsecond digits are truncated, as libpcap does when it reads a nanosecond
    /// capture at microsecond precision.
    /// </summary>
    private static void WriteSeconds(Utf8JsonWriter w, JsonEncodedText name, long nanoseconds)
    {
        Span<byte> digits = stackalloc byte[32];
        int n = 0;
        ulong magnitude;
        if (nanoseconds < 0)
        {
            digits[n++] = (byte)'-';
            magnitude = (ulong)(-(nanoseconds + 1)) + 1; // no overflow for long.MinValue
        }
        else magnitude = (ulong)nanoseconds;

        ulong micros = magnitude / 1000;
        (ulong seconds, ulong fraction) = Math.DivRem(micros, 1_000_000UL);
        seconds.TryFormat(digits[n..], out int used);
        n += used;
        digits[n++] = (byte)'.';
        fraction.TryFormat(digits[n..], out used, "D6");
        n += used;

        w.WritePropertyName(name);
        w.WriteRawValue(digits[..n], skipInputValidation: true);
    }

    /// <summary>IPv4 as dotted quad; IPv6 in the RFC 5952 text form (lowercase, longest zero run as "::").</summary>
    private static void WriteAddress(Utf8JsonWriter w, JsonEncodedText name, ulong hi, ulong lo, byte family)
    {
        Span<byte> text = stackalloc byte[64];
        int n;
        if (family == 4)
        {
            uint v4 = (uint)lo;
            n = 0;
            for (int shift = 24; shift >= 0; shift -= 8)
            {
                ((byte)(v4 >> shift)).TryFormat(text[n..], out int used);
                n += used;
                if (shift != 0) text[n++] = (byte)'.';
            }
        }
        else
        {
            // Cold path: one small allocation per IPv6 address for the BCL's RFC 5952 formatting.
            FlowKey.ToAddress(hi, lo, family).TryFormat(text, out n);
        }
        w.WriteString(name, text[..n]);
    }

    /// <summary>48-bit MAC as six lowercase hex pairs separated by colons, as Zeek prints them.</summary>
    private static void WriteMac(Utf8JsonWriter w, JsonEncodedText name, ulong mac, Span<byte> scratch) =>
        w.WriteString(name, scratch[..MacAddress.Format(mac, scratch)]);
}
