using PocketTts.Model.FlowLm;
using PocketTts.Stages;
using PocketTts.Tensors;
using PocketTts.Tests.Parity.Infrastructure;
using PocketTts.Weights;

namespace PocketTts.Tests.Parity.FlowLm;

/// <summary>
/// voice_state.safetensors: the voice prompt pass over the encoded prompt gives the exported voice state. The prompt is
/// the clip as upstream encodes it, trimmed to end on a pause (<c>prompt_latent</c> of voice_state_inputs.safetensors).
/// </summary>
public sealed class VoiceStateParityTests
{
    private const float Tolerance = 5e-5f;

    [Theory]
    [MemberData(nameof(ParityBackends.AvailableTensorBackends), MemberType = typeof(ParityBackends))]
    public void The_voice_prompt_pass_gives_the_reference_voice_state(string backendName)
    {
        using var weights = TinyModel.OpenWeights();
        using var inputs = Fixture.Open("voice_state_inputs.safetensors");
        using var voiceState = Fixture.Open("voice_state.safetensors");
        using ITensorBackend backend = ParityBackends.CreateTensorBackend(backendName);
        using var stage = new FlowLmStage(backend, TinyModel.Config, new WeightScope(weights));
        float[] latents = Transpose(inputs.Floats("prompt_latent"), stage.SpeakerDim);   // [1, 32, F] → [F, 32]
        int frames = latents.Length / stage.SpeakerDim;
        int rows = stage.VoicePromptRows(frames);
        var prompt = new float[rows * stage.ModelDim];

        stage.ConditionVoice(latents, prompt);
        using IFlowLmState state = stage.CreateState(rows);   // exported caches are exactly prompt-length
        stage.Prompt(state, prompt, []);

        stage.Snapshot(state).ShouldMatchFixture(voiceState, "", Tolerance);
    }

    /// <summary>A channel-major [channels, frames] block as frame-major [frames, channels].</summary>
    internal static float[] Transpose(float[] channelMajor, int channels)
    {
        int frames = channelMajor.Length / channels;
        var result = new float[channelMajor.Length];
        for (int c = 0; c < channels; c++)
        {
            for (int f = 0; f < frames; f++)
                result[f * channels + c] = channelMajor[c * frames + f];
        }
        return result;
    }
}
