using PocketTts.Backends;
using PocketTts.Config;
using PocketTts.Generation;
using PocketTts.Model;
using PocketTts.Stages;
using PocketTts.Tests.Parity.Infrastructure;
using PocketTts.Text.Normalization;
using PocketTts.Voices;
using PocketTts.Weights;

namespace PocketTts.Tests.Parity.Upstream3x;

/// <summary>
/// upstream-3x/e2e_*.safetensors: <c>generate_audio</c> of the reconstructed reference after 3.3.0 on the tiny LSD and
/// drifting models at temperature 0 (fixture README): the chunks' tokens, every step's latent and EOS logit, the frames
/// each chunk keeps (no end of speech before step 6, the guessed frames after it) and the audio (with the fade-in of
/// each chunk's fresh decoder state), on every backend.
/// </summary>
public sealed class EndToEndParityTests
{
    // Each step feeds its latent back, so float32 rounding (sums in other orders than torch's) grows by about 1.5× a
    // step: measured 2e-6 at the first step and up to 3e-4 at the twelfth (latents |x| ≤ 5, EOS logits |x| ≤ 10). The
    // first step is held to the rounding level, the chain to its growth; the audio stays within 5e-5 per sample.
    private const float FirstStepTolerance = 1e-5f;
    private const float LatentTolerance = 5e-4f;
    private const float LogitTolerance = 5e-4f;
    private const float AudioTolerance = 5e-5f;

    private static readonly string[] Runs =
    [
        "e2e_lsd_short", "e2e_lsd_two_sentences", "e2e_lsd_long", "e2e_lsd_short_steps4",
        "e2e_drifting_short", "e2e_drifting_two_sentences", "e2e_drifting_long",
    ];

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (string backend in ParityBackends.AvailableNames)
        {
            foreach (string run in Runs)
                data.Add(backend, run);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Generation_matches_the_reference_step_by_step(string backendName, string run)
    {
        using SafeTensorsFile expected = Fixture.Open($"upstream-3x/{run}.safetensors");
        string model = expected.Metadata["model"];
        ModelSource source = Upstream3xModels.Source(model);
        var options = new GenerationOptions
        {
            Temperature = 0f,
            EosThreshold = -4f,
            LsdDecodeSteps = int.Parse(expected.Metadata["sampler_decode_steps"], System.Globalization.CultureInfo.InvariantCulture),
            MaxTokensPerChunk = int.Parse(expected.Metadata["max_tokens"], System.Globalization.CultureInfo.InvariantCulture),
            TextNormalizer = TextNormalizers.PassThrough,
        };
        string text = expected.Metadata["text"];
        int[] frames = expected.Ints("frames_per_chunk");

        await using (PocketTtsModel tts = await PocketTtsModel.LoadAsync(source, ParityBackends.Create(backendName)))
        {
            VoiceState voice = tts.LoadVoiceState(Fixture.PathOf($"upstream-3x/{expected.Metadata["voice_state"]}"));
            List<ChunkPlan> plan = [.. tts.Plan(text, options).Cast<ChunkPlan>()];
            plan.Count.ShouldBe(frames.Length);
            for (int k = 0; k < plan.Count; k++)
                plan[k].TokenIds.ShouldBe(expected.Ints($"chunk{k}/tokens"), $"chunk {k} tokens");

            var perChunk = new List<float>[plan.Count];
            for (int k = 0; k < plan.Count; k++)
                perChunk[k] = [];
            await foreach (AudioChunk chunk in tts.GenerateStreamingAsync(text, voice, options))
                perChunk[chunk.TextChunk].AddRange(chunk.Samples);
            perChunk.Select(c => c.Count).ShouldBe(expected.Ints("samples_per_chunk"), "samples per chunk");
            perChunk.SelectMany(c => c).ToArray().ShouldBeClose(expected.Floats("audio"), AudioTolerance, $"{run} audio");

            // The same chunks step by step on the stages, to compare what the audio does not show.
            using IBackend backend = ParityBackends.Create(backendName);
            using IModelStages stages = ModelStageFactory.Create(backend, source, ModelConfigLoader.Load(source), default);
            for (int k = 0; k < plan.Count; k++)
            {
                (float[] latents, float[] logits, int kept, int eosStep) = Steps(stages, voice, plan[k], options);
                kept.ShouldBe(frames[k], $"chunk {k} frames");
                eosStep.ShouldBe(expected.Ints("eos_frame_per_chunk")[k], $"chunk {k} EOS step");
                plan[k].FramesAfterEos.ShouldBe(expected.Ints("frames_after_eos_per_chunk")[k], $"chunk {k} frames after EOS");
                logits.ShouldBeClose(expected.Floats($"chunk{k}/eos_logits"), LogitTolerance, $"chunk {k} EOS logits");
                float[] reference = expected.Floats($"chunk{k}/latents");
                latents.ShouldBeClose(reference, LatentTolerance, $"chunk {k} latents");
                latents[..32].ShouldBeClose(reference[..32], FirstStepTolerance, $"chunk {k} first latent");
            }
        }
    }

    // Every step the reference ran for one chunk, the one that stopped it included: its latents, EOS logits, the frames
    // kept and the EOS step.
    private static (float[] Latents, float[] Logits, int Kept, int EosStep) Steps(IModelStages stages, VoiceState voice, ChunkPlan chunk, GenerationOptions options)
    {
        IFlowLmStage flowLm = stages.FlowLm;
        using IFlowLmState state = flowLm.CreateState(voice.Snapshot, voice.Snapshot.Offset + chunk.TokenIds.Length + chunk.MaxFrames);
        var embeddings = new float[chunk.TokenIds.Length * stages.TextConditioner.EmbeddingDim];
        stages.TextConditioner.Embed(chunk.TokenIds, embeddings);
        flowLm.Prompt(state, embeddings, []);

        var latents = new List<float>();
        var logits = new List<float>();
        float[] input = [.. Enumerable.Repeat(float.NaN, flowLm.LatentDim)], next = new float[flowLm.LatentDim], noise = new float[flowLm.LatentDim];
        var eos = new EndOfSpeech(options.EosThreshold, chunk.FramesAfterEos, GenerationRules.For(24000).MinFramesBeforeEos);
        int kept = 0;
        for (int step = 0; step < chunk.MaxFrames; step++)
        {
            float logit = flowLm.SampleNextLatent(state, input, noise, options.LsdDecodeSteps, next, []);
            latents.AddRange(next);
            logits.Add(logit);
            if (!eos.Observe(step, logit))
                break;
            kept++;
            (input, next) = (next, input);
        }
        return ([.. latents], [.. logits], kept, eos.EosStep);
    }

    public static TheoryData<string, string> VoiceCases()
    {
        var data = new TheoryData<string, string>();
        foreach (string backend in ParityBackends.AvailableNames)
        {
            data.Add(backend, "lsd");
            data.Add(backend, "drifting");
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(VoiceCases))]
    public async Task A_voice_state_from_audio_is_trimmed_and_matches_the_reference_export(string backendName, string head)
    {
        await using PocketTtsModel tts = await PocketTtsModel.LoadAsync(Upstream3xModels.Source($"tiny_{head}"), ParityBackends.Create(backendName));
        using SafeTensorsFile inputs = Fixture.Open("upstream-3x/voice_inputs.safetensors");

        VoiceState voice = tts.CreateVoiceState(inputs.Floats("audio"), 24000);
        VoiceState reference = tts.LoadVoiceState(Fixture.PathOf($"upstream-3x/voice_state_{head}.safetensors"));

        // 43680 trimmed samples are 23 frames of 1920 (rounded up), and BOS-before-voice adds one row.
        voice.Length.ShouldBe(reference.Length);
        for (int layer = 0; layer < reference.Snapshot.Layers; layer++)
        {
            voice.Snapshot.Keys[layer].ShouldBeClose(reference.Snapshot.Keys[layer], 5e-5f, $"layer {layer} keys");
            voice.Snapshot.Values[layer].ShouldBeClose(reference.Snapshot.Values[layer], 5e-5f, $"layer {layer} values");
        }
    }
}
