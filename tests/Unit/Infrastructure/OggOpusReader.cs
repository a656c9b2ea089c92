using System.Buffers.Binary;
using Concentus;

namespace PocketTts.Tests.Unit.Infrastructure;

/// <summary>
/// An Ogg Opus reader written from RFC 3533/7845 for the tests, independent of the server's writer: checks every
/// page's capture pattern, CRC, sequence and flags, reassembles packets, checks OpusHead/OpusTags and decodes the
/// audio with Concentus, applying pre-skip and the final granule's end trimming.
/// </summary>
public static class OggOpusReader
{
    public sealed record Result(float[] Samples, int PreSkip, int InputSampleRate, int Pages, long FinalGranule);

    /// <summary>The packets of an Ogg stream, each with the granule of the page it ends on, after checking every page.</summary>
    public static List<(byte[] Packet, long Granule)> Packets(byte[] bytes)
    {
        var packets = new List<(byte[], long)>();
        var current = new List<byte>();
        int offset = 0, pages = 0;
        bool sawEnd = false;
        while (offset < bytes.Length)
        {
            System.Text.Encoding.ASCII.GetString(bytes, offset, 4).ShouldBe("OggS", $"page {pages} capture pattern");
            bytes[offset + 4].ShouldBe((byte)0, "stream structure version");
            byte flags = bytes[offset + 5];
            ((flags & 0x02) != 0).ShouldBe(pages == 0, $"page {pages}: BOS only on the first page");
            ((flags & 0x01) != 0).ShouldBe(current.Count > 0, $"page {pages}: the continuation flag matches an unfinished packet");
            sawEnd.ShouldBeFalse("no page after the EOS page");
            sawEnd = (flags & 0x04) != 0;
            long granule = BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(offset + 6));
            BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(offset + 18)).ShouldBe((uint)pages, "page sequence number");
            uint crc = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(offset + 22));
            int segments = bytes[offset + 26];
            int dataLength = 0;
            for (int i = 0; i < segments; i++)
                dataLength += bytes[offset + 27 + i];
            int pageLength = 27 + segments + dataLength;
            byte[] page = bytes.AsSpan(offset, pageLength).ToArray();
            page.AsSpan(22, 4).Clear();
            Crc(page).ShouldBe(crc, $"page {pages} CRC");
            int data = offset + 27 + segments;
            for (int i = 0; i < segments; i++)
            {
                int lacing = bytes[offset + 27 + i];
                current.AddRange(bytes.AsSpan(data, lacing).ToArray());
                data += lacing;
                if (lacing < 255)
                {
                    packets.Add(([.. current], granule));
                    current.Clear();
                }
            }
            offset += pageLength;
            pages++;
        }
        sawEnd.ShouldBeTrue("the last page carries EOS");
        current.Count.ShouldBe(0, "no unfinished packet");
        return packets;
    }

    public static Result Decode(byte[] bytes, int sampleRate = 24000)
    {
        List<(byte[] Packet, long Granule)> all = Packets(bytes);
        List<byte[]> packets = [.. all.Select(p => p.Packet)];
        long granule = all[^1].Granule;
        int pages = bytes.AsSpan().Count("OggS"u8);
        System.Text.Encoding.ASCII.GetString(packets[0], 0, 8).ShouldBe("OpusHead");
        packets[0][9].ShouldBe((byte)1, "mono");
        int preSkip = BinaryPrimitives.ReadUInt16LittleEndian(packets[0].AsSpan(10));
        int inputRate = BinaryPrimitives.ReadInt32LittleEndian(packets[0].AsSpan(12));
        System.Text.Encoding.ASCII.GetString(packets[1], 0, 8).ShouldBe("OpusTags");

        IOpusDecoder decoder = OpusCodecFactory.CreateDecoder(sampleRate, 1);
        var decoded = new List<float>();
        var frame = new float[sampleRate / 10];
        foreach (byte[] packet in packets.Skip(2))
        {
            int n = decoder.Decode(packet, frame, frame.Length, false);
            decoded.AddRange(frame.AsSpan(0, n).ToArray());
        }
        int factor = 48000 / sampleRate;
        int skip = preSkip / factor;
        long total = (granule - preSkip) / factor;
        total.ShouldBeLessThanOrEqualTo(decoded.Count - skip, "the final granule does not claim more than was decoded");
        return new Result([.. decoded.Skip(skip).Take((int)total)], preSkip, inputRate, pages, granule);
    }

    private static uint Crc(byte[] data)
    {
        uint crc = 0;
        foreach (byte b in data)
        {
            crc ^= (uint)b << 24;
            for (int i = 0; i < 8; i++)
                crc = (crc & 0x80000000) != 0 ? (crc << 1) ^ 0x04C11DB7 : crc << 1;
        }
        return crc;
    }
}
