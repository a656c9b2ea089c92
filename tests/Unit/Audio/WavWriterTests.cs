using System.Buffers.Binary;
using PocketTts.Audio;

namespace PocketTts.Tests.Unit.Audio;

public class WavWriterTests
{
    private static float[] Signal(int n) => [.. Enumerable.Range(0, n).Select(i => 1.2f * MathF.Sin(i * 0.01f))];

    /// <summary>The 44 bytes Python's wave module writes for 16-bit mono with the given data size.</summary>
    private static byte[] ExpectedHeader(int rate, uint dataBytes)
    {
        var h = new byte[44];
        "RIFF"u8.CopyTo(h);
        BinaryPrimitives.WriteUInt32LittleEndian(h.AsSpan(4), 36 + dataBytes);
        "WAVEfmt "u8.CopyTo(h.AsSpan(8));
        BinaryPrimitives.WriteUInt32LittleEndian(h.AsSpan(16), 16);
        BinaryPrimitives.WriteUInt16LittleEndian(h.AsSpan(20), 1);
        BinaryPrimitives.WriteUInt16LittleEndian(h.AsSpan(22), 1);
        BinaryPrimitives.WriteUInt32LittleEndian(h.AsSpan(24), (uint)rate);
        BinaryPrimitives.WriteUInt32LittleEndian(h.AsSpan(28), (uint)rate * 2);
        BinaryPrimitives.WriteUInt16LittleEndian(h.AsSpan(32), 2);
        BinaryPrimitives.WriteUInt16LittleEndian(h.AsSpan(34), 16);
        "data"u8.CopyTo(h.AsSpan(36));
        BinaryPrimitives.WriteUInt32LittleEndian(h.AsSpan(40), dataBytes);
        return h;
    }

    [Fact]
    public async Task A_seekable_file_gets_its_real_sizes_and_reads_back_as_the_pcm_values()
    {
        float[] samples = Signal(5000);
        using var stream = new MemoryStream();
        var writer = new WavWriter(stream, 24000);
        await writer.WriteAsync(samples.AsMemory(0, 1234));     // several calls, some larger than the writer's buffer
        await writer.WriteAsync(samples.AsMemory(1234));
        await writer.CompleteAsync();

        byte[] file = stream.ToArray();
        file.Length.ShouldBe(44 + 2 * samples.Length);
        file[..44].ShouldBe(ExpectedHeader(24000, (uint)(2 * samples.Length)));
        writer.SamplesWritten.ShouldBe(samples.Length);
        AudioClip clip = WavReader.Read(file);
        clip.SampleRate.ShouldBe(24000);
        clip.Samples.ShouldBe([.. samples.Select(s => Pcm16.FromFloat(s) / 32768f)]);
    }

    [Fact]
    public async Task A_stream_that_cannot_seek_gets_the_reference_streaming_header_and_reads_to_the_end()
    {
        var sink = new MemoryStream();
        using var pipe = new NonSeekable(sink);
        var writer = new WavWriter(pipe, 24000);
        await writer.WriteAsync(new[] { 0.25f, -0.25f, 1f });
        await writer.CompleteAsync();

        byte[] file = sink.ToArray();
        file[..44].ShouldBe(ExpectedHeader(24000, 2_000_000_000));
        WavReader.Read(file).Samples.ShouldBe([8191 / 32768f, -8191 / 32768f, 32767 / 32768f]);
    }

    [Fact]
    public async Task The_header_is_patched_where_the_writer_started()
    {
        using var stream = new MemoryStream();
        stream.Write("prefix"u8);
        var writer = new WavWriter(stream, 16000);
        await writer.WriteAsync(new float[10]);
        stream.ToArray()[6..50].ShouldBe(ExpectedHeader(16000, WavWriter.StreamingDataBytes), "before completion, an interrupted file still reads to the end");
        await writer.CompleteAsync();
        stream.ToArray()[6..50].ShouldBe(ExpectedHeader(16000, 20));
        stream.Position.ShouldBe(6 + 44 + 20);
    }

    [Fact]
    public async Task Completion_is_final()
    {
        using var stream = new MemoryStream();
        var writer = new WavWriter(stream, 24000);
        await writer.CompleteAsync();
        await writer.CompleteAsync();
        await Should.ThrowAsync<ObjectDisposedException>(async () => await writer.WriteAsync(new float[1]));
        stream.Length.ShouldBe(44);
    }

    [Fact]
    public void Bad_arguments_are_rejected()
    {
        Should.Throw<ArgumentOutOfRangeException>(() => new WavWriter(new MemoryStream(), 0));
        using var readOnly = new MemoryStream(new byte[4], writable: false);
        Should.Throw<ArgumentException>(() => new WavWriter(readOnly, 24000)).Message.ShouldContain("not writable");
    }

    private sealed class NonSeekable(Stream inner) : Stream
    {
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() => inner.Flush();
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);
    }
}
