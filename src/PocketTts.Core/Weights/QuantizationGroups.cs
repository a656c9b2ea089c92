namespace PocketTts.Weights;

/// <summary>
/// The layer groups of FlowLM that int8 quantization may convert, as in the reference's
/// <c>pocket_tts/quantization.py</c> (<c>apply_dynamic_int8</c>). Everything else (KV cache, norms, conditioner, EOS
/// head, all of Mimi) stays float32.
/// </summary>
[Flags]
public enum QuantizationGroups
{
    /// <summary>Nothing is quantized.</summary>
    None = 0,

    /// <summary>Attention projections of every FlowLM transformer layer: <c>self_attn.in_proj</c> and <c>self_attn.out_proj</c>.</summary>
    Attention = 1,

    /// <summary>Feed-forward layers of every FlowLM transformer layer: <c>linear1</c> and <c>linear2</c>.</summary>
    Ffn = 2,

    /// <summary>Every linear layer of the flow net (<c>flow_lm.flow_net.*</c>).</summary>
    FlowNet = 4,

    /// <summary>What the reference's <c>quantize=True</c> converts (<c>RECOMMENDED_CONFIG</c>): attention and feed-forward.</summary>
    Recommended = Attention | Ffn,
}

/// <summary>Which checkpoint keys a <see cref="QuantizationGroups"/> selects.</summary>
public static class QuantizationGroupKeys
{
    private const string LayersPrefix = "flow_lm.transformer.layers.";
    private const string FlowNetPrefix = "flow_lm.flow_net.";

    /// <summary>
    /// True when the weight matrix <paramref name="key"/> (a model-layout key such as
    /// <c>flow_lm.transformer.layers.0.linear1.weight</c>) belongs to one of <paramref name="groups"/>. Only
    /// rank-2 <c>.weight</c> tensors are linear weights; the caller checks the rank.
    /// </summary>
    public static bool Selects(this QuantizationGroups groups, string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.StartsWith(FlowNetPrefix, StringComparison.Ordinal))
            return groups.HasFlag(QuantizationGroups.FlowNet) && key.EndsWith(".weight", StringComparison.Ordinal);
        if (!key.StartsWith(LayersPrefix, StringComparison.Ordinal))
            return false;
        int dot = key.IndexOf('.', LayersPrefix.Length);
        if (dot <= LayersPrefix.Length || key.AsSpan(LayersPrefix.Length, dot - LayersPrefix.Length).ContainsAnyExceptInRange('0', '9'))
            return false;
        return key.AsSpan(dot + 1) switch
        {
            "self_attn.in_proj.weight" or "self_attn.out_proj.weight" => groups.HasFlag(QuantizationGroups.Attention),
            "linear1.weight" or "linear2.weight" => groups.HasFlag(QuantizationGroups.Ffn),
            _ => false,
        };
    }

    /// <summary>The reference's names of the groups (<c>attention</c>, <c>ffn</c>, <c>flow_net</c>).</summary>
    public static IReadOnlyList<string> Names(this QuantizationGroups groups)
    {
        var names = new List<string>(3);
        if (groups.HasFlag(QuantizationGroups.Attention))
            names.Add("attention");
        if (groups.HasFlag(QuantizationGroups.Ffn))
            names.Add("ffn");
        if (groups.HasFlag(QuantizationGroups.FlowNet))
            names.Add("flow_net");
        return names;
    }
}
