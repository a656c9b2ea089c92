namespace PocketTts.Stages;

/// <summary>
/// The argument checks of the stage contract, shared by every implementation (the engine's stages and a graph
/// backend's), so that a wrong call gets the same clear message whichever backend runs it.
/// </summary>
public static class StageArguments
{
    /// <summary>
    /// The state as the stage's own state type, when <paramref name="ownerOf"/> says <paramref name="owner"/> created it.
    /// Pass a static lambda: a step must not allocate.
    /// </summary>
    /// <exception cref="ArgumentException">The state is of another type or was created by another stage.</exception>
    public static TState Own<TState>(IStageState state, object owner, Func<TState, object> ownerOf, string stage)
        where TState : class, IStageState
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(ownerOf);
        return state is TState own && ownerOf(own) == owner
            ? own
            : throw new ArgumentException($"The state was not created by this {stage} stage.", nameof(state));
    }

    /// <summary>Checks token ids and the destination of <see cref="ITextConditionerStage.Embed"/>.</summary>
    /// <exception cref="ArgumentException">The destination is not [ids, EmbeddingDim].</exception>
    /// <exception cref="ArgumentOutOfRangeException">An id is outside the table.</exception>
    public static void Embed(ITextConditionerStage stage, ReadOnlySpan<int> tokenIds, Span<float> embeddings)
    {
        ArgumentNullException.ThrowIfNull(stage);
        int width = stage.EmbeddingDim, rows = stage.TableRows;
        if (embeddings.Length != tokenIds.Length * width)
            throw new ArgumentException($"{tokenIds.Length} ids need {tokenIds.Length * width} values ([ids, {width}]); the destination holds {embeddings.Length}.", nameof(embeddings));
        foreach (int id in tokenIds)
        {
            if ((uint)id >= (uint)rows)
                throw new ArgumentOutOfRangeException(nameof(tokenIds), id, $"Token id {id} is outside the table of {rows} rows (0 … {rows - 1}).");
        }
    }

    /// <summary>Checks the audio and destination of <see cref="IMimiEncoderStage.Encode"/> and returns the number of latent frames.</summary>
    /// <exception cref="ArgumentException">The audio is empty or the destination has the wrong size.</exception>
    public static int Encode(IMimiEncoderStage stage, ReadOnlySpan<float> audio, Span<float> latents)
    {
        ArgumentNullException.ThrowIfNull(stage);
        if (audio.IsEmpty)
            throw new ArgumentException("The audio is empty: encoding needs at least one sample.", nameof(audio));
        int frames = stage.LatentFrames(audio.Length);
        if (latents.Length != frames * stage.LatentDim)
            throw new ArgumentException($"The latents destination holds {latents.Length} values; {audio.Length} samples give {frames} frames × {stage.LatentDim} = {frames * stage.LatentDim}.", nameof(latents));
        return frames;
    }

    /// <summary>Checks the latent and destination of <see cref="IMimiDecoderStage.DecodeFrame"/>.</summary>
    /// <exception cref="ArgumentException">A span has the wrong length.</exception>
    public static void DecodeFrame(IMimiDecoderStage stage, ReadOnlySpan<float> latent, Span<float> audio)
    {
        ArgumentNullException.ThrowIfNull(stage);
        if (latent.Length != stage.LatentDim)
            throw new ArgumentException($"The latent has {latent.Length} values, expected {stage.LatentDim}.", nameof(latent));
        if (audio.Length != stage.FrameSamples)
            throw new ArgumentException($"The audio destination holds {audio.Length} samples, expected {stage.FrameSamples}.", nameof(audio));
    }

    /// <summary>Checks a snapshot against the stage's shape and the capacity asked for, as <see cref="IFlowLmStage.CreateState(FlowLmSnapshot, int)"/> requires.</summary>
    /// <exception cref="ArgumentException">The snapshot has other layers, heads or head size.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The capacity cannot hold the snapshot.</exception>
    public static void Snapshot(IFlowLmStage stage, FlowLmSnapshot snapshot, int capacity)
    {
        ArgumentNullException.ThrowIfNull(stage);
        ArgumentNullException.ThrowIfNull(snapshot);
        if (snapshot.Layers != stage.Layers || snapshot.Heads != stage.Heads || snapshot.HeadDim != stage.HeadDim)
        {
            throw new ArgumentException(
                $"The snapshot has {snapshot.Layers} layers × {snapshot.Heads} heads × {snapshot.HeadDim} features; this model has {stage.Layers} × {stage.Heads} × {stage.HeadDim}.",
                nameof(snapshot));
        }
        if (capacity < snapshot.Offset)
            throw new ArgumentOutOfRangeException(nameof(capacity), $"Capacity {capacity} cannot hold the snapshot's {snapshot.Offset} positions.");
    }

    /// <summary>
    /// Checks voice latents [frames, <paramref name="latentWidth"/>] and the destination of
    /// <see cref="IFlowLmStage.ConditionVoice"/> and returns the number of frames.
    /// </summary>
    /// <exception cref="ArgumentException">A span has the wrong length.</exception>
    public static int ConditionVoice(IFlowLmStage stage, int latentWidth, ReadOnlySpan<float> latents, Span<float> conditioning)
    {
        ArgumentNullException.ThrowIfNull(stage);
        if (latents.Length % latentWidth != 0)
            throw new ArgumentException($"Voice latents hold {latents.Length} values, not whole frames of {latentWidth}.", nameof(latents));
        int frames = latents.Length / latentWidth, rows = stage.VoicePromptRows(frames);
        if (conditioning.Length != rows * stage.ModelDim)
            throw new ArgumentException($"The voice prompt of {frames} frames is [{rows}, {stage.ModelDim}] ({rows * stage.ModelDim} values); the destination holds {conditioning.Length}.", nameof(conditioning));
        return frames;
    }

    /// <summary>
    /// Checks the rows and the destination of <see cref="IFlowLmStage.Prompt"/> and returns the number of rows (whether
    /// they fit the state is the state's to say).
    /// </summary>
    /// <exception cref="ArgumentException">A span has the wrong length.</exception>
    public static int Prompt(IFlowLmStage stage, ReadOnlySpan<float> conditioning, Span<float> lastHidden)
    {
        ArgumentNullException.ThrowIfNull(stage);
        int width = stage.ModelDim;
        if (conditioning.IsEmpty || conditioning.Length % width != 0)
            throw new ArgumentException($"A prompt is [rows ≥ 1, {width}]; got {conditioning.Length} values.", nameof(conditioning));
        LengthOrEmpty(lastHidden.Length, width, nameof(lastHidden));
        return conditioning.Length / width;
    }

    /// <summary>Checks the spans and the LSD step count of <see cref="IFlowLmStage.SampleNextLatent"/>.</summary>
    /// <exception cref="ArgumentException">A span has the wrong length.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="lsdSteps"/> is less than 1.</exception>
    public static void SampleNextLatent(IFlowLmStage stage, ReadOnlySpan<float> inputLatent, ReadOnlySpan<float> noise, int lsdSteps, Span<float> outputLatent, Span<float> hidden)
    {
        ArgumentNullException.ThrowIfNull(stage);
        Length(inputLatent.Length, stage.LatentDim, nameof(inputLatent));
        Length(noise.Length, stage.LatentDim, nameof(noise));
        Length(outputLatent.Length, stage.LatentDim, nameof(outputLatent));
        LengthOrEmpty(hidden.Length, stage.ModelDim, nameof(hidden));
        ArgumentOutOfRangeException.ThrowIfLessThan(lsdSteps, 1);
    }

    private static void Length(int length, int expected, string name)
    {
        if (length != expected)
            throw new ArgumentException($"{name} must hold {expected} values, got {length}.", name);
    }

    private static void LengthOrEmpty(int length, int expected, string name)
    {
        if (length != 0 && length != expected)
            throw new ArgumentException($"{name} must be empty or hold {expected} values, got {length}.", name);
    }
}
