using PocketTts.Config;

namespace PocketTts.Model.Mimi;

/// <summary>
/// The sizes Mimi derives from its configuration (reference: <c>MimiModel.__init__</c> in
/// <c>pocket_tts/models/mimi.py</c>), checked once. For the shipped models: 24 kHz audio, a SEANet hop of 120
/// samples (200 Hz), 16 SEANet steps per 1920-sample latent frame (12.5 Hz), latents of 32.
/// </summary>
internal sealed record MimiDimensions
{
    /// <summary>Audio samples per latent frame: sample_rate / frame_rate (1920).</summary>
    public required int FrameSamples { get; init; }

    /// <summary>Audio samples per SEANet step: the product of the ratios (120).</summary>
    public required int HopLength { get; init; }

    /// <summary>SEANet steps per latent frame: the down/upsampling stride (16).</summary>
    public required int StepsPerFrame { get; init; }

    /// <summary>SEANet and transformer width (512; 64 in the tiny model).</summary>
    public required int Dimension { get; init; }

    /// <summary>Latent width after the downsampling convolution: inner_dim, or the dimension (32).</summary>
    public required int LatentDim { get; init; }

    /// <summary>Latent width the decoder takes: the quantizer's dimension (32).</summary>
    public required int QuantizerDim { get; init; }

    /// <summary>Width after the quantizer's projection and before upsampling: outer_dim, or the dimension.</summary>
    public required int OuterDim { get; init; }

    /// <summary>Derives and checks the sizes.</summary>
    /// <exception cref="ArgumentException">The configuration is inconsistent; the message names the fields.</exception>
    public static MimiDimensions From(MimiConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (config.Channels != 1 || config.Seanet.Channels != 1)
            throw new ArgumentException($"Mimi channels ({config.Channels}) and seanet.channels ({config.Seanet.Channels}) must be 1: Pocket TTS is mono.", nameof(config));
        int hop = Seanet.HopLength(config.Seanet);
        double frameSamples = config.SampleRate / config.FrameRate;
        double stride = frameSamples / hop;
        if (hop <= 0 || frameSamples != Math.Floor(frameSamples) || stride != Math.Floor(stride) || stride < 2)
            throw new ArgumentException(
                $"Mimi sample_rate {config.SampleRate} / frame_rate {config.FrameRate} = {frameSamples} samples per frame must be a multiple of " +
                $"the SEANet hop {hop} (the product of the ratios) by an integer stride of at least 2.", nameof(config));
        int dimension = config.Seanet.Dimension;
        int outerDim = config.OuterDim ?? dimension;
        if (config.Quantizer.OutputDimension != outerDim)
            throw new ArgumentException($"Mimi quantizer.output_dimension ({config.Quantizer.OutputDimension}) must equal outer_dim ({outerDim}), the upsampling input.", nameof(config));
        return new MimiDimensions
        {
            FrameSamples = (int)frameSamples,
            HopLength = hop,
            StepsPerFrame = (int)stride,
            Dimension = dimension,
            LatentDim = config.InnerDim ?? dimension,
            QuantizerDim = config.Quantizer.Dimension,
            OuterDim = outerDim,
        };
    }
}
