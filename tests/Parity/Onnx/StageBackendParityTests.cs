using System.Globalization;
using PocketTts.Stages;
using PocketTts.Tests.Parity.FlowLm;
using PocketTts.Tests.Parity.Infrastructure;
using PocketTts.Tests.Parity.Mimi;

namespace PocketTts.Tests.Parity.Onnx;

/// <summary>
/// The stage-level fixtures on backends that provide whole stages (onnx): the same fixtures and tolerances as the
/// tensor-backend tests of each stage, through the stage interfaces only.
/// </summary>
public sealed class StageBackendParityTests
{
    [Theory]
    [MemberData(nameof(ParityBackends.AvailableStageBackends), MemberType = typeof(ParityBackends))]
    public void Text_embeddings_equal_the_reference_table_rows(string backendName)
    {
        using IModelStages stages = ParityBackends.CreateTinyStages(backendName);
        using var fixture = Fixture.Open("text_conditioner.safetensors");
        foreach (string name in new[] { "case0", "case1", "edge" })
        {
            int[] ids = fixture.Ints(name + "/tokens");
            var actual = new float[ids.Length * stages.TextConditioner.EmbeddingDim];
            stages.TextConditioner.Embed(ids, actual);
            actual.ShouldBe(fixture.Floats(name + "/embeddings"), name);
        }
        Should.Throw<ArgumentOutOfRangeException>(() => stages.TextConditioner.Embed([stages.TextConditioner.TableRows], new float[stages.TextConditioner.EmbeddingDim]));
    }

    [Theory]
    [MemberData(nameof(ParityBackends.AvailableStageBackends), MemberType = typeof(ParityBackends))]
    public void FlowLm_prompts_and_steps_give_the_reference_outputs_and_caches(string backendName)
    {
        const int Capacity = 53, Steps = 20;
        using IModelStages stages = ParityBackends.CreateTinyStages(backendName);
        using var fixture = Fixture.Open("flow_lm.safetensors");
        IFlowLmStage stage = stages.FlowLm;
        var hidden = new float[stage.ModelDim];
        using IFlowLmState prompted = stage.CreateState(Capacity);
        stage.Prompt(prompted, fixture.Floats("audio_conditioning"), hidden);
        hidden.ShouldBeClose(fixture.Floats("voice_prompt/transformer_out"), 5e-5f, "out_norm after the voice prompt");
        stage.Snapshot(prompted).ShouldMatchFixture(fixture, "state_after_voice/", 5e-5f);
        stage.Prompt(prompted, fixture.Floats("text_embeddings"), hidden);
        hidden.ShouldBeClose(fixture.Floats("text_prompt/transformer_out"), 5e-5f, "out_norm after the text prompt");
        FlowLmSnapshot afterText = stage.Snapshot(prompted);
        afterText.ShouldMatchFixture(fixture, "state_after_text/", 5e-5f);

        foreach (int lsdSteps in new[] { 1, 4 })
        {
            string run = $"lsd{lsdSteps}/";
            float[] noise = fixture.Floats(run + "noise");
            using IFlowLmState state = stage.CreateState(afterText, Capacity);
            var input = new float[stage.LatentDim];
            input.AsSpan().Fill(float.NaN);
            var latents = new float[Steps * stage.LatentDim];
            var stepHidden = new float[Steps * stage.ModelDim];
            var logits = new float[Steps];
            for (int step = 0; step < Steps; step++)
            {
                var output = latents.AsSpan(step * stage.LatentDim, stage.LatentDim);
                logits[step] = stage.SampleNextLatent(state, input, noise.AsSpan(step * stage.LatentDim, stage.LatentDim), lsdSteps, output, stepHidden.AsSpan(step * stage.ModelDim, stage.ModelDim));
                input = output.ToArray();
            }
            state.Offset.ShouldBe(Capacity);
            stepHidden.ShouldBeClose(fixture.Floats(run + "transformer_out"), 1e-4f, "out_norm per step");
            logits.ShouldBeClose(fixture.Floats(run + "eos_logit"), 1e-4f, "EOS logit per step");
            latents.ShouldBeClose(fixture.Floats(run + "output_latent"), 1e-4f, $"latents with LSD {lsdSteps}");
            stage.Snapshot(state).ShouldMatchFixture(fixture, run + "state_after_steps/", 1e-4f);
            Should.Throw<InvalidOperationException>(() => stage.SampleNextLatent(state, input, noise.AsSpan(0, stage.LatentDim), 1, new float[stage.LatentDim], []));
        }
    }

    [Theory]
    [MemberData(nameof(ParityBackends.AvailableStageBackends), MemberType = typeof(ParityBackends))]
    public void The_Mimi_encoder_encodes_the_unpadded_clip_into_frame_rows(string backendName)
    {
        const int Frames = 21, LatentDim = 32;
        using IModelStages stages = ParityBackends.CreateTinyStages(backendName);
        using var fixture = Fixture.Open("mimi_encode.safetensors");
        float[] audio = fixture.Floats("audio");
        stages.MimiEncoder.LatentFrames(audio.Length).ShouldBe(Frames);
        var latents = new float[Frames * LatentDim];
        stages.MimiEncoder.Encode(audio, latents);
        latents.ShouldBeClose(MimiParityKit.Transpose(fixture.Floats("latent"), LatentDim, Frames), 1e-4f, "latents [frames, 32]");
    }

    [Theory]
    [MemberData(nameof(ParityBackends.AvailableStageBackends), MemberType = typeof(ParityBackends))]
    public void The_Mimi_decoder_matches_every_frame_past_its_context_and_after_a_reset(string backendName)
    {
        const int Frames = 20, LatentDim = 32, FrameSamples = 1920;
        using IModelStages stages = ParityBackends.CreateTinyStages(backendName);
        using var fixture = Fixture.Open("mimi_decode.safetensors");
        IMimiDecoderStage decoder = stages.MimiDecoder;
        float[] latents = fixture.Floats("latents");
        using IMimiDecoderState state = decoder.CreateState();
        for (int pass = 0; pass < 2; pass++)
        {
            var audio = new float[Frames * FrameSamples];
            for (int f = 0; f < Frames; f++)
                decoder.DecodeFrame(state, latents.AsSpan(f * LatentDim, LatentDim), audio.AsSpan(f * FrameSamples, FrameSamples));
            state.FramesDecoded.ShouldBe(Frames);
            for (int f = 0; f < Frames; f++)
            {
                string name = "frame_audio/" + f.ToString("00", CultureInfo.InvariantCulture);
                audio.AsSpan(f * FrameSamples, FrameSamples).ToArray().ShouldBeClose(fixture.Floats(name), 1e-5f, $"pass {pass}, {name}");
            }
            state.Reset();
        }
    }
}
