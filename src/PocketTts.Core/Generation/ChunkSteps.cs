namespace PocketTts.Generation;

/// <summary>
/// The step-by-step bookkeeping of the reference's loop over one text chunk (<c>_autoregressive_generation</c>), shared
/// by the loop that calls the stages (<see cref="LatentProducer"/>) and the one that awaits them
/// (<see cref="AsyncSpeechGenerator"/>): each step reads <see cref="Input"/> (all NaN, which marks BOS, then the
/// previous latent) and the flow noise drawn for it, writes <see cref="Latent"/>, and the end of speech decides whether
/// that latent is spoken. One instance serves one generation, one chunk after another.
/// </summary>
internal sealed class ChunkSteps
{
    private readonly GenerationOptions _options;
    private readonly GenerationRules _rules;
    private readonly INoiseSource _noise;
    private readonly float _noiseStd;
    private float[] _input;
    private float[] _latent;
    private EndOfSpeech _endOfSpeech;

    /// <param name="latentDim">Features of a latent.</param>
    /// <param name="options">The end-of-speech threshold, the noise clamp.</param>
    /// <param name="temperature">The noise temperature, resolved (the options' or the model's default).</param>
    /// <param name="rules">The reference's loop rules.</param>
    /// <param name="noise">The flow noise, one draw per step in order.</param>
    public ChunkSteps(int latentDim, GenerationOptions options, float temperature, GenerationRules rules, INoiseSource noise)
    {
        _options = options;
        _rules = rules;
        _noise = noise;
        _noiseStd = MathF.Sqrt(temperature);
        _input = new float[latentDim];
        _latent = new float[latentDim];
        Noise = new float[latentDim];
    }

    /// <summary>What the next step reads: BOS (all NaN) at a chunk's start, then the latent the last step wrote.</summary>
    public float[] Input => _input;

    /// <summary>The flow noise of the next step, drawn by <see cref="DrawNoise"/>.</summary>
    public float[] Noise { get; }

    /// <summary>Where the next step writes its latent.</summary>
    public float[] Latent => _latent;

    /// <summary>Starts <paramref name="chunk"/>: the first step reads BOS, and no end of speech has been seen.</summary>
    public void Start(ChunkPlan chunk)
    {
        _input.AsSpan().Fill(float.NaN);
        _endOfSpeech = new EndOfSpeech(_options.EosThreshold, chunk.FramesAfterEos, _rules.MinFramesBeforeEos);
    }

    /// <summary>Draws the next step's noise.</summary>
    public void DrawNoise() => _noise.Fill(Noise, _noiseStd, _options.NoiseClamp);

    /// <summary>
    /// Records step <paramref name="step"/>'s end-of-speech logit; true when its <see cref="Latent"/> is spoken (then
    /// call <see cref="Advance"/> once it is used), false when the chunk ends here.
    /// </summary>
    public bool Speaks(int step, float endOfSpeechLogit) => _endOfSpeech.Observe(step, endOfSpeechLogit);

    /// <summary>Makes the latent just written the next step's input.</summary>
    public void Advance() => (_input, _latent) = (_latent, _input);
}
