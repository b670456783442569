using System.Text;
using TapSensor.Core.Names;
using TapSensor.Sample.Payloads;
using Xunit.Sdk;
using static TapSensor.Core.Tests.Names.QuicInitialBuilder;

namespace TapSensor.Core.Tests.Names;

/// <summary>
/// Property-style tests of the three name parsers: every truncation of valid messages, then seeded random mutations
/// (bit flips, random bytes, lengths forced to extremes, insertions, deletions, random tails). The invariants: a
/// defined status comes back, nothing throws, the call returns, and a found name is non-empty and, for TLS and HTTP,
/// no longer than the input. Seed and scale come from TAPSENSOR_FUZZ_SEED and TAPSENSOR_FUZZ_SCALE.
/// </summary>
public sealed class NameParsersFuzzTests : IDisposable
{
    private readonly ITestOutputHelper _output;
    private readonly int _seed;
    private readonly int _scale;
    private readonly QuicInitialParser _quic = new();

    public NameParsersFuzzTests(ITestOutputHelper output)
    {
        _output = output;
        _seed = int.TryParse(Environment.GetEnvironmentVariable("TAPSENSOR_FUZZ_SEED"), out int seed) ? seed : 20251123;
        _scale = int.TryParse(Environment.GetEnvironmentVariable("TAPSENSOR_FUZZ_SCALE"), out int scale) && scale > 0 ? scale : 1;
        _output.WriteLine($"seed {_seed}, scale {_scale}");
    }

    public void Dispose() => _quic.Dispose();

    private static List<byte[]> TlsStreams()
    {
        byte[] big = new ClientHelloBuilder().Grease(0).CommonExtensions(1216).ServerName("fuzz.example.com").Grease(3).Message();
        byte[] small = ClientHelloBuilder.WithServerName("s.example").Message();
        byte[] sample = new byte[2048];
        int sampleLength = TlsHandshake.WriteClientHello(sample, "sample.example"u8, 3, quic: false, default);
        return
        [
            ClientHelloBuilder.Records(big),
            ClientHelloBuilder.Records(small),
            ClientHelloBuilder.Records(big, 3, 100, 700),
            ClientHelloBuilder.Records(small, 1, 1, 1, 1, 30),
            ClientHelloBuilder.Records(sample[..sampleLength]),
            new ClientHelloBuilder { WithExtensionBlock = false }.Record(),
        ];
    }

    private static List<byte[]> HttpStreams() =>
    [
        .. new[]
        {
            "GET /index.html HTTP/1.1\r\nUser-Agent: fuzz\r\nHost: www.example.com:8080\r\nAccept: */*\r\n\r\n",
            "POST /api HTTP/1.0\r\nhost: [2001:db8::1]:443\r\nContent-Length: 3\r\n\r\nabc",
            "CONNECT tunnel.example:443 HTTP/1.1\r\nX-A: 1\r\n  continued\r\n\r\n",
            "GET http://user@absolute.example/x HTTP/1.1\nAccept: */*\n\n",
            "HEAD / HTTP/1.1\r\nHost:\r\n folded.example\r\n\r\n",
        }.Select(Encoding.ASCII.GetBytes),
    ];

    private static List<byte[]> QuicDatagrams()
    {
        byte[] dcid = Convert.FromHexString("0102030405060708");
        byte[] hello = ClientHelloBuilder.WithServerName("quic.fuzz.example").CommonExtensions(300).Message();
        using var protection = new QuicPacketProtection();
        byte[] sample = new byte[1500];
        int sampleLength = QuicPackets.WriteClientInitial(sample, protection, dcid, [9, 9], "sample.example"u8, 5, 1200);
        return
        [
            QuicRfcVectors.Version1ClientInitial,
            QuicRfcVectors.Version2ClientInitial,
            QuicRfcVectors.Version1ServerInitial,
            sample[..sampleLength],
            Initial(dcid, 0, [0x01, .. Crypto(200, hello.AsSpan(200)), 0x02, 0x00, 0x00, 0x00, 0x00, .. Crypto(0, hello.AsSpan(0, 200))]),
            [.. Initial(dcid, 1, Crypto(0, hello.AsSpan(0, 300)), minimumLength: 0), .. Initial(dcid, 2, Crypto(300, hello.AsSpan(300)), minimumLength: 0)],
            [.. OtherLongHeader(2, dcid, 40), .. Initial(dcid, 3, Crypto(0, hello), minimumLength: 0), .. OtherLongHeader(1, dcid, 100)],
        ];
    }

    [Fact]
    public void Every_truncation_of_valid_messages_returns_a_status()
    {
        int cases = 0;
        foreach (byte[] stream in TlsStreams())
        {
            for (int n = 0; n <= stream.Length; n++, cases++) Tls(stream[..n], $"tls truncation {n}");
        }
        foreach (byte[] stream in HttpStreams())
        {
            for (int n = 0; n <= stream.Length; n++, cases++) Http(stream[..n], $"http truncation {n}");
        }
        foreach (byte[] datagram in QuicDatagrams())
        {
            for (int n = 0; n <= datagram.Length; n++, cases++) Quic(datagram[..n], new QuicCryptoAssembly(), $"quic truncation {n}");
        }
        _output.WriteLine($"{cases} truncations");
    }

    [Fact]
    public void Random_mutations_of_tls_streams_never_throw()
    {
        var rng = new Random(_seed);
        List<byte[]> bases = TlsStreams();
        var seen = new int[5];
        for (int i = 0; i < 4000 * _scale; i++)
        {
            byte[] stream = Mutations.Edit(rng, bases[rng.Next(bases.Count)]);
            seen[(int)Tls(stream, $"seed {_seed} tls case {i}")]++;
        }
        _output.WriteLine("tls: " + string.Join(", ", seen.Select((n, s) => $"{(NameParse)s} {n}")));
    }

    [Fact]
    public void Random_mutations_of_http_requests_never_throw()
    {
        var rng = new Random(_seed + 1);
        List<byte[]> bases = HttpStreams();
        var seen = new int[5];
        for (int i = 0; i < 4000 * _scale; i++)
        {
            byte[] stream = Mutations.Edit(rng, bases[rng.Next(bases.Count)]);
            seen[(int)Http(stream, $"seed {_seed + 1} http case {i}")]++;
        }
        _output.WriteLine("http: " + string.Join(", ", seen.Select((n, s) => $"{(NameParse)s} {n}")));
    }

    [Fact]
    public void Random_mutations_of_quic_datagrams_never_throw_alone_or_in_sequence()
    {
        var rng = new Random(_seed + 2);
        List<byte[]> bases = QuicDatagrams();
        var seen = new int[5];
        var shared = new QuicCryptoAssembly();
        for (int i = 0; i < 2000 * _scale; i++)
        {
            byte[] datagram = Mutations.Edit(rng, bases[rng.Next(bases.Count)]);
            // Half the cases start a new connection; the others pile onto one assembly, as a long flow would.
            if (rng.Next(2) == 0) shared.Reset();
            seen[(int)Quic(datagram, rng.Next(2) == 0 ? new QuicCryptoAssembly() : shared, $"seed {_seed + 2} quic case {i}")]++;
        }
        _output.WriteLine("quic: " + string.Join(", ", seen.Select((n, s) => $"{(NameParse)s} {n}")));
    }

    [Fact]
    public void Random_bytes_behind_plausible_first_bytes_never_throw()
    {
        var rng = new Random(_seed + 3);
        for (int i = 0; i < 3000 * _scale; i++)
        {
            byte[] data = new byte[rng.Next(0, 1400)];
            rng.NextBytes(data);
            switch (i % 3)
            {
                case 0 when data.Length >= 3:
                    data[0] = 22;
                    data[1] = 3;
                    data[2] = (byte)rng.Next(5);
                    Tls(data, $"seed {_seed + 3} tls random {i}");
                    break;
                case 1:
                    Http([.. "GET / HTTP/1.1\r\n"u8, .. data], $"seed {_seed + 3} http random {i}");
                    break;
                case 2 when data.Length >= 5:
                    data[0] |= 0x80;
                    data[1] = 0;
                    data[2] = 0;
                    data[3] = 0;
                    data[4] = 1;
                    if (data.Length > 5) data[5] = (byte)rng.Next(21);
                    Quic(data, new QuicCryptoAssembly(), $"seed {_seed + 3} quic random {i}");
                    break;
            }
        }
    }

    private static NameParse Tls(byte[] stream, string description)
    {
        NameParse status = Check(description, stream, () =>
        {
            NameParse plain = TlsClientHello.TryGetServerName(stream, out ReadOnlySpan<byte> name, out int needed);
            NameParse withScratch = TlsClientHello.TryGetServerName(stream, new byte[TlsClientHello.MaxHandshakeLength], out ReadOnlySpan<byte> other, out _);
            if (plain != withScratch || !name.SequenceEqual(other)) throw new XunitException("the scratch changes the answer");
            if (plain == NameParse.NeedMore && needed <= stream.Length) throw new XunitException($"NeedMore asks for {needed} bytes, has {stream.Length}");
            return (plain, name.Length, stream.Length);
        });
        Check(description, stream, () =>
        {
            NameParse bare = TlsClientHello.TryGetServerNameFromHandshake(stream, out ReadOnlySpan<byte> name);
            return (bare, name.Length, stream.Length);
        });
        return status;
    }

    private static NameParse Http(byte[] stream, string description) =>
        Check(description, stream, () =>
        {
            NameParse status = HttpRequestHost.TryGetHost(stream, out ReadOnlySpan<byte> host);
            return (status, host.Length, stream.Length);
        });

    private NameParse Quic(byte[] datagram, QuicCryptoAssembly assembly, string description) =>
        Check(description, datagram, () =>
        {
            NameParse status = _quic.TryGetServerName(datagram, assembly, out ReadOnlySpan<byte> name);
            return (status, name.Length, QuicCryptoAssembly.Capacity);
        });

    private static NameParse Check(string description, byte[] input, Func<(NameParse Status, int NameLength, int MaxName)> run)
    {
        (NameParse Status, int NameLength, int MaxName) r;
        try
        {
            r = run();
        }
        catch (Exception e)
        {
            string what = e is XunitException ? e.Message : "threw " + e;
            throw new XunitException($"{description}: {what} on {Convert.ToHexString(input)}");
        }
        if (!Enum.IsDefined(r.Status)) throw new XunitException($"{description}: undefined status {(int)r.Status}");
        if (r.Status == NameParse.Found ? r.NameLength == 0 || r.NameLength > r.MaxName : r.NameLength != 0)
            throw new XunitException($"{description}: {r.Status} with a {r.NameLength}-byte name on {Convert.ToHexString(input)}");
        return r.Status;
    }
}
