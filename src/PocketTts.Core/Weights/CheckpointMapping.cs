using System.Runtime.InteropServices;

namespace PocketTts.Weights;

/// <summary>
/// Every difference between checkpoint layouts, settled once at load (<c>pocket_tts/utils/weights_loading.py</c>,
/// documented in tests/Parity/Fixtures/manifests/raw_checkpoint_mapping.md): the published files already use the
/// model layout (<c>flow_lm.*</c>, <c>mimi.*</c>); raw training checkpoints, one for FlowLM and one for Mimi, are
/// renamed, stripped of training-only tensors, and their weight-normed convolutions folded. Tensors that need no
/// change are views of the source, which must stay open while the result is used.
/// </summary>
public static class CheckpointMapping
{
    private const string FlowLmPrefix = "flow_lm.";
    private const string MimiPrefix = "mimi.";
    private const string ModelPrefix = "model.";

    // First key segments that only one kind of raw checkpoint has (Mimi keys are compared without "model.").
    private static readonly HashSet<string> FlowLmRoots = new(StringComparer.Ordinal)
    {
        "flow_net", "flow", "condition_provider", "conditioner", "fuser", "transformer", "input_linear", "out_norm", "out_eos",
        "emb_std", "emb_mean", "bos_emb", "bos_before_voice", "speaker_proj_weight", "num_ema_updates",
    };

    private static readonly HashSet<string> MimiRoots = new(StringComparer.Ordinal)
    {
        "encoder", "decoder", "encoder_transformer", "decoder_transformer", "quantizer", "downsample", "upsample",
        "encoder_codebook_stats", "wavlm_emb_downsample", "wavlm_input_resample", "wavlm_proj",
    };

    /// <summary>Which layout <paramref name="source"/> uses, from its key names.</summary>
    /// <exception cref="InvalidDataException">The names fit no layout or mix several; the message shows examples.</exception>
    public static CheckpointLayout Detect(IWeightSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        string? model = null, other = null, flowLm = null, mimi = null;
        foreach (string name in source.Names)
        {
            if (name.StartsWith(FlowLmPrefix, StringComparison.Ordinal) || name.StartsWith(MimiPrefix, StringComparison.Ordinal))
                model ??= name;
            else
                other ??= name;
            string unprefixed = name.StartsWith(ModelPrefix, StringComparison.Ordinal) ? name[ModelPrefix.Length..] : name;
            string root = name.Split('.')[0];
            if (FlowLmRoots.Contains(root))
                flowLm ??= name;
            else if (MimiRoots.Contains(unprefixed.Split('.')[0]))
                mimi ??= name;
        }
        if (model is not null && other is null)
            return CheckpointLayout.Model;
        if (model is not null)
            throw new InvalidDataException($"The weights mix the model layout ('{model}') with other keys ('{other}'); a model file has only flow_lm.* and mimi.* tensors.");
        if (flowLm is not null && mimi is not null)
            throw new InvalidDataException($"The weights mix a raw FlowLM checkpoint ('{flowLm}') and a raw Mimi checkpoint ('{mimi}'); give them as two files.");
        if (flowLm is not null)
            return CheckpointLayout.RawFlowLm;
        if (mimi is not null)
            return CheckpointLayout.RawMimi;
        throw new InvalidDataException(
            other is null
                ? "The weights hold no tensors."
                : $"The weights are not a Pocket TTS checkpoint (no flow_lm.* or mimi.* tensors, nor those of a raw training checkpoint; first key '{other}').");
    }

    /// <summary>
    /// <paramref name="source"/> in the model layout: a model file as it is, a raw FlowLM checkpoint as the
    /// <c>flow_lm.*</c> tensors and a raw Mimi checkpoint as the <c>mimi.*</c> tensors of a model file.
    /// </summary>
    /// <exception cref="InvalidDataException">The layout is not recognised, or a raw checkpoint is inconsistent.</exception>
    public static IWeightSource ToModelLayout(IWeightSource source) => Detect(source) switch
    {
        CheckpointLayout.RawFlowLm => Prefixed(FlowLmPrefix, MapFlowLm(source)),
        CheckpointLayout.RawMimi => Prefixed(MimiPrefix, MapMimi(source)),
        _ => source,
    };

    /// <summary>Combines a raw FlowLM and a raw Mimi training checkpoint into the whole model's layout.</summary>
    /// <exception cref="InvalidDataException">A file is not the raw checkpoint it should be (the message says which), or is inconsistent.</exception>
    public static InMemoryWeights FromRawCheckpoints(IWeightSource flowLm, IWeightSource mimi)
    {
        ArgumentNullException.ThrowIfNull(flowLm);
        ArgumentNullException.ThrowIfNull(mimi);
        CheckpointLayout flowLayout = Detect(flowLm), mimiLayout = Detect(mimi);
        if (flowLayout != CheckpointLayout.RawFlowLm || mimiLayout != CheckpointLayout.RawMimi)
        {
            throw new InvalidDataException(
                $"Expected a raw FlowLM and a raw Mimi checkpoint (flow_lm.weights_path, mimi.weights_path) but got a {Describe(flowLayout)} and a {Describe(mimiLayout)}.");
        }
        var result = new InMemoryWeights();
        foreach (var (name, tensor) in MapFlowLm(flowLm))
            result.Add(FlowLmPrefix + name, tensor);
        foreach (var (name, tensor) in MapMimi(mimi))
            result.Add(MimiPrefix + name, tensor);
        return result;
    }

    /// <summary><c>get_flow_lm_state_dict</c>: drops training-only tensors and renames; names relative to <c>flow_lm</c>.</summary>
    /// <exception cref="InvalidDataException">Two keys map to the same name.</exception>
    public static IEnumerable<(string Name, WeightTensor Tensor)> MapFlowLm(IWeightSource raw)
    {
        ArgumentNullException.ThrowIfNull(raw);
        return Distinct(MapFlowLmKeys(raw));
    }

    /// <summary>
    /// <c>get_mimi_state_dict</c>: drops training-only tensors, folds weight norm and renames; names relative to
    /// <c>mimi</c>.
    /// </summary>
    /// <exception cref="InvalidDataException">A <c>weight_g</c> and <c>weight_v</c> do not pair up, or two keys map to the same name.</exception>
    public static IEnumerable<(string Name, WeightTensor Tensor)> MapMimi(IWeightSource raw)
    {
        ArgumentNullException.ThrowIfNull(raw);
        return Distinct(MapMimiKeys(raw));
    }

    private static IEnumerable<(string Name, string Key, WeightTensor Tensor)> MapFlowLmKeys(IWeightSource raw)
    {
        foreach (string key in raw.Names.Order(StringComparer.Ordinal))
        {
            if (key.StartsWith("flow.w_s_t.", StringComparison.Ordinal)
                || key is "condition_provider.conditioners.transcript_in_segment.learnt_padding"
                    or "condition_provider.conditioners.speaker_wavs.learnt_padding"
                    or "num_ema_updates")
            {
                continue;
            }
            string name = key switch
            {
                "condition_provider.conditioners.transcript_in_segment.embed.weight" => "conditioner.embed.weight",
                "condition_provider.conditioners.speaker_wavs.output_proj.weight" => "speaker_proj_weight",
                "fuser.padding_value" => "bos_before_voice",
                _ => key,
            };
            raw.TryGet(key, out WeightTensor tensor);
            yield return (name.Replace(".self_attn.in_proj_weight", ".self_attn.in_proj.weight", StringComparison.Ordinal), key, tensor);
        }
    }

    private static IEnumerable<(string Name, string Key, WeightTensor Tensor)> MapMimiKeys(IWeightSource raw)
    {
        foreach (string key in raw.Names.Order(StringComparer.Ordinal))
        {
            if (key.EndsWith(".weight_v", StringComparison.Ordinal))
            {
                // Consumed with its weight_g below; alone it would silently leave the convolution without a weight.
                string g = key[..^"_v".Length] + "_g";
                if (!IsDroppedMimiKey(key) && !raw.TryGet(g, out _))
                    throw new InvalidDataException($"Weight-normed tensor '{key}' has no '{g}'.");
                continue;
            }
            if (IsDroppedMimiKey(key))
                continue;
            raw.TryGet(key, out WeightTensor tensor);
            if (key.EndsWith(".weight_g", StringComparison.Ordinal))
            {
                // The reference keeps a leading "model." on this path (it only strips it from plain keys).
                string stem = key[..^"_g".Length];
                if (!raw.TryGet(stem + "_v", out WeightTensor v))
                    throw new InvalidDataException($"Weight-normed tensor '{key}' has no '{stem}_v'.");
                string name = CollapseConvNames(stem);
                yield return (name, key, FoldWeightNorm(tensor, v, name));
                continue;
            }
            string plain = key.StartsWith(ModelPrefix, StringComparison.Ordinal) ? key[ModelPrefix.Length..] : key;
            yield return (CollapseConvNames(plain).Replace("in_proj_weight", "in_proj.weight", StringComparison.Ordinal), key, tensor);
        }
    }

    private static bool IsDroppedMimiKey(string key) =>
        key.StartsWith("model.quantizer.vq.", StringComparison.Ordinal)
        || key.Contains("_codebook", StringComparison.Ordinal)
        || key.Contains("wavlm_emb_downsample", StringComparison.Ordinal)
        || key is "model.quantizer.logvar_proj.weight" or "quantizer.logvar_proj.weight" or "quantizer.logvar_param"
            or "wavlm_input_resample.kernel" or "wavlm_proj.weight";

    // The streaming wrappers of the training code nest one module deeper than the model's; every occurrence is
    // collapsed once, so the resampling convolutions' triple nesting becomes double (downsample.conv.conv.weight).
    private static string CollapseConvNames(string name) =>
        name.Replace(".conv.conv.", ".conv.", StringComparison.Ordinal).Replace(".convtr.convtr.", ".convtr.", StringComparison.Ordinal);

    private static IEnumerable<(string Name, WeightTensor Tensor)> Distinct(IEnumerable<(string Name, string Key, WeightTensor Tensor)> mapped)
    {
        var sources = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, key, tensor) in mapped)
        {
            if (!sources.TryAdd(name, key))
                throw new InvalidDataException($"Raw checkpoint keys '{sources[name]}' and '{key}' both map to '{name}'.");
            yield return (name, tensor);
        }
    }

    private static InMemoryWeights Prefixed(string prefix, IEnumerable<(string Name, WeightTensor Tensor)> mapped)
    {
        var result = new InMemoryWeights();
        foreach (var (name, tensor) in mapped)
            result.Add(prefix + name, tensor);
        return result;
    }

    private static string Describe(CheckpointLayout layout) => layout switch
    {
        CheckpointLayout.RawFlowLm => "raw FlowLM checkpoint",
        CheckpointLayout.RawMimi => "raw Mimi checkpoint",
        _ => "whole-model file",
    };

    /// <summary>
    /// <c>torch._weight_norm(v, g, dim=0)</c> = <c>v · (g / ‖v‖)</c> with the norm over every dimension but the first
    /// (per output channel of a convolution [out, in, k], per input channel of a transposed one [in, out, k]).
    /// The norm and the factor are computed in double and each weight rounded once: torch sums in float32 in an order
    /// that depends on its SIMD width, so no float32 order matches it everywhere; this is within 1 ulp of it and
    /// of the weights the raw checkpoint was made from (fixture README: 1.2e-7).
    /// </summary>
    private static WeightTensor FoldWeightNorm(WeightTensor g, WeightTensor v, string name)
    {
        float[] gs = WeightConversion.ToFloat32(g);
        float[] vs = WeightConversion.ToFloat32(v);
        int rows = v.Shape.Length == 0 ? 0 : v.Shape[0];
        if (rows == 0 || gs.Length != rows || vs.Length % rows != 0)
            throw new InvalidDataException($"Weight norm of '{name}': weight_g {g.ShapeText} does not give one gain per slice of weight_v {v.ShapeText} along dimension 0.");
        int per = vs.Length / rows;
        var folded = new float[vs.Length];
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<float> row = vs.AsSpan(r * per, per);
            double sum = 0;
            foreach (float x in row)
                sum += (double)x * x;
            double scale = gs[r] / Math.Sqrt(sum);
            Span<float> target = folded.AsSpan(r * per, per);
            for (int i = 0; i < per; i++)
                target[i] = (float)(row[i] * scale);
        }
        return new WeightTensor(name, TensorDType.F32, (int[])v.Shape.Clone(), MemoryMarshal.AsBytes(folded.AsSpan()).ToArray());
    }
}
