using PocketTts.Tensors;

namespace PocketTts.Weights;

/// <summary>
/// Loads the <c>nn.Linear</c> weights of one layer, float or int8: a float <c>name.weight</c> [out, in] is returned
/// as it is, or quantized here when asked (<c>--quantize</c>); an I8 <c>name.weight</c> (a file written by
/// <c>pocket-tts quantize</c>) comes with <c>name.weight_scale</c> [out] and is returned as int8 whatever was asked,
/// since its float values are gone. The bias, when present, is always float.
/// </summary>
public static class LinearWeightsLoader
{
    /// <summary>Loads <c>name.weight</c> (and <c>name.weight_scale</c>, <c>name.bias</c>) from <paramref name="scope"/>.</summary>
    /// <param name="scope">The module's scope, e.g. <c>flow_lm.transformer.layers.0</c>.</param>
    /// <param name="name">The layer, e.g. <c>linear1</c>.</param>
    /// <param name="outFeatures">Rows of the weight.</param>
    /// <param name="inFeatures">Columns of the weight.</param>
    /// <param name="hasBias">Whether <c>name.bias</c> [out] exists.</param>
    /// <param name="quantize">Quantize float weights to int8 at load.</param>
    /// <exception cref="InvalidDataException">A tensor is missing, mis-shaped, of the wrong type, or a scale is not a positive finite number.</exception>
    public static LinearWeights Load(WeightScope scope, string name, int outFeatures, int inFeatures, bool hasBias, bool quantize)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentException.ThrowIfNullOrEmpty(name);
        string weightName = name + ".weight";
        WeightTensor weight = scope.Get(weightName, outFeatures, inFeatures);
        ReadOnlyMemory<float> bias = hasBias ? scope.GetFloats(name + ".bias", outFeatures) : ReadOnlyMemory<float>.Empty;
        if (weight.DType == TensorDType.I8)
        {
            string scaleName = weightName + WeightQuantizer.ScaleSuffix;
            float[] scales = scope.GetFloats(scaleName, outFeatures);
            for (int o = 0; o < scales.Length; o++)
            {
                if (!(scales[o] > 0) || !float.IsFinite(scales[o]))
                    throw new InvalidDataException($"Tensor '{scope.Prefix}{scaleName}' holds {scales[o]} at row {o}; scales must be positive and finite.");
            }
            return new LinearWeights
            {
                OutFeatures = outFeatures,
                InFeatures = inFeatures,
                QuantizedWeight = WeightConversion.ToInt8(weight),
                Scales = scales,
                Bias = bias,
            };
        }
        var floats = new LinearWeights
        {
            OutFeatures = outFeatures,
            InFeatures = inFeatures,
            Weight = WeightConversion.ToFloat32(weight),
            Bias = bias,
        };
        if (!quantize)
            return floats;
        try
        {
            return WeightQuantizer.Quantize(floats);
        }
        catch (ArgumentException ex)
        {
            throw new InvalidDataException($"Tensor '{scope.Prefix}{weightName}': {ex.Message}", ex);
        }
    }
}
