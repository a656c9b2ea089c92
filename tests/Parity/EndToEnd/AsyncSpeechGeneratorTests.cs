using PocketTts.Generation;
using PocketTts.Stages;
using PocketTts.Tests.Parity.Infrastructure;
using PocketTts.Voices;

namespace PocketTts.Tests.Parity.EndToEnd;

/// <summary>
/// The loop for awaited stages (the browser's onnxruntime-web engine) is the model's loop: on the same stages, seen
/// through <see cref="IAsyncSpeechStages"/> with every call yielding first as a JavaScript promise would, a seed gives
/// the model's samples, over several chunks, a pause and sampling noise.
/// </summary>
public sealed class AsyncSpeechGeneratorTests : IAsyncLifetime
{
    private PocketTtsModel _model = null!;
    private VoiceState _voice = null!;

    public async Task InitializeAsync()
    {
        _model = await PocketTtsModel.LoadAsync(TinyModel.Source() with { Language = "english" }, ParityBackends.Create("managed"));
        _voice = _model.LoadVoiceState(Fixture.PathOf("voice_state.safetensors"));
    }

    public Task DisposeAsync() => _model.DisposeAsync().AsTask();

    [Theory]
    [InlineData(0f, 1)]
    [InlineData(0.7f, 4)]
    public async Task Awaited_stages_give_the_model_s_samples_for_a_seed(float temperature, int lsdSteps)
    {
        const string Text = "Hello there, how are you today? [pause:300ms] I am fine. Thank you for asking, my friend.";
        var options = new GenerationOptions { Temperature = temperature, LsdDecodeSteps = lsdSteps, Seed = 11, MaxTokensPerChunk = 8 };
        var generator = AsyncSpeechGenerator.Load(TinyModel.Source() with { Language = "english" });

        var expected = new List<AudioChunk>();
        await foreach (AudioChunk chunk in _model.GenerateStreamingAsync(Text, _voice, options))
            expected.Add(chunk);
        var actual = new List<AudioChunk>();
        await using (var stages = new YieldingStages(_model.Stages, _voice.Snapshot, _model.Config.Mimi.FrameRate))
        {
            await foreach (AudioChunk chunk in generator.GenerateAsync(Text, stages, options))
                actual.Add(chunk);
        }

        generator.Plan(Text, options).Count.ShouldBe(_model.Plan(Text, options).Count);
        expected.Select(chunk => chunk.TextChunk).Distinct().Count().ShouldBeGreaterThan(2, "the text must span several chunks");
        actual.Select(chunk => (chunk.TextChunk, chunk.Frame, chunk.Samples.Length)).ShouldBe(expected.Select(chunk => (chunk.TextChunk, chunk.Frame, chunk.Samples.Length)));
        for (int i = 0; i < expected.Count; i++)
            actual[i].Samples.ToArray().ShouldBe(expected[i].Samples.ToArray(), $"chunk {i}");
    }

    [Fact]
    public void An_empty_text_is_refused_before_any_stage_runs()
    {
        var generator = AsyncSpeechGenerator.Load(TinyModel.Source());
        Should.Throw<InvalidInputException>(() => generator.GenerateAsync("  ", new YieldingStages(_model.Stages, _voice.Snapshot, _model.Config.Mimi.FrameRate)));
    }

    /// <summary>The model's own stages behind the awaited seam, each call yielding before it runs.</summary>
    private sealed class YieldingStages(IModelStages stages, FlowLmSnapshot voice, double frameRate) : IAsyncSpeechStages
    {
        private readonly IMimiDecoderState _decoder = stages.MimiDecoder.CreateState();
        private IFlowLmState? _flowLm;

        public int LatentDim => stages.FlowLm.LatentDim;

        public int FrameSamples => stages.MimiDecoder.FrameSamples;

        public async ValueTask StartChunkAsync(int[] tokenIds, CancellationToken cancellationToken)
        {
            await Task.Yield();
            _flowLm?.Dispose();
            _flowLm = stages.FlowLm.CreateState(voice, voice.Offset + tokenIds.Length + GenerationLength.MaxFrames(tokenIds.Length, frameRate));
            var embeddings = new float[tokenIds.Length * stages.TextConditioner.EmbeddingDim];
            stages.TextConditioner.Embed(tokenIds, embeddings);
            stages.FlowLm.Prompt(_flowLm, embeddings, []);
        }

        public async ValueTask<float> StepAsync(ReadOnlyMemory<float> input, ReadOnlyMemory<float> noise, int lsdSteps, Memory<float> latent, CancellationToken cancellationToken)
        {
            await Task.Yield();
            return stages.FlowLm.SampleNextLatent(_flowLm!, input.Span, noise.Span, lsdSteps, latent.Span, []);
        }

        public async ValueTask ResetDecoderAsync(CancellationToken cancellationToken)
        {
            await Task.Yield();
            _decoder.Reset();
        }

        public async ValueTask DecodeAsync(ReadOnlyMemory<float> latent, Memory<float> samples, CancellationToken cancellationToken)
        {
            await Task.Yield();
            stages.MimiDecoder.DecodeFrame(_decoder, latent.Span, samples.Span);
        }

        public ValueTask DisposeAsync()
        {
            _flowLm?.Dispose();
            _decoder.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
