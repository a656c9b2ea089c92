namespace PocketTts.Stages;

/// <summary>The Mimi encoder: 24 kHz mono audio → latents at 12.5 Hz (SEANet, transformer, downsample).</summary>
public interface IMimiEncoderStage : IModelStage
{
    /// <summary>Latent width (32).</summary>
    int LatentDim { get; }

    /// <summary>Audio samples per latent frame (1920).</summary>
    int FrameSamples { get; }

    /// <summary>Number of latent frames for <paramref name="samples"/> samples (the audio is zero-padded to whole frames).</summary>
    int LatentFrames(int samples);

    /// <summary>Encodes audio into <paramref name="latents"/> [LatentFrames(audio.Length), LatentDim].</summary>
    /// <exception cref="ArgumentException">The audio is empty or the destination has the wrong size.</exception>
    void Encode(ReadOnlySpan<float> audio, Span<float> latents);
}
