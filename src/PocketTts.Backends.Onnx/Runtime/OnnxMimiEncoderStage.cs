using PocketTts.Graphs;
using PocketTts.Stages;

namespace PocketTts.Backends.Onnx.Runtime;

/// <summary>
/// The Mimi encoder on <c>mimi_encoder_first</c> and <c>mimi_encoder</c>: fixed chunks of frames through one
/// streaming state, the last chunk zero-padded (its extra latents are dropped: the encoder is causal).
/// </summary>
internal sealed class OnnxMimiEncoderStage(string backendName, StageGraphSettings settings, OnnxGraph first, OnnxGraph next, int latentDim) : IMimiEncoderStage
{
    public string BackendName { get; } = backendName;

    public int LatentDim { get; } = latentDim;

    public int FrameSamples => settings.FrameSamples;

    public int LatentFrames(int samples)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(samples);
        return (int)(((long)samples + FrameSamples - 1) / FrameSamples);
    }

    public void Encode(ReadOnlySpan<float> audio, Span<float> latents)
    {
        int frames = StageArguments.Encode(this, audio, latents);
        int chunkFrames = settings.EncoderChunkFrames, chunkSamples = chunkFrames * FrameSamples;

        // Caches see at most a window of past rows; room for a few chunks keeps their moves rare.
        var state = new StreamState([first, next], cacheRows: 4096);
        var samples = new float[chunkSamples];
        var chunkLatents = new float[chunkFrames * LatentDim];
        GraphBinding Bind(OnnxGraph graph) =>
            state.Bind(graph)
                .Input("audio", samples.AsMemory(), 1, chunkSamples)
                .Output("latents", chunkLatents.AsMemory(), chunkFrames, LatentDim);
        using GraphBinding firstChunk = Bind(first), nextChunk = Bind(next);
        for (int start = 0; start < frames; start += chunkFrames)
        {
            int count = Math.Min(chunkFrames, frames - start);
            ReadOnlySpan<float> chunk = audio[(start * FrameSamples)..Math.Min(audio.Length, (start + count) * FrameSamples)];
            chunk.CopyTo(samples);
            samples.AsSpan(chunk.Length).Clear();
            (OnnxGraph graph, GraphBinding binding) = start == 0 ? (first, firstChunk) : (next, nextChunk);
            state.Run(graph, binding, graph.CacheRowsPerCall);
            chunkLatents.AsSpan(0, count * LatentDim).CopyTo(latents.Slice(start * LatentDim));
        }
    }

    public void Dispose()
    {
        first.Dispose();
        next.Dispose();
    }
}
