using System.Buffers.Binary;
using PocketTts.Audio;

namespace PocketTts.Tests.Unit.Audio;

public class Pcm16Tests
{
    [Theory]
    [InlineData(0f, 0)]
    [InlineData(1f, 32767)]
    [InlineData(-1f, -32767)]          // never -32768: the reference scales by 32767
    [InlineData(1.5f, 32767)]          // clipped
    [InlineData(-7f, -32767)]
    [InlineData(0.5f, 16383)]          // 16383.5 truncated toward zero, not rounded
    [InlineData(-0.5f, -16383)]
    [InlineData(0.99999f, 32766)]
    [InlineData(0.00002f, 0)]
    [InlineData(-0.00002f, 0)]
    [InlineData(float.PositiveInfinity, 32767)]
    [InlineData(float.NaN, 0)]
    public void Samples_are_clipped_scaled_by_32767_and_truncated_like_torch_short(float sample, short expected)
    {
        Pcm16.FromFloat(sample).ShouldBe(expected);
    }

    [Fact]
    public void Encode_writes_little_endian_pairs()
    {
        var bytes = new byte[6];
        Pcm16.Encode([0.5f, -1f, 1e-3f], bytes);
        bytes.ShouldBe([0xFF, 0x3F, 0x01, 0x80, 0x20, 0x00]);   // 16383, -32767, 32
        BinaryPrimitives.ReadInt16LittleEndian(bytes.AsSpan(4)).ShouldBe((short)32);
    }

    [Fact]
    public void A_short_destination_is_rejected_with_both_lengths()
    {
        var e = Should.Throw<ArgumentException>(() => Pcm16.Encode(new float[3], new byte[5]));
        e.Message.ShouldStartWith("The destination has 5 bytes; 6 are needed for 3 samples.");
        e.ParamName.ShouldBe("destination");
    }
}
