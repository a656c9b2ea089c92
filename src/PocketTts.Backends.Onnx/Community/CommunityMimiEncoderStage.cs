using Microsoft.ML.OnnxRuntime;
using PocketTts.Backends.Onnx.Runtime;
using PocketTts.Stages;

namespace PocketTts.Backends.Onnx.Community;

/// <summary>
/// The Mimi encoder on a community <c>mimi_encoder</c> graph: the whole clip in one call, <c>audio</c> [1, 1, samples]
/// → <c>latents</c> [1, frames, dim]. The exporter folds FlowLM's speaker_proj into this graph, so
/// <see cref="LatentDim"/> is the FlowLM width and the latents are already voice prompt rows.
/// </summary>
internal sealed class CommunityMimiEncoderStage(string backendName, int frameSamples, int latentDim, OnnxGraph graph, string file) : IMimiEncoderStage
{
    public string BackendName { get; } = backendName;

    public int LatentDim { get; } = latentDim;

    public int FrameSamples { get; } = frameSamples;

    public int LatentFrames(int samples)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(samples);
        return (int)(((long)samples + FrameSamples - 1) / FrameSamples);
    }

    public void Encode(ReadOnlySpan<float> audio, Span<float> latents)
    {
        int frames = StageArguments.Encode(this, audio, latents);

        // Zero-padded to whole frames, as the other encoders do, so the graph returns exactly one row per frame.
        var samples = new float[frames * FrameSamples];
        audio.CopyTo(samples);
        var result = new float[frames * LatentDim];
        using var call = new GraphBinding(graph);
        call.Input("audio", samples.AsMemory(), 1, 1, samples.Length)
            .Output("latents", result.AsMemory(), 1, frames, LatentDim);
        try
        {
            call.Run();
        }
        catch (OnnxRuntimeException e)
        {
            throw new InvalidDataException($"{file} did not encode {samples.Length} samples into [1, {frames}, {LatentDim}] latents: {e.Message}", e);
        }
        result.CopyTo(latents);
    }

    public void Dispose() => graph.Dispose();
}
