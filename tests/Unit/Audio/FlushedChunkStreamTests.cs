using PocketTts.Audio.Encoders;

namespace PocketTts.Tests.Unit.Audio;

public sealed class FlushedChunkStreamTests
{
    [Fact]
    public async Task What_is_written_between_two_flushes_goes_out_as_one_chunk_and_an_empty_flush_sends_nothing()
    {
        await using var stream = new RecordingChunks();
        stream.Write([1, 2]);
        await stream.WriteAsync(new byte[] { 3 });
        await stream.FlushAsync();
        await stream.FlushAsync();
        stream.Write([4, 5, 6], 1, 2);
        stream.Flush();

        stream.Chunks.ShouldBe([[1, 2, 3], [5, 6]]);
    }

    [Fact]
    public async Task Bytes_written_while_a_chunk_is_being_sent_go_out_in_the_next_chunk()
    {
        var sending = new TaskCompletionSource();
        var release = new TaskCompletionSource();
        await using var stream = new RecordingChunks(async () =>
        {
            sending.TrySetResult();
            await release.Task;
        });
        stream.Write([1]);
        Task first = stream.FlushAsync();
        await sending.Task;
        stream.Write([2]); // from another writer, as an ffmpeg pump does
        release.SetResult();
        await first;
        await stream.FlushAsync();

        stream.Chunks.ShouldBe([[1], [2]]);
    }

    [Fact]
    public async Task It_is_a_write_only_pipe()
    {
        await using var stream = new RecordingChunks();
        stream.CanWrite.ShouldBeTrue();
        stream.CanRead.ShouldBeFalse();
        stream.CanSeek.ShouldBeFalse("encoders must write the headers of a stream of unknown length");
        Should.Throw<NotSupportedException>(() => stream.Length);
        Should.Throw<NotSupportedException>(() => stream.Seek(0, SeekOrigin.Begin));
        Should.Throw<NotSupportedException>(() => stream.Read(new byte[1], 0, 1));
    }

    private sealed class RecordingChunks(Func<Task>? whileSending = null) : FlushedChunkStream
    {
        public List<byte[]> Chunks { get; } = [];

        protected override async ValueTask SendAsync(ReadOnlyMemory<byte> chunk, CancellationToken cancellationToken)
        {
            if (whileSending is not null)
                await whileSending();
            Chunks.Add(chunk.ToArray());
        }
    }
}
