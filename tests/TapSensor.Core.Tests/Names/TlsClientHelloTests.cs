using System.Runtime.InteropServices;
using System.Text;
using TapSensor.Core.Names;
using TapSensor.Sample.Payloads;

namespace TapSensor.Core.Tests.Names;

public sealed class TlsClientHelloTests
{
    private static string Text(ReadOnlySpan<byte> bytes) => Encoding.ASCII.GetString(bytes);

    private static NameParse Parse(byte[] stream, out string name, out int totalNeeded)
    {
        NameParse status = TlsClientHello.TryGetServerName(stream, out ReadOnlySpan<byte> found, out totalNeeded);
        name = Text(found);
        return status;
    }

    [Fact]
    public void Server_name_of_a_one_record_client_hello_is_found()
    {
        byte[] stream = ClientHelloBuilder.WithServerName("www.example.com").CommonExtensions().Record();

        Assert.Equal(NameParse.Found, Parse(stream, out string name, out _));
        Assert.Equal("www.example.com", name);
    }

    [Fact]
    public void The_name_is_a_slice_of_the_stream_when_it_lies_in_one_record()
    {
        byte[] stream = ClientHelloBuilder.WithServerName("a.example").Record();

        TlsClientHello.TryGetServerName(stream, out ReadOnlySpan<byte> name, out _);

        int offset = stream.AsSpan().IndexOf("a.example"u8);
        Assert.True(PointsInto(stream, offset, name), "the name should point into the stream");
    }

    private static bool PointsInto(byte[] array, int offset, ReadOnlySpan<byte> span) =>
        System.Runtime.CompilerServices.Unsafe.AreSame(ref MemoryMarshal.GetReference(span), ref array[offset]);

    [Fact]
    public void Client_hello_without_server_name_is_not_found()
    {
        byte[] stream = new ClientHelloBuilder().CommonExtensions().Record();

        Assert.Equal(NameParse.NotFound, Parse(stream, out _, out _));
    }

    [Fact]
    public void Client_hello_without_an_extension_block_is_not_found()
    {
        byte[] stream = new ClientHelloBuilder { WithExtensionBlock = false, LegacyVersion = 0x0301, SessionId = [] }.Record();

        Assert.Equal(NameParse.NotFound, Parse(stream, out _, out _));
    }

    [Fact]
    public void Grease_and_many_extensions_around_the_server_name_are_skipped()
    {
        var hello = new ClientHelloBuilder();
        for (int i = 0; i < 8; i++) hello.Grease(i);
        hello.CommonExtensions(keyShareLength: 1216);
        hello.ServerName("accounts.google.com");
        for (int i = 0; i < 40; i++) hello.Extension((ushort)(0x7000 + i), new byte[i]);
        hello.Extension(0x0015, new byte[300]); // padding (RFC 7685)

        Assert.Equal(NameParse.Found, Parse(hello.Record(), out string name, out _));
        Assert.Equal("accounts.google.com", name);
    }

    [Fact]
    public void The_first_host_name_entry_wins_and_other_name_types_are_skipped()
    {
        byte[] list = ClientHelloBuilder.ServerNameList((7, "other"u8.ToArray()), (0, "first.example"u8.ToArray()), (0, "second.example"u8.ToArray()));
        byte[] stream = new ClientHelloBuilder().Extension(0, list).Record();

        Assert.Equal(NameParse.Found, Parse(stream, out string name, out _));
        Assert.Equal("first.example", name);
    }

    [Fact]
    public void An_empty_server_name_extension_is_no_name()
    {
        byte[] stream = new ClientHelloBuilder().Extension(0, []).CommonExtensions().Record();

        Assert.Equal(NameParse.NotFound, Parse(stream, out _, out _));
    }

    [Fact]
    public void The_sample_generators_client_hello_gives_its_name()
    {
        byte[] message = new byte[2048];
        int length = TlsHandshake.WriteClientHello(message, "cdn.example.net"u8, 77, quic: false, default);
        byte[] stream = ClientHelloBuilder.Records(message[..length]);

        Assert.Equal(NameParse.Found, Parse(stream, out string name, out _));
        Assert.Equal("cdn.example.net", name);
    }

    [Fact]
    public void Every_split_into_two_segments_needs_more_until_the_hello_is_complete()
    {
        byte[] stream = ClientHelloBuilder.WithServerName("split.example").CommonExtensions().Record();

        for (int cut = 0; cut < stream.Length; cut++)
        {
            Assert.True(NameParse.NeedMore == Parse(stream[..cut], out _, out int needed), $"cut at {cut}");
            Assert.True(needed > cut && needed <= stream.Length, $"cut at {cut}: needs {needed} of {stream.Length}");
            // With the record header in hand, the rest of a one-record hello is known exactly.
            if (cut >= TlsClientHello.RecordHeaderLength) Assert.Equal(stream.Length, needed);
        }
        Assert.Equal(NameParse.Found, Parse(stream, out string name, out _));
        Assert.Equal("split.example", name);
    }

    [Fact]
    public void Every_split_into_three_segments_of_a_small_hello_finds_the_name_on_the_last()
    {
        byte[] stream = ClientHelloBuilder.WithServerName("three.example").Record();
        Assert.True(stream.Length < 160, $"{stream.Length} bytes: keep this hello small");

        for (int first = 1; first < stream.Length - 1; first++)
        {
            for (int second = first + 1; second < stream.Length; second++)
            {
                // The caller appends each segment to what it has and calls again.
                Assert.Equal(NameParse.NeedMore, Parse(stream[..first], out _, out _));
                Assert.Equal(NameParse.NeedMore, Parse(stream[..second], out _, out _));
                Assert.Equal(NameParse.Found, Parse(stream, out string name, out _));
                Assert.Equal("three.example", name);
            }
        }
    }

    [Theory]
    [InlineData(new[] { 1 })]
    [InlineData(new[] { 3 })]
    [InlineData(new[] { 4, 40 })]
    [InlineData(new[] { 20, 20, 20, 20 })]
    [InlineData(new[] { 100 })]
    public void A_hello_fragmented_across_records_is_joined(int[] fragments)
    {
        byte[] message = ClientHelloBuilder.WithServerName("fragments.example.org").CommonExtensions().Message();
        byte[] stream = ClientHelloBuilder.Records(message, fragments);

        Assert.Equal(NameParse.Found, Parse(stream, out string name, out _));
        Assert.Equal("fragments.example.org", name);
        for (int cut = 0; cut < stream.Length; cut++)
        {
            Assert.True(NameParse.NeedMore == Parse(stream[..cut], out _, out int needed), $"cut at {cut}");
            Assert.True(needed > cut && needed <= stream.Length, $"cut at {cut}: needs {needed} of {stream.Length}");
        }
    }

    [Fact]
    public void A_name_straddling_two_records_is_copied_or_joined_in_the_scratch()
    {
        byte[] message = ClientHelloBuilder.WithServerName("straddle.example").Message();
        int nameAt = message.AsSpan().IndexOf("straddle"u8);
        byte[] stream = ClientHelloBuilder.Records(message, nameAt + 4);

        Assert.Equal(NameParse.Found, Parse(stream, out string name, out _));
        Assert.Equal("straddle.example", name);

        byte[] scratch = new byte[TlsClientHello.MaxHandshakeLength];
        Assert.Equal(NameParse.Found, TlsClientHello.TryGetServerName(stream, scratch, out ReadOnlySpan<byte> inScratch, out _));
        Assert.Equal("straddle.example", Text(inScratch));
        Assert.True(PointsInto(scratch, nameAt, inScratch), "the name should point into the scratch");
    }

    [Fact]
    public void A_name_inside_a_later_record_is_a_slice_of_the_stream()
    {
        byte[] message = ClientHelloBuilder.WithServerName("later.example").CommonExtensions().Message();
        byte[] stream = ClientHelloBuilder.Records(message, 10);

        TlsClientHello.TryGetServerName(stream, out ReadOnlySpan<byte> name, out _);

        Assert.True(PointsInto(stream, stream.AsSpan().IndexOf("later.example"u8), name));
    }

    [Fact]
    public void Bytes_after_the_hello_are_ignored()
    {
        byte[] hello = ClientHelloBuilder.WithServerName("first.example").Record();
        byte[] stream = [.. hello, 20, 3, 3, 0, 1, 1, 23, 3, 3, 0, 5, 1, 2, 3];

        Assert.Equal(NameParse.Found, Parse(stream, out string name, out _));
        Assert.Equal("first.example", name);
    }

    [Theory]
    [InlineData("474554202f20485454502f312e310d0a")]   // GET / HTTP/1.1
    [InlineData("17030300100000")]                       // application data record
    [InlineData("8046010301002d0000001000")]             // SSL 2.0 compatible hello
    [InlineData("1605010010")]                           // record version 5.1
    [InlineData("1602")]                                 // record version 2.x, cut short
    [InlineData("5353482d322e302d")]                     // SSH-2.0-
    public void Bytes_that_are_not_a_handshake_record_are_not_applicable(string hex)
    {
        Assert.Equal(NameParse.NotApplicable, Parse(Convert.FromHexString(hex), out _, out _));
    }

    [Fact]
    public void A_server_hello_is_not_applicable()
    {
        byte[] message = new byte[512];
        int length = TlsHandshake.WriteServerHello(message, 5, quic: false);

        Assert.Equal(NameParse.NotApplicable, Parse(ClientHelloBuilder.Records(message[..length]), out _, out _));
    }

    [Fact]
    public void A_handshake_message_over_16_KiB_is_malformed()
    {
        byte[] stream = [.. ClientHelloBuilder.RecordHeader(22, 0x0303, 4), 1, 0x00, 0x40, 0x00];

        Assert.Equal(NameParse.Malformed, Parse(stream, out _, out _));
    }

    [Fact]
    public void Zero_length_and_oversized_records_are_malformed()
    {
        Assert.Equal(NameParse.Malformed, Parse(ClientHelloBuilder.RecordHeader(22, 0x0303, 0), out _, out _));
        Assert.Equal(NameParse.Malformed, Parse(ClientHelloBuilder.RecordHeader(22, 0x0303, (1 << 14) + 1), out _, out _));
    }

    [Fact]
    public void Another_record_type_in_the_middle_of_the_hello_is_malformed()
    {
        byte[] message = ClientHelloBuilder.WithServerName("x.example").Message();
        byte[] stream = ClientHelloBuilder.Records(message, 30);
        stream[5 + 30] = 21; // the second record becomes an alert

        Assert.Equal(NameParse.Malformed, Parse(stream, out _, out _));
    }

    [Fact]
    public void More_records_than_the_cap_are_malformed()
    {
        byte[] message = ClientHelloBuilder.WithServerName("x.example").CommonExtensions().Message();
        int[] ones = Enumerable.Repeat(1, TlsClientHello.MaxRecords + 1).ToArray();

        Assert.Equal(NameParse.Malformed, Parse(ClientHelloBuilder.Records(message, ones), out _, out _));
    }

    [Fact]
    public void Extension_block_length_that_does_not_match_is_malformed()
    {
        Assert.Equal(NameParse.Malformed, Parse(new ClientHelloBuilder { ExtensionsLengthError = 1 }.ServerName("a.b").Record(), out _, out _));
        Assert.Equal(NameParse.Malformed, Parse(new ClientHelloBuilder { ExtensionsLengthError = -1 }.ServerName("a.b").Record(), out _, out _));
    }

    [Fact]
    public void Server_name_list_length_that_does_not_match_is_malformed()
    {
        byte[] list = ClientHelloBuilder.ServerNameList((0, "a.example"u8.ToArray()));
        list[1]++;

        Assert.Equal(NameParse.Malformed, Parse(new ClientHelloBuilder().Extension(0, list).Record(), out _, out _));
    }

    [Fact]
    public void Empty_host_name_is_malformed()
    {
        byte[] list = ClientHelloBuilder.ServerNameList((0, []));

        Assert.Equal(NameParse.Malformed, Parse(new ClientHelloBuilder().Extension(0, list).Record(), out _, out _));
    }

    [Fact]
    public void Vectors_that_break_their_bounds_are_malformed()
    {
        Assert.Equal(NameParse.Malformed, Parse(new ClientHelloBuilder { SessionId = new byte[33] }.ServerName("a.b").Record(), out _, out _));
        Assert.Equal(NameParse.Malformed, Parse(new ClientHelloBuilder { CipherSuites = [0x13] }.ServerName("a.b").Record(), out _, out _));
        Assert.Equal(NameParse.Malformed, Parse(new ClientHelloBuilder { CipherSuites = [] }.ServerName("a.b").Record(), out _, out _));
        Assert.Equal(NameParse.Malformed, Parse(new ClientHelloBuilder { CompressionMethods = [] }.ServerName("a.b").Record(), out _, out _));
        Assert.Equal(NameParse.Malformed, Parse(new ClientHelloBuilder { LegacyVersion = 0x0203 }.ServerName("a.b").Record(), out _, out _));
    }

    [Fact]
    public void An_extension_running_past_the_message_is_malformed()
    {
        byte[] message = ClientHelloBuilder.WithServerName("a.example").Message();
        message[^("a.example".Length + 6)]++; // low byte of the server_name extension length: one byte too many

        Assert.Equal(NameParse.Malformed, Parse(ClientHelloBuilder.Records(message), out _, out _));
    }

    [Fact]
    public void A_bare_handshake_message_gives_its_name_and_waits_for_the_rest()
    {
        byte[] message = ClientHelloBuilder.WithServerName("bare.example").CommonExtensions().Message();

        Assert.Equal(NameParse.Found, TlsClientHello.TryGetServerNameFromHandshake([.. message, 9, 9, 9], out ReadOnlySpan<byte> name));
        Assert.Equal("bare.example", Text(name));
        for (int cut = 0; cut < message.Length; cut++)
            Assert.Equal(NameParse.NeedMore, TlsClientHello.TryGetServerNameFromHandshake(message.AsSpan(0, cut), out _));
        Assert.Equal(NameParse.NotApplicable, TlsClientHello.TryGetServerNameFromHandshake([2, 0, 0, 0], out _));
        Assert.Equal(NameParse.Malformed, TlsClientHello.TryGetServerNameFromHandshake([1, 0, 0x40, 0], out _));
    }
}
