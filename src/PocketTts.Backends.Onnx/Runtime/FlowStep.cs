namespace PocketTts.Backends.Onnx.Runtime;

/// <summary>
/// A stream's buffers for one FlowLM step on a graph backend, and the decoding around the flow net graph, with the
/// float arithmetic of <c>LsdDecode</c> and <c>DriftingDecode</c>: x starts as the noise; an LSD head's step i adds
/// flow(s = i/N, t = (i+1)/N) · (1/N), a drifting head's one call returns the latent.
/// </summary>
internal sealed class FlowStep(int latentDim, int modelDim)
{
    /// <summary>The step's input latent (NaN = BOS).</summary>
    public float[] Latent { get; } = new float[latentDim];

    /// <summary>out_norm of the step's row: the EOS head's input and the flow's condition.</summary>
    public float[] Hidden { get; } = new float[modelDim];

    /// <summary>The raw end-of-speech logit.</summary>
    public float[] EosLogit { get; } = new float[1];

    /// <summary>x: the noise, then the next latent.</summary>
    public float[] Sample { get; } = new float[latentDim];

    /// <summary>The flow net's output for the current x.</summary>
    public float[] Flow { get; } = new float[latentDim];

    /// <summary>The flow net's s and t.</summary>
    public float[] Times { get; } = new float[2];

    /// <summary>
    /// Integrates <see cref="Sample"/> from <paramref name="noise"/> in <paramref name="steps"/> steps;
    /// <paramref name="flowNet"/> binds the flow net to Hidden, Times and Sample, and its output to Flow.
    /// </summary>
    public void Decode(ReadOnlySpan<float> noise, int steps, GraphBinding flowNet)
    {
        noise.CopyTo(Sample);
        float scale = 1f / steps;
        for (int i = 0; i < steps; i++)
        {
            // Python computes i / N in double; the flow net takes it rounded to float32.
            Times[0] = (float)((double)i / steps);
            Times[1] = (float)((double)(i + 1) / steps);
            flowNet.Run();
            for (int j = 0; j < Sample.Length; j++)
                Sample[j] += Flow[j] * scale;
        }
    }

    /// <summary>
    /// Sets <see cref="Sample"/> to a drifting head's output for <paramref name="noise"/>: <paramref name="flowNet"/>
    /// binds the flow net to Hidden and Sample (no times), and its output to Flow.
    /// </summary>
    public void DecodeDrifting(ReadOnlySpan<float> noise, GraphBinding flowNet)
    {
        noise.CopyTo(Sample);
        flowNet.Run();
        Flow.CopyTo(Sample);
    }

    /// <summary>Copies the next latent (and out_norm when wanted) out and returns the EOS logit.</summary>
    public float Finish(Span<float> outputLatent, Span<float> hidden)
    {
        Sample.CopyTo(outputLatent);
        if (!hidden.IsEmpty)
            Hidden.CopyTo(hidden);
        return EosLogit[0];
    }
}
