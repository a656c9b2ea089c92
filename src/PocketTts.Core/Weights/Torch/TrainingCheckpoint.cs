namespace PocketTts.Weights.Torch;

/// <summary>
/// A training checkpoint (<c>.pt</c>) as the reference's <c>--checkpoint</c> reads it
/// (<c>get_training_checkpoint_state_dicts</c>, pocket_tts/utils/weights_loading.py): the trainable model under
/// <c>"model"</c>, keyed <c>flow_lm.*</c> and <c>mimi.*</c> like a whole-model file, and, when the run tracked one, its
/// EMA shadow under <c>"ema"</c>, laid over the model's weights (the shadow covers only the parameters the run
/// trained). Training freezes Mimi and may not checkpoint it: its weights then come from a whole-model file.
/// </summary>
public static class TrainingCheckpoint
{
    private const string FlowLmPrefix = "flow_lm.";
    private const string MimiPrefix = "mimi.";

    /// <summary>Whether a checkpoint carries Mimi weights of its own (else <see cref="WriteModelFile"/> needs a whole-model file).</summary>
    /// <exception cref="InvalidDataException">The file is not a training checkpoint; the message says why.</exception>
    public static bool HasMimi(string checkpointPath)
    {
        using TorchCheckpointFile file = TorchCheckpointFile.Open(checkpointPath);
        return Weights(file, checkpointPath, useEma: true).Any(p => p.Key.StartsWith(MimiPrefix, StringComparison.Ordinal));
    }

    /// <summary>
    /// Writes the checkpoint's weights as a whole-model safetensors file (the layout of the published
    /// <c>model.safetensors</c>), which every backend loads like the published weights.
    /// </summary>
    /// <param name="checkpointPath">The <c>.pt</c> file written by training.</param>
    /// <param name="mimiWeightsPath">A whole-model file whose <c>mimi.*</c> tensors are used when the checkpoint has none
    /// (or fill what it lacks); null when the checkpoint carries Mimi.</param>
    /// <param name="outputPath">Where to write the file (replaced atomically).</param>
    /// <param name="useEma">Lay the EMA shadow over the model's weights when the checkpoint has one (the reference's default).</param>
    /// <exception cref="InvalidDataException">The checkpoint is malformed, holds no FlowLM weights, or has no Mimi and
    /// no <paramref name="mimiWeightsPath"/> was given.</exception>
    public static void WriteModelFile(string checkpointPath, string? mimiWeightsPath, string outputPath, bool useEma = true)
    {
        ArgumentException.ThrowIfNullOrEmpty(checkpointPath);
        ArgumentException.ThrowIfNullOrEmpty(outputPath);
        using TorchCheckpointFile file = TorchCheckpointFile.Open(checkpointPath);
        List<KeyValuePair<string, TorchTensorRef>> weights = Weights(file, checkpointPath, useEma);
        if (!weights.Any(p => p.Key.StartsWith(FlowLmPrefix, StringComparison.Ordinal)))
            throw new InvalidDataException($"{checkpointPath}: no flow_lm.* weights in its 'model'.");

        var writer = new SafeTensorsWriter();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach ((string name, TorchTensorRef tensor) in weights)
        {
            if (name.StartsWith(FlowLmPrefix, StringComparison.Ordinal) || name.StartsWith(MimiPrefix, StringComparison.Ordinal))
            {
                writer.Add(file.Tensor(name, tensor));
                names.Add(name);
            }
        }
        if (mimiWeightsPath is not null)
        {
            using SafeTensorsFile bundle = SafeTensorsFile.Open(mimiWeightsPath);
            foreach (string name in bundle.Names.Where(n => n.StartsWith(MimiPrefix, StringComparison.Ordinal) && !names.Contains(n)))
                writer.Add(bundle[name]);
            writer.Save(outputPath);
            return;
        }
        if (!names.Any(n => n.StartsWith(MimiPrefix, StringComparison.Ordinal)))
            throw new InvalidDataException($"{checkpointPath}: no mimi.* weights (training freezes Mimi); give a whole-model file to take them from.");
        writer.Save(outputPath);
    }

    // "model" with "ema" laid over it, in the model's order (a key the shadow adds goes last, as {**model, **ema}).
    private static List<KeyValuePair<string, TorchTensorRef>> Weights(TorchCheckpointFile file, string path, bool useEma)
    {
        if (file.Content is not PickleDict payload)
            throw new InvalidDataException($"{path}: not a training checkpoint (it holds no dict of state dicts).");
        PickleDict model = payload.Get("model") as PickleDict ?? throw new InvalidDataException($"{path}: holds no 'model' weights.");
        var merged = new PickleDict();
        foreach ((object key, object? value) in model.Items)
            merged.Set(key, value);
        if (useEma && payload.Get("ema") is PickleDict { Items.Count: > 0 } ema)
        {
            foreach ((object key, object? value) in ema.Items)
                merged.Set(key, value);
        }
        return [.. merged.Items.Select(p => new KeyValuePair<string, TorchTensorRef>(
            p.Key as string ?? throw new InvalidDataException($"{path}: a weight name is not a string."),
            p.Value as TorchTensorRef ?? throw new InvalidDataException($"{path}: '{p.Key}' is not a tensor.")))];
    }
}
