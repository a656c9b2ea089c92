using PocketTts.Model.FlowLm;
using PocketTts.Tensors;
using PocketTts.Tests.Parity.FlowLm;
using PocketTts.Tests.Parity.Infrastructure;
using PocketTts.Weights;

namespace PocketTts.Tests.Parity.Conditioning;

/// <summary>
/// The voice prompt: <c>bos_before_voice</c>, then Mimi latents · speaker_proj_weightᵀ (the speaker conditioning of
/// mimi_encode.safetensors and the audio conditioning of flow_lm.safetensors).
/// </summary>
public sealed class VoiceConditioningParityTests
{
    private const float Tolerance = 1e-4f;

    [Theory]
    [MemberData(nameof(ParityBackends.AvailableTensorBackends), MemberType = typeof(ParityBackends))]
    public void The_speaker_projection_of_the_encoded_clip_matches_the_reference(string backendName)
    {
        using var weights = TinyModel.OpenWeights();
        using var fixture = Fixture.Open("mimi_encode.safetensors");
        using ITensorBackend backend = ParityBackends.CreateTensorBackend(backendName);
        using var stage = new FlowLmStage(backend, TinyModel.Config, new WeightScope(weights));
        float[] latents = VoiceStateParityTests.Transpose(fixture.Floats("latent"), stage.SpeakerDim);   // [1, 32, 21] → [21, 32]
        int frames = latents.Length / stage.SpeakerDim;
        var prompt = new float[stage.VoicePromptRows(frames) * stage.ModelDim];

        stage.ConditionVoice(latents, prompt);

        frames.ShouldBe(21);
        prompt[..stage.ModelDim].ShouldBe(weights.Floats("flow_lm.bos_before_voice"), "the first row is bos_before_voice");
        prompt[stage.ModelDim..].ShouldBeClose(fixture.Floats("speaker_conditioning"), Tolerance, "speaker conditioning");
    }

    [Theory]
    [MemberData(nameof(ParityBackends.AvailableTensorBackends), MemberType = typeof(ParityBackends))]
    public void The_voice_prompt_matches_the_reference_audio_conditioning(string backendName)
    {
        using var weights = TinyModel.OpenWeights();
        using var fixture = Fixture.Open("flow_lm.safetensors");
        using ITensorBackend backend = ParityBackends.CreateTensorBackend(backendName);
        using var stage = new FlowLmStage(backend, TinyModel.Config, new WeightScope(weights));
        float[] latents = fixture.Floats("voice_latents");   // [1, frames, 32]
        var prompt = new float[stage.VoicePromptRows(latents.Length / stage.SpeakerDim) * stage.ModelDim];

        stage.ConditionVoice(latents, prompt);

        prompt.ShouldBeClose(fixture.Floats("audio_conditioning"), Tolerance, "voice prompt");
    }
}
