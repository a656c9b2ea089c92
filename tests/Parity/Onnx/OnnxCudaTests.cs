using PocketTts.Stages;
using PocketTts.Tests.Parity.Infrastructure;

namespace PocketTts.Tests.Parity.Onnx;

/// <summary>
/// onnx-cuda against onnx on the CPU, on the same exported graphs; skipped, with the probe's reason (the CUDA
/// libraries it could not load), on machines without CUDA. Where onnx-cuda is available, the stage fixtures of
/// <see cref="StageBackendParityTests"/> run on it too.
/// </summary>
public sealed class OnnxCudaTests
{
    [OnnxCudaFact]
    public void Decoded_frames_on_the_GPU_match_the_CPU()
    {
        using IModelStages cpu = ParityBackends.CreateTinyStages("onnx"), gpu = ParityBackends.CreateTinyStages("onnx-cuda");
        using var fixture = Fixture.Open("mimi_decode.safetensors");
        float[] latents = fixture.Floats("latents");
        float[] Decode(IModelStages stages)
        {
            var audio = new float[4 * 1920];
            using IMimiDecoderState state = stages.MimiDecoder.CreateState();
            for (int f = 0; f < 4; f++)
                stages.MimiDecoder.DecodeFrame(state, latents.AsSpan(f * 32, 32), audio.AsSpan(f * 1920, 1920));
            return audio;
        }
        Decode(gpu).ShouldBeClose(Decode(cpu), 1e-4f, "audio of four frames");
    }
}

/// <summary>A fact that needs onnx-cuda: skipped, with its probe's reason, where it cannot run.</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class OnnxCudaFactAttribute : FactAttribute
{
    public OnnxCudaFactAttribute()
    {
        if (ParityBackends.Unavailable.FirstOrDefault(b => b.Name == "onnx-cuda") is { Name: not null } missing)
            Skip = $"onnx-cuda is unavailable here: {missing.Reason}";
    }
}
