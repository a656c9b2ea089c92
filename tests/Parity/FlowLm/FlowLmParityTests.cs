using PocketTts.Model.FlowLm;
using PocketTts.Stages;
using PocketTts.Tensors;
using PocketTts.Tests.Parity.Infrastructure;
using PocketTts.Weights;

namespace PocketTts.Tests.Parity.FlowLm;

/// <summary>
/// flow_lm.safetensors: FlowLM driven as generation drives it: the voice prompt pass, the text prompt pass, then 20
/// autoregressive steps from a NaN (BOS) latent, each fed the previous output, with the recorded noise.
/// </summary>
public sealed class FlowLmParityTests
{
    private const float PromptTolerance = 5e-5f;
    private const float StepTolerance = 1e-4f;
    private const float EosThreshold = -4f;
    private const int Capacity = 53;    // the fixture's kv_capacity: 22 voice + 11 text + 20 steps
    private const int Steps = 20;

    [Theory]
    [MemberData(nameof(ParityBackends.AvailableTensorBackends), MemberType = typeof(ParityBackends))]
    public void Prompt_passes_give_the_reference_outputs_and_caches(string backendName)
    {
        using var weights = TinyModel.OpenWeights();
        using var fixture = Fixture.Open("flow_lm.safetensors");
        using ITensorBackend backend = ParityBackends.CreateTensorBackend(backendName);
        using var stage = new FlowLmStage(backend, TinyModel.Config, new WeightScope(weights));
        using IFlowLmState state = stage.CreateState(Capacity);
        var hidden = new float[stage.ModelDim];

        stage.Prompt(state, fixture.Floats("audio_conditioning"), hidden);

        state.Offset.ShouldBe(22);
        hidden.ShouldBeClose(fixture.Floats("voice_prompt/transformer_out"), PromptTolerance, "out_norm after the voice prompt");
        stage.Snapshot(state).ShouldMatchFixture(fixture, "state_after_voice/", PromptTolerance);

        stage.Prompt(state, fixture.Floats("text_embeddings"), hidden);

        state.Offset.ShouldBe(33);
        hidden.ShouldBeClose(fixture.Floats("text_prompt/transformer_out"), PromptTolerance, "out_norm after the text prompt");
        stage.Snapshot(state).ShouldMatchFixture(fixture, "state_after_text/", PromptTolerance);
    }

    [Theory]
    [MemberData(nameof(StepCases))]
    public void Autoregressive_steps_give_the_reference_latents_and_eos(string backendName, int lsdSteps)
    {
        using var weights = TinyModel.OpenWeights();
        using var fixture = Fixture.Open("flow_lm.safetensors");
        using ITensorBackend backend = ParityBackends.CreateTensorBackend(backendName);
        using var stage = new FlowLmStage(backend, TinyModel.Config, new WeightScope(weights));
        int latentDim = stage.LatentDim, modelDim = stage.ModelDim;
        string run = $"lsd{lsdSteps}/";
        float[] recordedInputs = fixture.Floats(run + "input_latent");
        float[] noise = fixture.Floats(run + "noise");
        float[] expectedLatents = fixture.Floats(run + "output_latent");
        bool[] expectedEos = fixture.Bools(run + "is_eos");

        // Generation continues from a copy of the state after the prompts, as the reference does.
        FlowLmSnapshot afterText;
        using (IFlowLmState prompted = stage.CreateState(Capacity))
        {
            stage.Prompt(prompted, fixture.Floats("audio_conditioning"), []);
            stage.Prompt(prompted, fixture.Floats("text_embeddings"), []);
            afterText = stage.Snapshot(prompted);
        }
        using IFlowLmState state = stage.CreateState(afterText, Capacity);

        var input = new float[latentDim];
        input.AsSpan().Fill(float.NaN);
        var output = new float[latentDim];
        var latents = new float[Steps * latentDim];
        var hidden = new float[Steps * modelDim];
        var logits = new float[Steps];
        for (int step = 0; step < Steps; step++)
        {
            // The reference fed BOS first and then its own previous output.
            recordedInputs.AsSpan(step * latentDim, latentDim).ToArray().ShouldBe(
                step == 0 ? input : expectedLatents.AsSpan((step - 1) * latentDim, latentDim).ToArray(), $"recorded input of step {step}");
            logits[step] = stage.SampleNextLatent(state, input, noise.AsSpan(step * latentDim, latentDim), lsdSteps, output, hidden.AsSpan(step * modelDim, modelDim));
            output.CopyTo(latents, step * latentDim);
            output.CopyTo(input, 0);
        }

        state.Offset.ShouldBe(Capacity);
        hidden.ShouldBeClose(fixture.Floats(run + "transformer_out"), StepTolerance, "out_norm per step");
        logits.ShouldBeClose(fixture.Floats(run + "eos_logit"), StepTolerance, "EOS logit per step");
        logits.Select(l => l > EosThreshold).ShouldBe(expectedEos, "is_eos per step");
        latents.ShouldBeClose(expectedLatents, StepTolerance, $"latents with LSD {lsdSteps}");
        stage.Snapshot(state).ShouldMatchFixture(fixture, run + "state_after_steps/", StepTolerance);
    }

    public static TheoryData<string, int> StepCases()
    {
        var data = new TheoryData<string, int>();
        foreach (string backend in ParityBackends.AvailableTensorBackends)
        {
            data.Add(backend, 1);
            data.Add(backend, 4);
        }
        return data;
    }
}
