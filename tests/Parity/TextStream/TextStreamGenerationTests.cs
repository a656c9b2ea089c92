using System.Threading.Channels;
using PocketTts.Generation;
using PocketTts.Tests.Parity.Infrastructure;
using PocketTts.Text.Pauses;
using PocketTts.Voices;

namespace PocketTts.Tests.Parity.TextStream;

/// <summary>
/// Speech from a text that arrives in pieces, on the tiny model: the same samples as the whole text given at once
/// (the same chunks, and the flow noise drawn in the same order), audio before the text is complete, and flushes.
/// </summary>
public sealed class TextStreamGenerationTests : IAsyncLifetime
{
    private const string Text = "Before the pause. [pause:500ms] After it, <break time = \"300ms\"/> and after the break. "
        + "Hello there! How are you doing today? I hope the weather is nice where you are... Is it working";

    private PocketTtsModel _model = null!;
    private VoiceState _voice = null!;

    public async Task InitializeAsync()
    {
        _model = await PocketTtsModel.LoadAsync(TinyModel.Source() with { Language = "english" }, ParityBackends.Create("managed", threads: 2));
        _voice = _model.LoadVoiceState(Fixture.PathOf("voice_state.safetensors"));
    }

    public Task DisposeAsync() => _model.DisposeAsync().AsTask();

    [Theory]
    [InlineData(0f, 1)]
    [InlineData(0f, 7)]
    [InlineData(null, 5)]
    public async Task Pieces_sound_as_the_whole_text(float? temperature, int seed)
    {
        var options = new GenerationOptions { Temperature = temperature, Seed = seed, MaxTokensPerChunk = 12 };
        List<AudioChunk> whole = await Collect(_model.GenerateStreamingAsync(Text, _voice, options));

        List<AudioChunk> streamed = await Collect(_model.GenerateStreamingAsync(RandomPieces(Text, new Random(seed)), _voice, options));

        streamed.Select(c => (c.TextChunk, c.Frame)).ShouldBe(whole.Select(c => (c.TextChunk, c.Frame)));
        for (int i = 0; i < whole.Count; i++)
            streamed[i].Samples.ShouldBe(whole[i].Samples, $"chunk {whole[i].TextChunk}, frame {whole[i].Frame}");
    }

    [Fact]
    public async Task The_first_chunk_is_spoken_while_the_text_is_still_arriving()
    {
        var pieces = Channel.CreateUnbounded<string>();
        var options = new GenerationOptions { Temperature = 0, MaxTokensPerChunk = 15 };
        await using IAsyncEnumerator<AudioChunk> audio = _model.GenerateStreamingAsync(pieces.Reader.ReadAllAsync(), _voice, options).GetAsyncEnumerator();

        pieces.Writer.TryWrite("Hello there! How are you doing today? I hope the weather is nice where you are... Let ");
        (await audio.MoveNextAsync()).ShouldBeTrue();

        audio.Current.TextChunk.ShouldBe(0, "the text is still open, and the first chunk is already spoken");
        pieces.Writer.TryWrite("us stop here.");
        pieces.Writer.Complete();
        var rest = new List<AudioChunk> { audio.Current };
        while (await audio.MoveNextAsync())
            rest.Add(audio.Current);
        rest.Select(c => c.TextChunk).Distinct().ShouldBe([0, 1, 2]);
    }

    [Fact]
    public async Task A_flush_speaks_the_pending_text_and_the_next_turn_counts_from_zero()
    {
        var pieces = Channel.CreateUnbounded<TextPiece>();
        var options = new GenerationOptions { Temperature = 0 };
        float[] hello = await _model.GenerateAsync("Hello there", _voice, options);
        await using IAsyncEnumerator<AudioChunk> audio = _model.GenerateStreamingAsync(pieces.Reader.ReadAllAsync(), _voice, options).GetAsyncEnumerator();

        pieces.Writer.TryWrite(TextPiece.Of("Hello "));
        pieces.Writer.TryWrite(TextPiece.Of("there"));
        pieces.Writer.TryWrite(TextPiece.Flush);
        var first = new List<float>();
        while (first.Count < hello.Length && await audio.MoveNextAsync())
            first.AddRange(audio.Current.Samples);

        first.ToArray().ShouldBe(hello, "the turn is spoken without more text or the end of the stream");
        pieces.Writer.TryWrite(TextPiece.Of("Hello there"));
        pieces.Writer.Complete();
        (await audio.MoveNextAsync()).ShouldBeTrue();
        audio.Current.TextChunk.ShouldBe(0);
    }

    [Fact]
    public async Task A_malformed_marker_fails_the_stream_with_its_own_error() =>
        await Should.ThrowAsync<PauseMarkupException>(async () =>
            await Collect(_model.GenerateStreamingAsync(AsAsync("Hello there. [pause:", "fast] and more."), _voice)));

    [Fact]
    public async Task A_stream_of_blanks_says_nothing() =>
        (await Collect(_model.GenerateStreamingAsync(AsAsync(" ", "\n", ""), _voice))).ShouldBeEmpty();

    private static async IAsyncEnumerable<string> RandomPieces(string text, Random random)
    {
        for (int start = 0; start < text.Length;)
        {
            int length = Math.Min(random.Next(1, 9), text.Length - start);
            await Task.Yield();
            yield return text.Substring(start, length);
            start += length;
        }
    }

    private static async IAsyncEnumerable<string> AsAsync(params string[] pieces)
    {
        foreach (string piece in pieces)
        {
            await Task.Yield();
            yield return piece;
        }
    }

    private static async Task<List<AudioChunk>> Collect(IAsyncEnumerable<AudioChunk> audio)
    {
        var chunks = new List<AudioChunk>();
        await foreach (AudioChunk chunk in audio)
            chunks.Add(chunk);
        return chunks;
    }
}
