using PocketTts.Generation;
using PocketTts.Tests.Parity.Infrastructure;
using PocketTts.Voices;

namespace PocketTts.Tests.Parity.EndToEnd;

/// <summary>The public API's promises on the tiny model: thread safety, cancellation, determinism, bad input.</summary>
public sealed class GenerationBehaviourTests : IAsyncLifetime
{
    private PocketTtsModel _model = null!;
    private VoiceState _voice = null!;

    public async Task InitializeAsync()
    {
        var source = TinyModel.Source();
        _model = await PocketTtsModel.LoadAsync(source, ParityBackends.Create("managed", threads: 2));
        _voice = _model.LoadVoiceState(Fixture.PathOf("voice_state.safetensors"));
    }

    public Task DisposeAsync() => _model.DisposeAsync().AsTask();

    private const string Text = "Hello there! How are you doing today? I hope the weather is nice where you are.";

    [Fact]
    public async Task A_seed_reproduces_the_audio_and_temperature_zero_is_deterministic()
    {
        float[] a = await _model.GenerateAsync(Text, _voice, new GenerationOptions { Seed = 42 });
        float[] b = await _model.GenerateAsync(Text, _voice, new GenerationOptions { Seed = 42 });
        float[] c = await _model.GenerateAsync(Text, _voice, new GenerationOptions { Seed = 43 });
        b.ShouldBe(a);
        c.ShouldNotBe(a);
        float[] cold1 = await _model.GenerateAsync(Text, _voice, new GenerationOptions { Temperature = 0, Seed = 1 });
        float[] cold2 = await _model.GenerateAsync(Text, _voice, new GenerationOptions { Temperature = 0, Seed = 2 });
        cold2.ShouldBe(cold1);
    }

    [Fact]
    public async Task Concurrent_generations_on_one_model_give_the_same_audio_as_one_at_a_time()
    {
        float[] expected = await _model.GenerateAsync(Text, _voice, new GenerationOptions { Seed = 7 });
        float[][] results = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(() => _model.GenerateAsync(Text, _voice, new GenerationOptions { Seed = 7 }))));
        foreach (float[] result in results)
            result.ShouldBe(expected);
    }

    [Fact]
    public async Task Streaming_yields_1920_sample_frames_and_equals_whole_generation()
    {
        var frames = new List<AudioChunk>();
        var options = new GenerationOptions { Seed = 3 };
        await foreach (AudioChunk chunk in _model.GenerateStreamingAsync(Text, _voice, options))
            frames.Add(chunk);
        frames.ShouldAllBe(f => f.Samples.Length == 1920 && f.SampleRate == 24000);
        frames.SelectMany(f => f.Samples).ToArray().ShouldBe(await _model.GenerateAsync(Text, _voice, options));
    }

    [Fact]
    public async Task Cancelling_stops_the_generation_promptly()
    {
        using var cts = new CancellationTokenSource();
        int received = 0;
        await Should.ThrowAsync<OperationCanceledException>(async () =>
        {
            await foreach (AudioChunk _ in _model.GenerateStreamingAsync(Text + " " + Text + " " + Text, _voice, new GenerationOptions { Seed = 1 }, cts.Token))
            {
                if (++received == 2)
                    await cts.CancelAsync();
            }
        });
        received.ShouldBe(2);
    }

    [Fact]
    public async Task Stopping_early_releases_the_generation()
    {
        await foreach (AudioChunk _ in _model.GenerateStreamingAsync(Text, _voice, new GenerationOptions { Seed = 1 }))
            break;
        (await _model.GenerateAsync("Again.", _voice, new GenerationOptions { Seed = 1 })).Length.ShouldBeGreaterThan(0);
    }

    [Fact]
    public async Task Bad_input_is_rejected_with_the_reason()
    {
        (await Should.ThrowAsync<InvalidInputException>(async () => await _model.GenerateAsync("   ", _voice))).Subject.ShouldBe("text");
        InvalidInputException steps = Should.Throw<InvalidInputException>(() => _model.GenerateStreamingAsync("Hi.", _voice, new GenerationOptions { LsdDecodeSteps = 0 }));
        (steps.Subject, steps.Value, steps.Message).ShouldBe(("LsdDecodeSteps", "0", "LsdDecodeSteps '0': expected a whole number ≥ 1."));
        Should.Throw<ArgumentException>(() => _model.CreateVoiceState([], 24000)).Message.ShouldContain("no samples");
        Should.Throw<InvalidDataException>(() => _model.LoadVoiceState(Fixture.PathOf("tiny/model.safetensors")));
    }
}
