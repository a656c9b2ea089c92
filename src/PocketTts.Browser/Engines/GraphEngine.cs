using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using PocketTts.Audio;
using PocketTts.Generation;
using PocketTts.Stages;
using PocketTts.Voices;

namespace PocketTts.Browser.Engines;

/// <summary>
/// The exported graphs on onnxruntime-web (<see cref="GraphStages"/>), driven by Core's <see cref="AsyncSpeechGenerator"/>:
/// the plan, the noise, the end of speech and the placing of frames are Core's, so a seed gives what the native ONNX
/// backend gives, and each stage call is awaited, as onnxruntime-web runs a graph asynchronously on the page's one thread.
/// </summary>
/// <param name="generator">The model's text side and generation loop.</param>
/// <param name="latentDim">Features of a latent (the graphs' manifest).</param>
/// <param name="frameSamples">Samples of a decoded frame (the graphs' manifest).</param>
[SupportedOSPlatform("browser")]
internal sealed class GraphEngine(AsyncSpeechGenerator generator, int latentDim, int frameSamples) : ISpeechEngine
{
    public int SampleRate => generator.SampleRate;

    public async Task<object> VoiceFromAudioAsync(AudioClip clip)
    {
        float[] audio = generator.VoicePromptAudio(clip.Samples, clip.SampleRate);
        return new GraphVoice(await GraphStages.VoiceFromAudio(Bytes(audio)));
    }

    public object VoiceFromState(byte[] state)
    {
        FlowLmSnapshot snapshot = VoiceStateFile.Read(state, "the voice state");
        return new GraphVoice(GraphStages.VoiceFromSnapshot(
            snapshot.Offset, snapshot.Layers, snapshot.Heads, snapshot.HeadDim, Concatenated(snapshot.Keys), Concatenated(snapshot.Values)));
    }

    public async IAsyncEnumerable<AudioChunk> GenerateAsync(string text, object voice, GenerationOptions options)
    {
        int voiceHandle = (voice as GraphVoice ?? throw new ArgumentException("The voice was made by another engine.")).Handle;
        await using var stages = new GraphGeneration(voiceHandle, latentDim, frameSamples);
        await foreach (AudioChunk chunk in generator.GenerateAsync(text, stages, options))
            yield return chunk;
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private static byte[] Bytes(ReadOnlySpan<float> values) => MemoryMarshal.AsBytes(values).ToArray();

    private static byte[] Concatenated(IReadOnlyList<float[]> layers) => Bytes([.. layers.SelectMany(layer => layer)]);

    /// <summary>A voice held by graph-stages.js, freed with its handle.</summary>
    private sealed class GraphVoice(int handle) : IDisposable
    {
        public int Handle { get; } = handle;

        public void Dispose() => GraphStages.Release(Handle);
    }

    /// <summary>One generation's stages in graph-stages.js: a FlowLM stream per text chunk on the voice, and one decoder.</summary>
    private sealed class GraphGeneration(int voice, int latentDim, int frameSamples) : IAsyncSpeechStages
    {
        private readonly int _decoder = GraphStages.CreateDecoder();
        private int? _stream;

        public int LatentDim => latentDim;

        public int FrameSamples => frameSamples;

        public async ValueTask StartChunkAsync(int[] tokenIds, CancellationToken cancellationToken)
        {
            ReleaseStream();
            _stream = GraphStages.StartChunk(voice);
            await GraphStages.Prompt(_stream.Value, tokenIds);
        }

        public async ValueTask<float> StepAsync(ReadOnlyMemory<float> input, ReadOnlyMemory<float> noise, int lsdSteps, Memory<float> latent, CancellationToken cancellationToken)
        {
            int stream = _stream ?? throw new InvalidOperationException("No text chunk was started.");
            float logit = (float)await GraphStages.Step(stream, Bytes(input.Span), Bytes(noise.Span), lsdSteps);
            MemoryMarshal.Cast<byte, float>(GraphStages.Latent(stream)).CopyTo(latent.Span);
            return logit;
        }

        public ValueTask ResetDecoderAsync(CancellationToken cancellationToken)
        {
            GraphStages.ResetDecoder(_decoder);
            return ValueTask.CompletedTask;
        }

        public async ValueTask DecodeAsync(ReadOnlyMemory<float> latent, Memory<float> samples, CancellationToken cancellationToken)
        {
            await GraphStages.Decode(_decoder, Bytes(latent.Span));
            MemoryMarshal.Cast<byte, float>(GraphStages.Audio(_decoder)).CopyTo(samples.Span);
        }

        public ValueTask DisposeAsync()
        {
            ReleaseStream();
            GraphStages.Release(_decoder);
            return ValueTask.CompletedTask;
        }

        private void ReleaseStream()
        {
            if (_stream is int stream)
                GraphStages.Release(stream);
            _stream = null;
        }
    }
}
