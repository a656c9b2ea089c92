using System.Buffers.Binary;
using System.Text;
using Concentus;
using Concentus.Enums;

namespace PocketTts.Audio.Encoders;

/// <summary>
/// Opus in an Ogg container (RFC 7845), encoded in process by Concentus: 20 ms packets at 24 kHz, an
/// <c>OpusHead</c> page (pre-skip = the encoder's lookahead, in 48 kHz samples) and an <c>OpusTags</c> page, then
/// one page per written block. Granule positions count 48 kHz samples including the pre-skip; the last page's
/// granule trims the padding of the final packet, so a decoder returns exactly the samples written.
/// </summary>
internal sealed class OggOpusEncoder : IAudioEncoder
{
    private const int OpusRate = 48000;   // Ogg Opus granules are always at 48 kHz
    private const int BitrateBps = 32000; // ample for 24 kHz mono speech
    private const int MaxPacketBytes = 1500;

    private readonly IOpusEncoder _encoder;
    private readonly OggPageWriter _ogg;
    private readonly Stream _output;
    private readonly int _frameSamples;   // 20 ms at the input rate
    private readonly int _granulePerSample;
    private readonly int _preSkip;         // 48 kHz samples
    private readonly float[] _frame;
    private readonly byte[] _packet = new byte[MaxPacketBytes];
    private int _buffered;
    private long _samplesIn;
    private long _packets;
    private bool _headersWritten;

    public OggOpusEncoder(Stream output, int sampleRate)
    {
        if (OpusRate % sampleRate != 0 || sampleRate < 8000)
            throw new ArgumentException($"Opus takes 8, 12, 16, 24 or 48 kHz input, not {sampleRate} Hz.", nameof(sampleRate));
        _output = output;
        _encoder = OpusCodecFactory.CreateEncoder(sampleRate, 1, OpusApplication.OPUS_APPLICATION_AUDIO);
        _encoder.Bitrate = BitrateBps;
        _frameSamples = sampleRate / 50;
        _granulePerSample = OpusRate / sampleRate;
        _preSkip = _encoder.Lookahead * _granulePerSample;
        _frame = new float[_frameSamples];
        _ogg = new OggPageWriter(output, (uint)Random.Shared.Next());
        SampleRate = sampleRate;
    }

    public int SampleRate { get; }

    public async ValueTask WriteAsync(ReadOnlyMemory<float> samples, CancellationToken cancellationToken)
    {
        await WriteHeadersAsync(cancellationToken);
        int offset = 0;
        while (offset < samples.Length)
        {
            int take = Math.Min(_frameSamples - _buffered, samples.Length - offset);
            samples.Span.Slice(offset, take).CopyTo(_frame.AsSpan(_buffered));
            _buffered += take;
            offset += take;
            if (_buffered == _frameSamples)
                await EncodeFrameAsync(null, cancellationToken);
        }
        _samplesIn += samples.Length;
        await _ogg.FlushPageAsync(cancellationToken);
        await _output.FlushAsync(cancellationToken);
    }

    public async ValueTask CompleteAsync(CancellationToken cancellationToken)
    {
        await WriteHeadersAsync(cancellationToken);
        // Feed silence until every real sample has left the encoder's lookahead, then end the stream with the
        // exact length: pre-skip + samples written (RFC 7845 §4.5, end trimming).
        long needed = _preSkip + (_samplesIn * _granulePerSample);
        while (_packets * _frameSamples * _granulePerSample < needed || _buffered > 0)
        {
            _frame.AsSpan(_buffered).Clear();
            _buffered = _frameSamples;
            await EncodeFrameAsync(needed, cancellationToken);
        }
        await _ogg.FinishAsync(cancellationToken);
        await _output.FlushAsync(cancellationToken);
    }

    private async ValueTask EncodeFrameAsync(long? finalGranule, CancellationToken cancellationToken)
    {
        int bytes = _encoder.Encode(_frame, _frameSamples, _packet, _packet.Length);
        _packets++;
        long granule = _packets * _frameSamples * _granulePerSample;
        if (finalGranule is { } end && granule >= end)
            granule = end;
        _buffered = 0;
        await _ogg.WritePacketAsync(_packet.AsMemory(0, bytes), granule, cancellationToken);
    }

    private async ValueTask WriteHeadersAsync(CancellationToken cancellationToken)
    {
        if (_headersWritten)
            return;
        _headersWritten = true;
        var head = new byte[19];
        "OpusHead"u8.CopyTo(head);
        head[8] = 1;                                                     // version
        head[9] = 1;                                                     // channels
        BinaryPrimitives.WriteUInt16LittleEndian(head.AsSpan(10), (ushort)_preSkip);
        BinaryPrimitives.WriteUInt32LittleEndian(head.AsSpan(12), (uint)SampleRate); // the input rate, informational
        // bytes 16-17: output gain 0; byte 18: channel mapping family 0 (mono/stereo)
        await _ogg.WritePacketAsync(head, 0, cancellationToken);
        await _ogg.FlushPageAsync(cancellationToken);

        byte[] vendor = Encoding.UTF8.GetBytes("pocket-tts (Concentus)");
        var tags = new byte[8 + 4 + vendor.Length + 4];
        "OpusTags"u8.CopyTo(tags);
        BinaryPrimitives.WriteUInt32LittleEndian(tags.AsSpan(8), (uint)vendor.Length);
        vendor.CopyTo(tags, 12);
        // last 4 bytes: zero user comments
        await _ogg.WritePacketAsync(tags, 0, cancellationToken);
        await _ogg.FlushPageAsync(cancellationToken);
    }

    public ValueTask DisposeAsync()
    {
        (_encoder as IDisposable)?.Dispose();
        return ValueTask.CompletedTask;
    }
}
