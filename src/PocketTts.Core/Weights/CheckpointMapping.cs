namespace PocketTts.Weights;

/// <summary>
/// Every difference between checkpoint layouts, settled once at load (<c>pocket_tts/utils/weights_loading.py</c>,
/// documented in tests/Parity/Fixtures/manifests/raw_checkpoint_mapping.md): the published files already use the
/// model layout (<c>flow_lm.*</c>, <c>mimi.*</c>); raw training checkpoints, one for FlowLM and one for Mimi, are
/// renamed, stripped of training-only tensors, and their weight-normed convolutions folded.
/// </summary>
public static class CheckpointMapping
{
    /// <summary>A whole-model file in the published layout, checked to be one.</summary>
    /// <exception cref="InvalidDataException">The file has no <c>flow_lm.*</c>/<c>mimi.*</c> tensors (a raw checkpoint, or something else).</exception>
    public static IWeightSource ToModelLayout(IWeightSource whole)
    {
        ArgumentNullException.ThrowIfNull(whole);
        if (!whole.Names.Any(n => n.StartsWith("flow_lm.", StringComparison.Ordinal) || n.StartsWith("mimi.", StringComparison.Ordinal)))
        {
            throw new InvalidDataException(
                "The weights are not in the Pocket TTS layout (no flow_lm.* or mimi.* tensors). Raw training checkpoints are accepted as two files, " +
                "named by flow_lm.weights_path and mimi.weights_path in the configuration.");
        }
        return whole;
    }

    /// <summary>Combines a raw FlowLM and a raw Mimi training checkpoint into the model layout.</summary>
    public static InMemoryWeights FromRawCheckpoints(IWeightSource flowLm, IWeightSource mimi)
    {
        ArgumentNullException.ThrowIfNull(flowLm);
        ArgumentNullException.ThrowIfNull(mimi);
        var result = new InMemoryWeights();
        foreach (var (name, tensor) in MapFlowLm(flowLm))
            result.Add("flow_lm." + name, tensor);
        foreach (var (name, tensor) in MapMimi(mimi))
            result.Add("mimi." + name, tensor);
        return result;
    }

    /// <summary><c>get_flow_lm_state_dict</c>: names relative to <c>flow_lm</c>.</summary>
    public static IEnumerable<(string Name, WeightTensor Tensor)> MapFlowLm(IWeightSource raw)
    {
        ArgumentNullException.ThrowIfNull(raw);
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
            yield return (name.Replace(".self_attn.in_proj_weight", ".self_attn.in_proj.weight", StringComparison.Ordinal), tensor);
        }
    }

    /// <summary><c>get_mimi_state_dict</c>: names relative to <c>mimi</c>, weight norm folded.</summary>
    /// <exception cref="InvalidDataException">A <c>weight_g</c> has no <c>weight_v</c>, or their shapes disagree.</exception>
    public static IEnumerable<(string Name, WeightTensor Tensor)> MapMimi(IWeightSource raw)
    {
        ArgumentNullException.ThrowIfNull(raw);
        foreach (string key in raw.Names.Order(StringComparer.Ordinal))
        {
            if (key.StartsWith("model.quantizer.vq.", StringComparison.Ordinal)
                || key.Contains("_codebook", StringComparison.Ordinal)
                || key.EndsWith(".weight_v", StringComparison.Ordinal)
                || key.Contains("wavlm_emb_downsample", StringComparison.Ordinal)
                || key is "model.quantizer.logvar_proj.weight" or "quantizer.logvar_proj.weight" or "quantizer.logvar_param"
                    or "wavlm_input_resample.kernel" or "wavlm_proj.weight")
            {
                continue;
            }
            raw.TryGet(key, out WeightTensor tensor);
            if (key.EndsWith(".weight_g", StringComparison.Ordinal))
            {
                string stem = key[..^"_g".Length];
                if (!raw.TryGet(stem + "_v", out WeightTensor v))
                    throw new InvalidDataException($"Weight-normed tensor '{key}' has no '{stem}_v'.");
                yield return (Collapse(stem), FoldWeightNorm(tensor, v, Collapse(stem)));
                continue;
            }
            string name = key.StartsWith("model.", StringComparison.Ordinal) ? key["model.".Length..] : key;
            yield return (Collapse(name).Replace("in_proj_weight", "in_proj.weight", StringComparison.Ordinal), tensor);
        }
    }

    private static string Collapse(string name) =>
        name.Replace(".conv.conv.", ".conv.", StringComparison.Ordinal).Replace(".convtr.convtr.", ".convtr.", StringComparison.Ordinal);

    /// <summary>torch._weight_norm(v, g, dim=0): v · g / ‖v‖, the norm over every dimension but the first.</summary>
    private static WeightTensor FoldWeightNorm(WeightTensor g, WeightTensor v, string name)
    {
        float[] gs = WeightConversion.ToFloat32(g);
        float[] vs = WeightConversion.ToFloat32(v);
        int rows = v.Shape[0];
        if (gs.Length != rows || vs.Length % rows != 0)
            throw new InvalidDataException($"Weight norm of '{name}': weight_g {g.ShapeText} does not match weight_v {v.ShapeText}.");
        int per = vs.Length / rows;
        var folded = new float[vs.Length];
        for (int r = 0; r < rows; r++)
        {
            double norm = 0;
            for (int i = 0; i < per; i++)
                norm += (double)vs[r * per + i] * vs[r * per + i];
            float scale = (float)(gs[r] / Math.Sqrt(norm));
            for (int i = 0; i < per; i++)
                folded[r * per + i] = vs[r * per + i] * scale;
        }
        return new WeightTensor(name, TensorDType.F32, (int[])v.Shape.Clone(), System.Runtime.InteropServices.MemoryMarshal.AsBytes(folded.AsSpan()).ToArray());
    }
}
