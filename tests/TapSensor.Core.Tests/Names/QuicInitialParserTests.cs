using System.Text;
using TapSensor.Core.Names;
using TapSensor.Sample.Payloads;
using static TapSensor.Core.Tests.Names.QuicInitialBuilder;

namespace TapSensor.Core.Tests.Names;

public sealed class QuicInitialParserTests : IDisposable
{
    private static readonly byte[] RfcDestinationId = Convert.FromHexString("8394c8f03e515708");
    private static readonly byte[] Dcid = Convert.FromHexString("1122334455667788");
    private readonly QuicInitialParser _parser = new();

    public void Dispose() => _parser.Dispose();

    private NameParse Parse(byte[] datagram, QuicCryptoAssembly assembly, out string name)
    {
        NameParse status = _parser.TryGetServerName(datagram, assembly, out ReadOnlySpan<byte> found);
        name = Encoding.ASCII.GetString(found);
        return status;
    }

    /// <summary>A ClientHello of about <paramref name="size"/> bytes: a large key share, as with post-quantum groups.</summary>
    private static byte[] Hello(string name, int size) =>
        ClientHelloBuilder.WithServerName(name).CommonExtensions(keyShareLength: Math.Max(32, size - 170)).Message();

    [Fact]
    public void Client_initial_keys_match_rfc_9001_appendix_a1()
    {
        byte[] key = new byte[16], iv = new byte[12], hp = new byte[16];
        QuicInitialKeys.Derive(QuicKeySchedule.Version1, RfcDestinationId, key, iv, hp);

        Assert.Equal("1f369613dd76d5467730efcbe3b1a22d", Convert.ToHexStringLower(key));
        Assert.Equal("fa044b2f42a3fd3b46fb255c", Convert.ToHexStringLower(iv));
        Assert.Equal("9f50449e04a0e810283a1e9933adedd2", Convert.ToHexStringLower(hp));
    }

    [Fact]
    public void Client_initial_keys_match_rfc_9369_appendix_a1()
    {
        byte[] key = new byte[16], iv = new byte[12], hp = new byte[16];
        QuicInitialKeys.Derive(QuicKeySchedule.Version2, RfcDestinationId, key, iv, hp);

        Assert.Equal("8b1a0bc121284290a29e0971b5cd045d", Convert.ToHexStringLower(key));
        Assert.Equal("91f73e2351d8fa91660e909f", Convert.ToHexStringLower(iv));
        Assert.Equal("45b95e15235d6f45a6b19cbcb0294ba9", Convert.ToHexStringLower(hp));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void The_rfc_client_initial_opens_to_its_crypto_frame_and_example_com(int version)
    {
        byte[] packet = version == 1 ? QuicRfcVectors.Version1ClientInitial : QuicRfcVectors.Version2ClientInitial;
        var assembly = new QuicCryptoAssembly();
        assembly.EnsureBuffer(); // so the CRYPTO stream lands where the test can read it

        Assert.Equal(NameParse.Found, Parse(packet, assembly, out string name));
        Assert.Equal("example.com", name);
        // The unprotected payload starts with CRYPTO(offset 0, length 0xf1) and the 241-byte ClientHello.
        Assert.Equal(241, assembly.ContiguousLength);
        Assert.Equal(QuicRfcVectors.ClientHello, Convert.ToHexStringLower(assembly.Buffer.AsSpan(0, 241)));
        Assert.Equal(2, assembly.LargestPacketNumber); // RFC: packet number 2 in a 4-byte field
        Assert.Equal(RfcDestinationId, assembly.OriginalDestinationId.ToArray());
        Assert.Equal(version == 1 ? 1u : 0x6b3343cfu, assembly.Version);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void The_rfc_server_initial_cannot_be_opened_with_client_keys(int version)
    {
        byte[] packet = version == 1 ? QuicRfcVectors.Version1ServerInitial : QuicRfcVectors.Version2ServerInitial;

        Assert.Equal(NameParse.Malformed, Parse(packet, new QuicCryptoAssembly(), out _));
    }

    [Fact]
    public void Every_client_initial_of_the_sample_generator_gives_its_name()
    {
        using var protection = new QuicPacketProtection();
        var random = new Random(7);
        byte[] datagram = new byte[1500];
        for (int i = 0; i < 40; i++)
        {
            byte[] dcid = new byte[8 + i % 13];
            byte[] scid = new byte[i % 21];
            random.NextBytes(dcid);
            random.NextBytes(scid);
            string server = $"host{i}.example";
            int length = QuicPackets.WriteClientInitial(datagram, protection, dcid, scid, Encoding.ASCII.GetBytes(server), (ulong)i, 1200 + i);

            Assert.Equal(NameParse.Found, Parse(datagram[..length], new QuicCryptoAssembly(), out string name));
            Assert.Equal(server, name);
        }
    }

    [Fact]
    public void The_sample_generators_server_initial_is_malformed()
    {
        using var protection = new QuicPacketProtection();
        byte[] datagram = new byte[1500];
        int length = QuicPackets.WriteServerInitial(datagram, protection, Dcid, ClientId, Convert.FromHexString("aabbccdd"), 3);

        Assert.Equal(NameParse.Malformed, Parse(datagram[..length], new QuicCryptoAssembly(), out _));
    }

    [Fact]
    public void A_client_hello_in_shuffled_frames_of_one_packet_needs_no_assembly_buffer()
    {
        byte[] hello = Hello("shuffled.example", 900);
        byte[] frames =
        [
            0x01, .. Crypto(600, hello.AsSpan(600)), 0x00, 0x00, 0x01, .. Crypto(0, hello.AsSpan(0, 250)),
            .. Crypto(250, hello.AsSpan(250, 350)), 0x01,
        ];
        var assembly = new QuicCryptoAssembly();

        Assert.Equal(NameParse.Found, Parse(Initial(Dcid, 0, frames), assembly, out string name));
        Assert.Equal("shuffled.example", name);
        Assert.Null(assembly.Buffer);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_client_hello_split_across_two_initials_with_frames_out_of_order_is_assembled(bool secondFirst)
    {
        byte[] hello = Hello("two-packets.example", 2400);
        Assert.True(hello.Length > 2000);
        byte[] first = Initial(Dcid, 0, [.. Crypto(1100, hello.AsSpan(1100)), .. Crypto(0, hello.AsSpan(0, 500))]);
        byte[] second = Initial(Dcid, 1, [0x01, .. Crypto(500, hello.AsSpan(500, 600))]);
        var assembly = new QuicCryptoAssembly();

        Assert.Equal(NameParse.NeedMore, Parse(secondFirst ? second : first, assembly, out _));
        Assert.NotNull(assembly.Buffer);
        Assert.Equal(NameParse.Found, Parse(secondFirst ? first : second, assembly, out string name));
        Assert.Equal("two-packets.example", name);
    }

    [Fact]
    public void A_hello_over_three_datagrams_in_any_order_is_assembled()
    {
        byte[] hello = Hello("three.example", 3000);
        byte[][] packets =
        [
            Initial(Dcid, 0, Crypto(0, hello.AsSpan(0, 1000))),
            Initial(Dcid, 1, Crypto(1000, hello.AsSpan(1000, 1000))),
            Initial(Dcid, 2, Crypto(2000, hello.AsSpan(2000))),
        ];
        int[][] orders = [[0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]];
        foreach (int[] order in orders)
        {
            var assembly = new QuicCryptoAssembly();
            Assert.Equal(NameParse.NeedMore, Parse(packets[order[0]], assembly, out _));
            Assert.Equal(NameParse.NeedMore, Parse(packets[order[1]], assembly, out _));
            Assert.Equal(NameParse.Found, Parse(packets[order[2]], assembly, out string name));
            Assert.Equal("three.example", name);
        }
    }

    [Fact]
    public void Two_initials_coalesced_in_one_datagram_are_both_read()
    {
        byte[] hello = Hello("coalesced.example", 1500);
        byte[] datagram =
        [
            .. Initial(Dcid, 0, Crypto(0, hello.AsSpan(0, 700)), minimumLength: 0),
            .. Initial(Dcid, 1, Crypto(700, hello.AsSpan(700)), minimumLength: 0),
        ];

        Assert.Equal(NameParse.Found, Parse(datagram, new QuicCryptoAssembly(), out string name));
        Assert.Equal("coalesced.example", name);
    }

    [Fact]
    public void Other_long_header_packets_are_skipped_by_their_length()
    {
        byte[] initial = Initial(Dcid, 0, Crypto(0, Hello("skip.example", 400)), minimumLength: 0);
        byte[] handshakeFirst = [.. OtherLongHeader(2, Dcid, 60), .. initial];
        byte[] zeroRttAfter = [.. initial, .. OtherLongHeader(1, Dcid, 300)];
        byte[] paddedAfter = [.. initial, .. new byte[200]];

        foreach (byte[] datagram in new[] { handshakeFirst, zeroRttAfter, paddedAfter })
        {
            Assert.Equal(NameParse.Found, Parse(datagram, new QuicCryptoAssembly(), out string name));
            Assert.Equal("skip.example", name);
        }
        Assert.Equal(NameParse.NotApplicable, Parse(OtherLongHeader(2, Dcid, 60), new QuicCryptoAssembly(), out _));
    }

    [Fact]
    public void Initials_after_the_client_switched_connection_id_keep_the_first_keys()
    {
        byte[] hello = Hello("switched.example", 2000);
        byte[] serverChosen = Convert.FromHexString("0164bccb0bceb2de8f64afc9a9cea6a36437ab44");
        var assembly = new QuicCryptoAssembly();

        Assert.Equal(NameParse.NeedMore, Parse(Initial(Dcid, 1, Crypto(0, hello.AsSpan(0, 1100))), assembly, out _));
        byte[] later = Initial(serverChosen, 4, Crypto(1100, hello.AsSpan(1100)), keysFrom: Dcid);
        Assert.Equal(NameParse.Found, Parse(later, assembly, out string name));
        Assert.Equal("switched.example", name);
        Assert.Equal(Dcid, assembly.OriginalDestinationId.ToArray());
    }

    [Fact]
    public void After_a_retry_the_keys_of_the_new_connection_id_are_used()
    {
        byte[] hello = Hello("retry.example", 2000);
        byte[] retryId = Convert.FromHexString("5e5e5e5e5e5e5e5e5e");
        var assembly = new QuicCryptoAssembly();

        Assert.Equal(NameParse.NeedMore, Parse(Initial(Dcid, 0, Crypto(0, hello.AsSpan(0, 1100))), assembly, out _));
        byte[] token = [1, 2, 3, 4, 5, 6, 7, 8];
        Assert.Equal(NameParse.NeedMore, Parse(Initial(retryId, 1, Crypto(0, hello.AsSpan(0, 1100)), token: token), assembly, out _));
        Assert.Equal(retryId, assembly.OriginalDestinationId.ToArray());
        Assert.Equal(NameParse.Found, Parse(Initial(retryId, 2, Crypto(1100, hello.AsSpan(1100)), token: token), assembly, out string name));
        Assert.Equal("retry.example", name);
    }

    [Fact]
    public void An_initial_without_crypto_data_needs_more()
    {
        byte[] ackOnly = [0x02, 0x00, 0x00, 0x00, 0x00, 0x01];

        Assert.Equal(NameParse.NeedMore, Parse(Initial(Dcid, 0, ackOnly), new QuicCryptoAssembly(), out _));
    }

    [Fact]
    public void Crypto_data_past_16_KiB_is_dropped()
    {
        byte[] far = Crypto(QuicCryptoAssembly.Capacity + 10, new byte[100]);
        var assembly = new QuicCryptoAssembly();

        Assert.Equal(NameParse.NeedMore, Parse(Initial(Dcid, 0, far), assembly, out _));
        Assert.Equal(0, assembly.ContiguousLength);
    }

    [Fact]
    public void A_frame_the_initial_may_not_carry_ends_the_walk_quietly()
    {
        byte[] frames = [.. Crypto(0, Hello("stream.example", 300)), 0x08, 0x00, 0x05, 1, 2, 3, 4, 5];

        Assert.Equal(NameParse.Found, Parse(Initial(Dcid, 0, frames), new QuicCryptoAssembly(), out string name));
        Assert.Equal("stream.example", name);
    }

    [Fact]
    public void Ack_and_connection_close_frames_are_read_past()
    {
        byte[] frames =
        [
            0x03, 0x05, 0x00, 0x01, 0x00, 0x01, 0x01, 0x01, 0x02, 0x03,                 // ACK with ECN and one range
            0x1c, 0x00, 0x06, 0x03, (byte)'a', (byte)'b', (byte)'c',               // CONNECTION_CLOSE with a reason
            .. Crypto(0, Hello("frames.example", 300)),
        ];

        Assert.Equal(NameParse.Found, Parse(Initial(Dcid, 0, frames), new QuicCryptoAssembly(), out string name));
        Assert.Equal("frames.example", name);
    }

    [Fact]
    public void A_crypto_frame_running_past_the_packet_is_malformed()
    {
        byte[] frames = [0x06, 0x00, 0x44, 0x00, 1, 2, 3];

        Assert.Equal(NameParse.Malformed, Parse(Initial(Dcid, 0, frames, minimumLength: 0), new QuicCryptoAssembly(), out _));
    }

    [Fact]
    public void A_damaged_packet_fails_authentication_and_is_malformed()
    {
        byte[] packet = Initial(Dcid, 0, Crypto(0, Hello("damaged.example", 300)));
        for (int at = packet.Length - 200; at < packet.Length; at += 37)
        {
            byte[] damaged = (byte[])packet.Clone();
            damaged[at] ^= 0x10;
            Assert.Equal(NameParse.Malformed, Parse(damaged, new QuicCryptoAssembly(), out _));
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("c0")]
    [InlineData("c0000000")]
    [InlineData("40aabbccdd")]                              // short header
    [InlineData("c000000000088394c8f03e5157080000000001")]  // version negotiation
    [InlineData("c01a2a3a4a088394c8f03e515708000000")]      // unknown (greased) version
    [InlineData("c051303530088394c8f03e515708000000")]      // Google QUIC Q050
    public void Datagrams_that_are_not_initials_of_a_supported_version_are_not_applicable(string hex)
    {
        Assert.Equal(NameParse.NotApplicable, Parse(Convert.FromHexString(hex), new QuicCryptoAssembly(), out _));
    }

    [Fact]
    public void A_long_header_that_runs_past_the_datagram_is_malformed()
    {
        byte[] packet = Initial(Dcid, 0, Crypto(0, Hello("cut.example", 300)));

        Assert.Equal(NameParse.Malformed, Parse(packet[..^1], new QuicCryptoAssembly(), out _));
        Assert.Equal(NameParse.Malformed, Parse(Convert.FromHexString("c00000000115"), new QuicCryptoAssembly(), out _)); // DCID of 21 bytes
    }

    [Fact]
    public void Reset_forgets_the_connection_and_keeps_the_buffer()
    {
        byte[] hello = Hello("pooled.example", 2400);
        var assembly = new QuicCryptoAssembly();
        Parse(Initial(Dcid, 0, Crypto(0, hello.AsSpan(0, 1000))), assembly, out _);
        byte[]? buffer = assembly.Buffer;
        Assert.NotNull(buffer);

        assembly.Reset();

        Assert.Equal(0, assembly.ContiguousLength);
        Assert.True(assembly.OriginalDestinationId.IsEmpty);
        Assert.Same(buffer, assembly.Buffer);
        byte[] other = Convert.FromHexString("99887766554433221100");
        Assert.Equal(NameParse.Found, Parse(Initial(other, 0, Crypto(0, Hello("next.example", 500))), assembly, out string name));
        Assert.Equal("next.example", name);
    }

    [Fact]
    public void Further_initials_of_a_cached_connection_allocate_nothing()
    {
        byte[] packet = Initial(Dcid, 0, Crypto(0, Hello("cached.example", 1500)));
        var assembly = new QuicCryptoAssembly();
        for (int i = 0; i < 50; i++)
        {
            assembly.Reset();
            _parser.TryGetServerName(packet, assembly, out _);
        }

        assembly.Reset();
        long before = GC.GetAllocatedBytesForCurrentThread();
        NameParse status = _parser.TryGetServerName(packet, assembly, out _);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(NameParse.Found, status);
        Assert.Equal(0, allocated);
    }
}
