using TapSensor.Core.Decoding;
using TapSensor.Testing.Packets;

namespace TapSensor.Core.Tests.Decoding;

public sealed class MplsDecoderTests
{
    private readonly DecoderHarness _harness = new();

    [Theory]
    [InlineData("10.1.1.1", "10.1.1.2", 1)]
    [InlineData("10.1.1.1", "10.1.1.2", 3)]
    [InlineData("2001:db8::1", "2001:db8::2", 2)]
    [InlineData("10.1.1.1", "10.1.1.2", MplsDecoder.MaxLabels)]
    public void Label_stack_is_followed_by_ip(string src, string dst, int labels)
    {
        uint[] stack = Enumerable.Range(16, labels).Select(l => (uint)l).ToArray();

        Decoded d = _harness.Decode(TestPackets.Tcp().From(src, 1000).To(dst, 80).Syn().Mpls(stack));

        Assert.Equal(DecodeStatus.Ok, d.Status);
        Assert.Equal(TcpFlag.Syn, d.Summary.TcpFlags);
        Assert.Equal(14 + 4 * labels + (src.Contains(':') ? 40 : 20) + 20, d.PayloadStart);
    }

    [Fact]
    public void Stack_deeper_than_the_cap_is_too_many_labels()
    {
        uint[] stack = Enumerable.Range(16, MplsDecoder.MaxLabels + 1).Select(l => (uint)l).ToArray();

        Assert.Equal(DecodeStatus.MplsTooManyLabels, _harness.Decode(TestPackets.Udp().Mpls(stack)).Status);
    }

    [Fact]
    public void Stack_cut_before_its_bottom_is_truncated()
    {
        byte[] frame = TestPackets.Udp().Mpls(16, 17).Build();

        Assert.Equal(DecodeStatus.MplsTruncated, _harness.Decode(frame[..20], 1, frame.Length).Status);
    }

    [Fact]
    public void Payload_that_is_not_ip_or_a_pseudowire_is_unknown()
    {
        byte[] frame = TestPackets.Udp().Mpls(16).Build();
        frame[18] = 0x95; // version nibble 9

        Assert.Equal(DecodeStatus.MplsUnknownPayload, _harness.Decode(frame).Status);
    }

    [Fact]
    public void Ethernet_pseudowire_after_a_control_word_is_decoded_and_keeps_the_outer_macs()
    {
        byte[] inner = TestPackets.Udp().From("172.16.0.1", 1).To("172.16.0.2", 2).SrcMac("02:00:00:00:99:01").Build();
        byte[] label = [0x00, 0x01, 0x01, 0x40]; // label 16, bottom of stack, TTL 64
        byte[] controlWord = [0, 0, 0, 0];
        byte[] frame = PacketBuilder.Concat(PacketBuilder.EthernetHeader("02:00:00:00:00:02", "02:00:00:00:00:01", 0x8847),
            PacketBuilder.Concat(label, PacketBuilder.Concat(controlWord, inner)));

        Decoded d = _harness.Decode(frame);

        Assert.Equal(DecodeStatus.Ok, d.Status);
        Assert.Equal("172.16.0.1:1", d.Src);
        Assert.Equal(0x020000000001UL, d.Summary.SrcMac);
    }
}
