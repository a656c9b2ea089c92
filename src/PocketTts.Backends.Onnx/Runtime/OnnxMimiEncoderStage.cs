using PocketTts.Stages;

namespace PocketTts.Backends.Onnx.Runtime;

/// <summary>
/// The Mimi encoder (<see cref="MimiEncoderSignature"/>): fixed chunks of frames through one streaming state, the last
/// chunk zero-padded (its extra latents are dropped: the encoder is causal), or the whole clip zero-padded to whole
/// frames in one call.
/// </summary>
internal sealed class OnnxMimiEncoderStage(string backendName, MimiEncoderSignature graphs, int frameSamples) : IMimiEncoderStage
{
    // Caches see at most a window of past rows; room for a few chunks keeps their moves rare.
    private const int CacheRows = 4096;

    public string BackendName { get; } = backendName;

    public int LatentDim => graphs.LatentDim;

    public int FrameSamples { get; } = frameSamples;

    public int LatentFrames(int samples)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(samples);
        return (int)(((long)samples + FrameSamples - 1) / FrameSamples);
    }

    public void Encode(ReadOnlySpan<float> audio, Span<float> latents)
    {
        int frames = StageArguments.Encode(this, audio, latents);
        if (frames == 0)
            return;
        int chunkFrames = graphs.ChunkFrames ?? frames, chunkSamples = chunkFrames * FrameSamples;
        var stream = new StreamState([graphs.First, graphs.Next], CacheRows);
        var samples = new float[chunkSamples];
        var chunkLatents = new float[chunkFrames * LatentDim];
        StreamCall Bind(OnnxGraph graph) =>
            stream.Bind(graph)
                .Input(graphs.Audio, samples.AsMemory(), chunkSamples)
                .Output(graphs.Latents, chunkLatents.AsMemory(), chunkFrames, LatentDim);
        using StreamCall firstChunk = Bind(graphs.First), nextChunk = Bind(graphs.Next);
        for (int start = 0; start < frames; start += chunkFrames)
        {
            int count = Math.Min(chunkFrames, frames - start);
            ReadOnlySpan<float> chunk = audio[(start * FrameSamples)..Math.Min(audio.Length, (start + count) * FrameSamples)];
            chunk.CopyTo(samples);
            samples.AsSpan(chunk.Length).Clear();
            StreamCall call = start == 0 ? firstChunk : nextChunk;
            stream.Run(call, call.Graph.Signature.CacheRowsPerCall);
            chunkLatents.AsSpan(0, count * LatentDim).CopyTo(latents.Slice(start * LatentDim));
        }
    }

    public void Dispose()
    {
        graphs.First.Dispose();
        if (graphs.Next != graphs.First)
            graphs.Next.Dispose();
    }
}
