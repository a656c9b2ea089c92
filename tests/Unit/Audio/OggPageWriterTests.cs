using PocketTts.Audio.Encoders;
using PocketTts.Tests.Unit.Infrastructure;

namespace PocketTts.Tests.Unit.Audio;

public sealed class OggPageWriterTests
{
    [Fact]
    public async Task Packets_of_every_lacing_shape_survive_with_their_granules()
    {
        using var output = new MemoryStream();
        var ogg = new OggPageWriter(output, serial: 42);
        byte[][] packets = [[], [.. Enumerable.Range(0, 255).Select(i => (byte)i)], [.. Enumerable.Range(0, 600).Select(i => (byte)(i * 7))], [1, 2, 3]];
        await ogg.WritePacketAsync(packets[0], 0, CancellationToken.None);
        await ogg.FlushPageAsync(CancellationToken.None);
        await ogg.WritePacketAsync(packets[1], 960, CancellationToken.None);
        await ogg.WritePacketAsync(packets[2], 1920, CancellationToken.None);
        await ogg.FlushPageAsync(CancellationToken.None);
        await ogg.WritePacketAsync(packets[3], 2500, CancellationToken.None);
        await ogg.FinishAsync(CancellationToken.None);

        List<(byte[] Packet, long Granule)> read = OggOpusReader.Packets(output.ToArray());
        read.Select(p => p.Packet).ShouldBe(packets);
        read.Select(p => p.Granule).ShouldBe([0L, 1920, 1920, 2500], "a page carries the granule of its last packet");
    }

    [Fact]
    public async Task A_page_full_of_segments_is_flushed_before_it_overflows()
    {
        using var output = new MemoryStream();
        var ogg = new OggPageWriter(output, serial: 1);
        for (int i = 0; i < 300; i++)
            await ogg.WritePacketAsync(new byte[] { (byte)i }, i, CancellationToken.None);
        await ogg.FinishAsync(CancellationToken.None);
        List<(byte[] Packet, long Granule)> read = OggOpusReader.Packets(output.ToArray());
        read.Count.ShouldBe(300);
        read.Select(p => p.Packet[0]).ShouldBe(Enumerable.Range(0, 300).Select(i => (byte)i));
    }

    [Fact]
    public void The_crc_is_oggs_unreflected_crc32()
    {
        OggCrc.Compute("123456789"u8).ShouldBe(0x89A1897Fu, "the catalogue check value of CRC-32/POSIX (0x765E7680) without its final XOR: init 0, unreflected, as Ogg uses it");
    }
}
