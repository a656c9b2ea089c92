using PocketTts.Generation;
using PocketTts.Stages;
using PocketTts.Voices;

namespace PocketTts.Model;

/// <summary>
/// How close an int8 model stays to its float32 original, as signal-to-noise ratios in dB (10·log10 of the float
/// signal's energy over the energy of the difference): of the FlowLM step outputs (next latent and transformer
/// output) and of the audio Mimi decodes from those latents.
/// </summary>
/// <remarks>
/// Both models generate from the same voice, text and noise, and both are fed the float model's latent at every step
/// (teacher forcing): otherwise the tiny differences of one step would send the two generations down different but
/// equally valid paths, and the ratio would measure that divergence rather than the quantization error.
/// </remarks>
/// <param name="LatentSnrDb">Next-latent outputs of every step.</param>
/// <param name="HiddenSnrDb">Transformer outputs (after the final norm) of every step.</param>
/// <param name="AudioSnrDb">Audio decoded from the int8 latents against audio decoded from the float ones.</param>
/// <param name="Frames">Steps measured.</param>
public sealed record QuantizationQuality(double LatentSnrDb, double HiddenSnrDb, double AudioSnrDb, int Frames)
{
    /// <summary>Runs <paramref name="frames"/> teacher-forced steps on both models and compares them.</summary>
    /// <param name="reference">The float32 model.</param>
    /// <param name="quantized">The same checkpoint loaded with <see cref="Backends.ModelSource.Quantize"/>.</param>
    /// <param name="voice">The voice prompt both start from.</param>
    /// <param name="tokenIds">The text prompt.</param>
    /// <param name="frames">Steps to run (end of speech is ignored).</param>
    /// <param name="seed">Seed of the flow noise (temperature 0.7), the same for both.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="frames"/> is not positive.</exception>
    public static QuantizationQuality Measure(PocketTtsModel reference, PocketTtsModel quantized, VoiceState voice, int[] tokenIds, int frames, int seed)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(quantized);
        ArgumentNullException.ThrowIfNull(voice);
        return Measure(reference.Stages, quantized.Stages, voice.Snapshot, tokenIds, frames, seed);
    }

    /// <summary>Runs <paramref name="frames"/> teacher-forced steps on both models' stages and compares them.</summary>
    /// <param name="reference">The float32 model.</param>
    /// <param name="quantized">The same model with int8 layers.</param>
    /// <param name="voice">The voice prompt both start from.</param>
    /// <param name="tokenIds">The text prompt.</param>
    /// <param name="frames">Steps to run (end of speech is ignored).</param>
    /// <param name="seed">Seed of the flow noise (temperature 0.7), the same for both.</param>
    internal static QuantizationQuality Measure(IModelStages reference, IModelStages quantized, FlowLmSnapshot voice, int[] tokenIds, int frames, int seed)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(quantized);
        ArgumentNullException.ThrowIfNull(voice);
        ArgumentNullException.ThrowIfNull(tokenIds);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(frames);
        int latentDim = reference.FlowLm.LatentDim, modelDim = reference.FlowLm.ModelDim;
        var embeddings = new float[tokenIds.Length * reference.TextConditioner.EmbeddingDim];
        reference.TextConditioner.Embed(tokenIds, embeddings);

        int capacity = voice.Offset + tokenIds.Length + frames;
        using IFlowLmState floatState = reference.FlowLm.CreateState(voice, capacity);
        using IFlowLmState int8State = quantized.FlowLm.CreateState(voice, capacity);
        reference.FlowLm.Prompt(floatState, embeddings, []);
        quantized.FlowLm.Prompt(int8State, embeddings, []);

        var noise = new float[latentDim];
        var input = new float[latentDim];
        input.AsSpan().Fill(float.NaN); // BOS
        var floatLatents = new float[frames * latentDim];
        var int8Latents = new float[frames * latentDim];
        var floatHidden = new float[frames * modelDim];
        var int8Hidden = new float[frames * modelDim];
        var source = new GaussianNoise(seed);
        for (int step = 0; step < frames; step++)
        {
            source.Fill(noise, MathF.Sqrt(0.7f), null);
            Span<float> floatLatent = floatLatents.AsSpan(step * latentDim, latentDim);
            reference.FlowLm.SampleNextLatent(floatState, input, noise, 1, floatLatent, floatHidden.AsSpan(step * modelDim, modelDim));
            quantized.FlowLm.SampleNextLatent(int8State, input, noise, 1, int8Latents.AsSpan(step * latentDim, latentDim), int8Hidden.AsSpan(step * modelDim, modelDim));
            floatLatent.CopyTo(input);
        }

        return new QuantizationQuality(
            SnrDb(floatLatents, int8Latents),
            SnrDb(floatHidden, int8Hidden),
            SnrDb(Decode(reference.MimiDecoder, floatLatents), Decode(reference.MimiDecoder, int8Latents)),
            frames);
    }

    /// <summary>10·log10(Σ reference² / Σ (reference − test)²); +∞ when they are equal.</summary>
    public static double SnrDb(ReadOnlySpan<float> reference, ReadOnlySpan<float> test)
    {
        if (reference.Length != test.Length)
            throw new ArgumentException($"Lengths differ: {reference.Length} and {test.Length}.", nameof(test));
        double signal = 0, noise = 0;
        for (int i = 0; i < reference.Length; i++)
        {
            signal += (double)reference[i] * reference[i];
            double d = (double)reference[i] - test[i];
            noise += d * d;
        }
        return noise == 0 ? double.PositiveInfinity : 10 * Math.Log10(signal / noise);
    }

    private static float[] Decode(IMimiDecoderStage decoder, float[] latents)
    {
        int frames = latents.Length / decoder.LatentDim;
        var audio = new float[frames * decoder.FrameSamples];
        using IMimiDecoderState state = decoder.CreateState();
        for (int f = 0; f < frames; f++)
            decoder.DecodeFrame(state, latents.AsSpan(f * decoder.LatentDim, decoder.LatentDim), audio.AsSpan(f * decoder.FrameSamples, decoder.FrameSamples));
        return audio;
    }
}
