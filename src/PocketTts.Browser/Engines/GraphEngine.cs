using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using PocketTts.Audio;
using PocketTts.Generation;
using PocketTts.Stages;
using PocketTts.Voices;

namespace PocketTts.Browser.Engines;

/// <summary>
/// The exported graphs on onnxruntime-web (<see cref="GraphStages"/>), driven from here: the text plan, the noise, the
/// end of speech and the placing of frames are the engine's own (<see cref="SpeechPlanner"/>, <see cref="GaussianNoise"/>,
/// <see cref="EndOfSpeech"/>, <see cref="FramePlacement"/>), so a seed gives what the native ONNX backend gives. The
/// loop is <c>LatentProducer</c> and <c>FrameAssembler</c> taking turns, with each stage call awaited: onnxruntime-web
/// runs a graph asynchronously, which a synchronous stage cannot wait for on the page's one thread.
/// </summary>
/// <param name="planner">The model's text side.</param>
/// <param name="latentDim">Features of a latent (the graphs' manifest).</param>
/// <param name="frameSamples">Samples of a decoded frame (the graphs' manifest).</param>
[SupportedOSPlatform("browser")]
internal sealed class GraphEngine(SpeechPlanner planner, int latentDim, int frameSamples) : ISpeechEngine
{
    private readonly GenerationRules _rules = GenerationRules.For(planner.Config.Mimi.SampleRate);

    public int SampleRate => planner.Config.Mimi.SampleRate;

    public async Task<object> VoiceFromAudioAsync(AudioClip clip)
    {
        float[] audio = PocketTtsModel.VoicePromptAudio(clip.Samples, clip.SampleRate, SampleRate);
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
        options.Validate();
        IReadOnlyList<PlanItem> plan = planner.Plan(text, options);
        float std = MathF.Sqrt(options.Temperature ?? (float)planner.Config.DefaultTemperature);
        var noise = new GaussianNoise(options.Seed ?? Random.Shared.Next());
        var noiseRow = new float[latentDim];
        var placement = new FramePlacement(plan, frameSamples, SampleRate, _rules);
        var ready = new List<AudioChunk>();
        int decoder = GraphStages.CreateDecoder();
        try
        {
            for (int item = 0; item < plan.Count; item++)
            {
                if (placement.Enter(item, ready))
                    GraphStages.ResetDecoder(decoder);
                if (plan[item] is not ChunkPlan chunk)
                {
                    placement.Silence(item, ready);
                    foreach (AudioChunk silence in Drain(ready))
                        yield return silence;
                    continue;
                }
                int stream = GraphStages.StartChunk(voiceHandle);
                try
                {
                    await GraphStages.Prompt(stream, chunk.TokenIds);
                    byte[] input = Bytes(Enumerable.Repeat(float.NaN, latentDim).ToArray()); // NaN marks the first step's input as BOS.
                    var eos = new EndOfSpeech(options.EosThreshold, chunk.FramesAfterEos, _rules.MinFramesBeforeEos);
                    for (int step = 0; step < chunk.MaxFrames; step++)
                    {
                        noise.Fill(noiseRow, std, options.NoiseClamp);
                        float logit = (float)await GraphStages.Step(stream, input, Bytes(noiseRow), options.LsdDecodeSteps);
                        if (!eos.Observe(step, logit))
                            break;
                        input = GraphStages.Latent(stream);
                        await GraphStages.Decode(decoder, input);
                        placement.Speech(item, step, MemoryMarshal.Cast<byte, float>(GraphStages.Audio(decoder)).ToArray(), ready);
                        foreach (AudioChunk frame in Drain(ready))
                            yield return frame;
                    }
                }
                finally
                {
                    GraphStages.Release(stream);
                }
            }
            placement.Finish(ready);
            foreach (AudioChunk last in Drain(ready))
                yield return last;
        }
        finally
        {
            GraphStages.Release(decoder);
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private static AudioChunk[] Drain(List<AudioChunk> ready)
    {
        AudioChunk[] chunks = [.. ready];
        ready.Clear();
        return chunks;
    }

    private static byte[] Bytes(float[] values) => MemoryMarshal.AsBytes(values.AsSpan()).ToArray();

    private static byte[] Concatenated(IReadOnlyList<float[]> layers) => Bytes([.. layers.SelectMany(layer => layer)]);

    /// <summary>A voice held by graph-stages.js, freed with its handle.</summary>
    private sealed class GraphVoice(int handle) : IDisposable
    {
        public int Handle { get; } = handle;

        public void Dispose() => GraphStages.Release(Handle);
    }
}
