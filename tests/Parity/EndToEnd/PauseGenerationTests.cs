using PocketTts.Backends;
using PocketTts.Generation;
using PocketTts.Model;
using PocketTts.Stages;
using PocketTts.Tests.Parity.Infrastructure;
using PocketTts.Text.Normalization;
using PocketTts.Text.Pauses;
using PocketTts.Voices;

namespace PocketTts.Tests.Parity.EndToEnd;

/// <summary>
/// Pauses and normalisation in real generation on the tiny model: silences are exact to the sample, the speech on
/// either side is the speech generated alone (faded over 10 ms at the joins), and streaming equals whole generation.
/// Temperature 0 makes each piece of speech deterministic, so pieces can be compared with separate generations.
/// </summary>
public sealed class PauseGenerationTests : IAsyncLifetime
{
    private const int SampleRate = 24000;
    private const int Fade = 240;

    /// <summary>
    /// Each chunk's audio is faded in from exactly zero (upstream's <c>linspace(0, 1, 120)</c>), so the first sample of
    /// the speech after a pause is a zero too and extends that pause's run of zeros by one.
    /// </summary>
    private const int FadeInZero = 1;
    private static readonly GenerationOptions Cold = new() { Temperature = 0 };

    private PocketTtsModel _model = null!;
    private VoiceState _voice = null!;

    public async Task InitializeAsync()
    {
        var source = TinyModel.Source() with { Language = "english" };
        _model = await PocketTtsModel.LoadAsync(source, ParityBackends.Create("managed", threads: 2));
        _voice = _model.LoadVoiceState(Fixture.PathOf("voice_state.safetensors"));
    }

    public Task DisposeAsync() => _model.DisposeAsync().AsTask();

    [Theory]
    [InlineData("[pause:500ms]", 12000)]
    [InlineData("[pause:1.5s]", 36000)]
    [InlineData("[pause]", 12000)]
    [InlineData("<break time=\"700ms\"/>", 16800)]
    [InlineData("<break strength=\"strong\"/>", 16800)]
    [InlineData("[pause:100ms] [pause:200ms]", 7200)]
    [InlineData("[pause:0.3333s]", 7999)]
    [InlineData("[pause:5min]", -1)]
    public async Task A_marker_inserts_exactly_its_silence_between_the_speech_on_either_side(string marker, int expectedSamples)
    {
        if (expectedSamples < 0)
        {
            await Should.ThrowAsync<PauseMarkupException>(async () => await _model.GenerateAsync($"Hello there {marker} how are you", _voice, Cold));
            return;
        }
        float[] before = await _model.GenerateAsync("Hello there", _voice, Cold);
        float[] after = await _model.GenerateAsync("how are you", _voice, Cold);

        float[] joined = await _model.GenerateAsync($"Hello there {marker} how are you", _voice, Cold);

        joined.Length.ShouldBe(before.Length + expectedSamples + after.Length);
        ZeroRuns(joined).ShouldBe([(before.Length, expectedSamples + FadeInZero)]);
        joined.AsSpan(0, before.Length - Fade).ToArray().ShouldBe(before[..^Fade]);
        joined.AsSpan(before.Length + expectedSamples + Fade).ToArray().ShouldBe(after[Fade..]);
        for (int i = 0; i < Fade; i++)
        {
            joined[before.Length - Fade + i].ShouldBe(before[^(Fade - i)] * SpeechFade.Gain(Fade - i, Fade), 1e-7f);
            joined[before.Length + expectedSamples + i].ShouldBe(after[i] * SpeechFade.Gain(i + 1, Fade), 1e-7f);
        }
    }

    [Fact]
    public async Task Pauses_at_the_start_and_end_of_the_text_are_kept()
    {
        float[] speech = await _model.GenerateAsync("Hello there", _voice, Cold);

        float[] padded = await _model.GenerateAsync("[pause:100ms]Hello there<break time='50ms'/>", _voice, Cold);

        padded.Length.ShouldBe(2400 + speech.Length + 1200);
        ZeroRuns(padded).ShouldBe([(0, 2400 + FadeInZero), (2400 + speech.Length, 1200)]);
    }

    [Fact]
    public async Task A_text_of_only_pauses_is_silence_and_blank_text_is_refused()
    {
        float[] silence = await _model.GenerateAsync("[pause:250ms]", _voice, Cold);

        silence.Length.ShouldBe(6000);
        silence.ShouldAllBe(s => s == 0f);
        (await Should.ThrowAsync<InvalidInputException>(async () => await _model.GenerateAsync(" \n ", _voice, Cold))).Subject.ShouldBe("text");
    }

    [Fact]
    public async Task Natural_pauses_follow_commas_and_sentence_ends_with_the_configured_lengths()
    {
        var options = Cold with { Pauses = new PauseOptions { NaturalPauses = true, CommaPause = TimeSpan.FromMilliseconds(150), SentencePause = TimeSpan.FromMilliseconds(400) } };
        float[] first = await _model.GenerateAsync("Well,", _voice, Cold);
        float[] second = await _model.GenerateAsync("I see.", _voice, Cold);

        float[] joined = await _model.GenerateAsync("Well, I see. Yes!", _voice, options);

        List<(int Start, int Length)> runs = ZeroRuns(joined);
        runs.Count.ShouldBe(2);
        runs[0].ShouldBe((first.Length, 3600 + FadeInZero));
        runs[1].ShouldBe((first.Length + 3600 + second.Length, 9600 + FadeInZero));

        float[] plain = await _model.GenerateAsync("Well, I see. Yes!", _voice, Cold);
        ZeroRuns(plain).ShouldBeEmpty("natural pauses off");
    }

    [Fact]
    public async Task Streaming_with_pauses_equals_whole_generation_and_keeps_frame_sized_chunks()
    {
        const string text = "One, two. [pause:1s] Three... four!";
        var options = new GenerationOptions { Seed = 11, Pauses = new PauseOptions { NaturalPauses = true } };
        var chunks = new List<AudioChunk>();
        await foreach (AudioChunk chunk in _model.GenerateStreamingAsync(text, _voice, options))
            chunks.Add(chunk);

        chunks.SelectMany(c => c.Samples).ToArray().ShouldBe(await _model.GenerateAsync(text, _voice, options));
        chunks.ShouldAllBe(c => c.Samples.Length > 0 && c.Samples.Length <= 1920);
        chunks.Select(c => c.TextChunk).ShouldBeInOrder();
        ZeroRuns([.. chunks.SelectMany(c => c.Samples)]).Select(r => r.Length)
            .ShouldBe([3600 + FadeInZero, 24000 + FadeInZero, 7200 + FadeInZero], "no sentence pause next to an explicit one");
    }

    [Fact]
    public void The_model_language_normalises_numbers_unless_normalisation_is_off()
    {
        IReadOnlyList<PlanItem> spoken = _model.Plan("I have 3 cats.", Cold);
        IReadOnlyList<PlanItem> literal = _model.Plan("I have 3 cats.", Cold with { TextNormalizer = TextNormalizers.PassThrough });

        spoken.Cast<ChunkPlan>().Single().Text.ShouldContain("three cats");
        literal.Cast<ChunkPlan>().Single().Text.ShouldContain("3 cats");
        _model.Language.ShouldBe("english");
    }

    [Fact]
    public async Task A_model_of_unknown_language_leaves_text_unchanged_and_an_unknown_language_is_refused()
    {
        var source = TinyModel.Source();
        using var model = await PocketTtsModel.LoadAsync(source, ParityBackends.Create("managed"));
        model.Plan("I have 3 cats.", Cold).Cast<ChunkPlan>().Single().Text.ShouldContain("3 cats");

        var klingon = source with { Language = "klingon" };
        (await Should.ThrowAsync<ArgumentException>(() => PocketTtsModel.LoadAsync(klingon, ParityBackends.Create("managed"))))
            .Message.ShouldContain("Unknown language 'klingon'");
    }

    [Fact]
    public async Task Taking_turns_on_one_thread_as_in_a_browser_gives_the_concurrent_pipeline_s_chunks()
    {
        const string text = "Hi, you. [pause:300ms] Bye!";
        var options = new GenerationOptions { Seed = 5, Temperature = 0.7f, Pauses = new PauseOptions { NaturalPauses = true } };
        var source = TinyModel.Source();
        using IBackend backend = ParityBackends.Create("managed");
        using IModelStages stages = ModelStageFactory.Create(backend, source, TinyModel.Config, default);
        IReadOnlyList<PlanItem> plan = _model.Plan(text, options);

        async Task<List<AudioChunk>> Run(bool concurrent)
        {
            var chunks = new List<AudioChunk>();
            await foreach (AudioChunk chunk in new SpeechPipeline(stages, SampleRate, GenerationRules.For(SampleRate), concurrent).RunAsync(plan, _voice.Snapshot, options, new GaussianNoise(5), default))
                chunks.Add(chunk);
            return chunks;
        }
        List<AudioChunk> inTurns = await Run(concurrent: false);
        List<AudioChunk> together = await Run(concurrent: true);

        inTurns.Select(c => (c.TextChunk, c.Frame, c.Samples.Length)).ShouldBe(together.Select(c => (c.TextChunk, c.Frame, c.Samples.Length)));
        inTurns.SelectMany(c => c.Samples).ToArray().ShouldBe(together.SelectMany(c => c.Samples).ToArray());
        ZeroRuns([.. inTurns.SelectMany(c => c.Samples)]).Count.ShouldBe(2, "the comma and the marker (no sentence pause next to it)");
    }

    /// <summary>Runs of at least 100 exact zeros: the pauses (model speech never holds that many).</summary>
    private static List<(int Start, int Length)> ZeroRuns(float[] samples)
    {
        var runs = new List<(int, int)>();
        for (int i = 0; i < samples.Length;)
        {
            int start = i;
            while (i < samples.Length && samples[i] == 0f)
                i++;
            if (i - start >= 100)
                runs.Add((start, i - start));
            i = Math.Max(i, start + 1);
        }
        return runs;
    }
}
