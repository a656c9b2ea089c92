using PocketTts.Backends;
using PocketTts.Backends.Managed;
using PocketTts.Generation;
using PocketTts.Tests.Unit.Infrastructure;
using PocketTts.Voices;

namespace PocketTts.Tests.Unit.Generation;

/// <summary>
/// The seams a host builds on, through the public API of a real (tiny) model: a plan made once and generated from,
/// voice states read from a stream, and the stage observer with the stages overlapping or taking turns.
/// </summary>
public sealed class PublicGenerationSeamsTests : IAsyncLifetime
{
    private const string Text = "Hello there. How are you today? I am fine, thank you.";
    private static readonly GenerationOptions Options = new() { Temperature = 0.3f, Seed = 7, MaxTokensPerChunk = 8 };

    private PocketTtsModel _model = null!;
    private VoiceState _voice = null!;

    public async Task InitializeAsync()
    {
        _model = await PocketTtsModel.LoadAsync(Source(), new ManagedBackendProvider().Create(new BackendOptions { Threads = 1 }));
        _voice = _model.LoadVoiceState(RepoPaths.Fixture("voice_state.safetensors"));
    }

    public Task DisposeAsync() => _model.DisposeAsync().AsTask();

    private static ModelSource Source() =>
        new(RepoPaths.Fixture("tiny/config.yaml"), RepoPaths.Fixture("tiny/model.safetensors"), RepoPaths.Fixture("tokenizer.model")) { Language = "english" };

    [Fact]
    public async Task A_plan_counts_its_tokens_and_generates_what_the_text_generates()
    {
        SpeechPlan plan = _model.Plan(Text, Options);

        plan.Count.ShouldBeGreaterThan(1);
        plan.TokenCount.ShouldBe(plan.OfType<ChunkPlan>().Sum(chunk => chunk.TokenIds.Length));
        plan.TokenCount.ShouldBeGreaterThan(10);
        float[] fromText = await _model.GenerateAsync(Text, _voice, Options);
        float[] fromPlan = await Collect(_model.GenerateStreamingAsync(plan, _voice, Options));
        fromPlan.ShouldBe(fromText);
    }

    [Fact]
    public void A_plan_by_hand_is_checked_against_the_vocabulary()
    {
        var plan = new SpeechPlan([new ChunkPlan("made up", [5, 4000], framesAfterEos: 1, maxFrames: 3)]);

        InvalidInputException error = Should.Throw<InvalidInputException>(() => _model.GenerateStreamingAsync(plan, _voice, Options));
        error.Value.ShouldBe("4000");
        error.Message.ShouldContain("outside the vocabulary of 4000 pieces");
        Should.Throw<ArgumentException>(() => new ChunkPlan("empty", [], 1, 3)).ParamName.ShouldBe("tokenIds");
        Should.Throw<ArgumentOutOfRangeException>(() => new ChunkPlan("no frames", [5], 1, 0)).ParamName.ShouldBe("maxFrames");
        Should.Throw<ArgumentException>(() => new SpeechPlan([])).ParamName.ShouldBe("items");
    }

    [Fact]
    public async Task A_voice_state_reads_from_a_stream_as_from_its_file()
    {
        using var file = new MemoryStream();
        PocketTtsModel.SaveVoiceState(_voice, file);
        file.Position = 0;

        VoiceState read = await _model.LoadVoiceStateAsync(file, "upload");

        read.Length.ShouldBe(_voice.Length);
        float[] expected = await _model.GenerateAsync("Hi.", _voice, Options);
        (await _model.GenerateAsync("Hi.", read, Options)).ShouldBe(expected);
        using var garbage = new MemoryStream([1, 2, 3, 4, 5, 6, 7, 8, 9]);
        (await Should.ThrowAsync<InvalidDataException>(() => _model.LoadVoiceStateAsync(garbage, "upload"))).Message.ShouldStartWith("upload");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task The_observer_times_every_stage_call_and_taking_turns_changes_no_sample(bool overlap)
    {
        SpeechPlan plan = _model.Plan(Text, Options);
        var observer = new CountingObserver();

        float[] audio = await Collect(_model.GenerateStreamingAsync(plan, _voice, Options with { OverlapStages = overlap, Observer = observer }));

        observer.Prompts.ShouldBe(plan.OfType<ChunkPlan>().Select(chunk => chunk.TokenIds.Length));
        // Every latent is decoded; a chunk's last step, which detects the end, makes no latent.
        observer.Frames.ShouldBe(audio.Length / 1920);
        observer.Steps.ShouldBeInRange(observer.Frames, observer.Frames + plan.Count);
        observer.Elapsed.ShouldBeGreaterThan(TimeSpan.Zero);
        audio.ShouldBe(await _model.GenerateAsync(Text, _voice, Options));
    }

    [Fact]
    public async Task By_default_the_stages_overlap_only_where_the_backend_leaves_a_core_free()
    {
        using PocketTtsModel everyCore = await PocketTtsModel.LoadAsync(Source(), new ManagedBackendProvider().Create(new BackendOptions { Threads = 0 }));

        everyCore.OverlapsStagesByDefault.ShouldBeFalse("a pool on every core takes turns with Mimi");
        SpeechPipeline.UsableCores().ShouldBeInRange(1, Environment.ProcessorCount);
        _model.OverlapsStagesByDefault.ShouldBe(SpeechPipeline.UsableCores() > 1, "one thread per operation leaves the other cores free");
        SpeechPipeline.LeavesACoreFree(null).ShouldBeTrue("a backend that does not say (a GPU, a native pool) overlaps as before");
    }

    private static async Task<float[]> Collect(IAsyncEnumerable<AudioChunk> chunks)
    {
        var samples = new List<float>();
        await foreach (AudioChunk chunk in chunks)
            samples.AddRange(chunk.Samples);
        return [.. samples];
    }

    private sealed class CountingObserver : IGenerationObserver
    {
        private long _ticks;
        private int _steps, _frames;

        public List<int> Prompts { get; } = [];

        public int Steps => _steps;

        public int Frames => _frames;

        public TimeSpan Elapsed => TimeSpan.FromTicks(Interlocked.Read(ref _ticks));

        public void TextPrompted(int tokens, TimeSpan elapsed)
        {
            Prompts.Add(tokens);
            Interlocked.Add(ref _ticks, elapsed.Ticks);
        }

        public void LatentSampled(TimeSpan elapsed)
        {
            Interlocked.Increment(ref _steps);
            Interlocked.Add(ref _ticks, elapsed.Ticks);
        }

        public void FrameDecoded(TimeSpan elapsed)
        {
            Interlocked.Increment(ref _frames);
            Interlocked.Add(ref _ticks, elapsed.Ticks);
        }
    }
}
