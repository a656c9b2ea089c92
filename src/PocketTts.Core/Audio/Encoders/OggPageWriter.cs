using System.Buffers;
using System.Buffers.Binary;

namespace PocketTts.Audio.Encoders;

/// <summary>
/// The Ogg container (RFC 3533) for one logical stream: packets are collected into a page and written when
/// <see cref="FlushPageAsync"/> is called or the page is full. A page is
/// <code>
/// "OggS" | version 0 | flags | granule (i64) | serial (u32) | sequence (u32) | CRC-32 (u32) | n | n lacing values | data
/// </code>
/// where each packet takes ⌊size / 255⌋ lacing values of 255 and one of the remainder (0 when the size is a
/// multiple of 255), and the CRC covers the whole page with its own field zeroed. Not thread-safe.
/// </summary>
internal sealed class OggPageWriter(Stream output, uint serial)
{
    private const int MaxSegments = 255;
    private const byte FirstPage = 0x02, LastPage = 0x04; // 0x01 (continued packet) is never needed: packets never span pages

    private readonly byte[] _lacing = new byte[MaxSegments];
    private readonly ArrayBufferWriter<byte> _data = new();
    private int _segments;
    private uint _sequence;
    private long _granule;
    private bool _pendingPacket;

    /// <summary>
    /// Adds a whole packet. <paramref name="granule"/> is the stream position once the packet is decoded (for Opus,
    /// 48 kHz samples including the pre-skip); a page carries the granule of its last packet.
    /// </summary>
    public async ValueTask WritePacketAsync(ReadOnlyMemory<byte> packet, long granule, CancellationToken cancellationToken)
    {
        // A packet never spans pages here: flush first if its lacing values would not fit (Opus packets are small).
        int needed = (packet.Length / 255) + 1;
        if (needed > MaxSegments)
            throw new ArgumentException($"An Ogg packet of {packet.Length} bytes does not fit one page.", nameof(packet));
        if (_segments + needed > MaxSegments)
            await FlushPageAsync(cancellationToken);
        for (int i = 0; i < needed - 1; i++)
            _lacing[_segments++] = 255;
        _lacing[_segments++] = (byte)(packet.Length % 255);
        _data.Write(packet.Span);
        _granule = granule;
        _pendingPacket = true;
    }

    /// <summary>Writes the packets collected so far as one page (nothing when there are none).</summary>
    public ValueTask FlushPageAsync(CancellationToken cancellationToken) => _pendingPacket ? WritePageAsync(last: false, cancellationToken) : ValueTask.CompletedTask;

    /// <summary>Writes the collected packets as the stream's last page (flagged end-of-stream).</summary>
    public ValueTask FinishAsync(CancellationToken cancellationToken) => WritePageAsync(last: true, cancellationToken);

    private async ValueTask WritePageAsync(bool last, CancellationToken cancellationToken)
    {
        int headerBytes = 27 + _segments;
        var page = new byte[headerBytes + _data.WrittenCount];
        Span<byte> h = page;
        "OggS"u8.CopyTo(h);
        h[4] = 0;                                                                // version
        h[5] = (byte)((_sequence == 0 ? FirstPage : 0) | (last ? LastPage : 0));
        BinaryPrimitives.WriteInt64LittleEndian(h[6..], _granule);
        BinaryPrimitives.WriteUInt32LittleEndian(h[14..], serial);
        BinaryPrimitives.WriteUInt32LittleEndian(h[18..], _sequence++);
        h[26] = (byte)_segments;
        _lacing.AsSpan(0, _segments).CopyTo(h[27..]);
        _data.WrittenSpan.CopyTo(h[headerBytes..]);
        BinaryPrimitives.WriteUInt32LittleEndian(h[22..], OggCrc.Compute(page));
        _segments = 0;
        _data.Clear();
        _pendingPacket = false;
        await output.WriteAsync(page, cancellationToken);
    }
}
