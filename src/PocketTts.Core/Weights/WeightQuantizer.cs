using System.Text.Json;
using PocketTts.Tensors;

namespace PocketTts.Weights;

/// <summary>
/// Symmetric int8 weight quantization with one scale per output channel, done once (by <c>pocket-tts quantize</c>
/// or at load with <c>--quantize</c>): for row o of W [out, in], <c>scale[o] = max|W[o, :]| / 127</c> and
/// <c>q[o, i] = round(W[o, i] / scale[o])</c> (half to even), so <c>W ≈ q · scale</c> within <c>scale / 2</c> per
/// element. An all-zero row gets scale 1 and zeros. In a file, the int8 matrix keeps the float weight's key
/// (<c>flow_lm.transformer.layers.0.linear1.weight</c>, I8) and its scales follow as <c>key</c> +
/// <see cref="ScaleSuffix"/> (F32 [out]); the header's <c>__metadata__</c> says so under <see cref="MetadataKey"/>.
/// </summary>
public static class WeightQuantizer
{
    /// <summary>Suffix of the scale tensor's key: <c>….linear1.weight</c> → <c>….linear1.weight_scale</c>.</summary>
    public const string ScaleSuffix = "_scale";

    /// <summary><c>__metadata__</c> key of the JSON that describes a quantized file (see <see cref="MetadataJson"/>).</summary>
    public const string MetadataKey = "quantization";

    private const int QMax = 127;

    /// <summary>Quantizes a row-major [<paramref name="outFeatures"/>, <paramref name="inFeatures"/>] matrix.</summary>
    /// <exception cref="ArgumentException">A span has the wrong length, or a row holds NaN or infinity.</exception>
    public static void Quantize(ReadOnlySpan<float> weight, int outFeatures, int inFeatures, Span<sbyte> quantized, Span<float> scales)
    {
        CheckLengths(weight.Length, quantized.Length, scales.Length, outFeatures, inFeatures);
        for (int o = 0; o < outFeatures; o++)
        {
            ReadOnlySpan<float> row = weight.Slice(o * inFeatures, inFeatures);
            Span<sbyte> q = quantized.Slice(o * inFeatures, inFeatures);
            float maxAbs = 0;
            foreach (float w in row)
            {
                if (!float.IsFinite(w))
                    throw new ArgumentException($"Row {o} of the weight holds {w}; only finite weights can be quantized.", nameof(weight));
                maxAbs = MathF.Max(maxAbs, MathF.Abs(w));
            }
            float scale = maxAbs / QMax;
            if (!(scale > 0))
            {
                // An all-zero row (or one so small that its scale underflows): zeros reproduce it within any bound.
                scales[o] = 1;
                q.Clear();
                continue;
            }
            scales[o] = scale;
            for (int i = 0; i < row.Length; i++)
                q[i] = (sbyte)Math.Clamp(MathF.Round(row[i] / scale, MidpointRounding.ToEven), -QMax, QMax);
        }
    }

    /// <summary>The int8 form of float linear weights (the bias stays float).</summary>
    /// <exception cref="ArgumentException">The weights are already int8, inconsistent, or not finite.</exception>
    public static LinearWeights Quantize(LinearWeights weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        weights.Validate();
        if (weights.IsQuantized)
            throw new ArgumentException("The weights are already int8.", nameof(weights));
        var quantized = new sbyte[weights.Weight.Length];
        var scales = new float[weights.OutFeatures];
        Quantize(weights.Weight.Span, weights.OutFeatures, weights.InFeatures, quantized, scales);
        return new LinearWeights
        {
            OutFeatures = weights.OutFeatures,
            InFeatures = weights.InFeatures,
            QuantizedWeight = quantized,
            Scales = scales,
            Bias = weights.Bias,
        };
    }

    /// <summary>W[o, i] = q[o, i] · scale[o]: the float matrix an int8 one stands for.</summary>
    /// <exception cref="ArgumentException">A span has the wrong length.</exception>
    public static void Dequantize(ReadOnlySpan<sbyte> quantized, ReadOnlySpan<float> scales, int outFeatures, int inFeatures, Span<float> weight)
    {
        CheckLengths(weight.Length, quantized.Length, scales.Length, outFeatures, inFeatures);
        for (int o = 0; o < outFeatures; o++)
        {
            float scale = scales[o];
            ReadOnlySpan<sbyte> q = quantized.Slice(o * inFeatures, inFeatures);
            Span<float> row = weight.Slice(o * inFeatures, inFeatures);
            for (int i = 0; i < q.Length; i++)
                row[i] = q[i] * scale;
        }
    }

    /// <summary>
    /// The JSON stored under <see cref="MetadataKey"/>, e.g.
    /// <c>{"format":"int8","symmetric":true,"granularity":"per_output_channel","scale_suffix":"_scale","groups":["attention","ffn"]}</c>.
    /// </summary>
    public static string MetadataJson(QuantizationGroups groups)
    {
        using var json = new MemoryStream();
        using (var writer = new Utf8JsonWriter(json))
        {
            writer.WriteStartObject();
            writer.WriteString("format", "int8");
            writer.WriteBoolean("symmetric", true);
            writer.WriteString("granularity", "per_output_channel");
            writer.WriteString("scale_suffix", ScaleSuffix);
            writer.WriteStartArray("groups");
            foreach (string name in groups.Names())
                writer.WriteStringValue(name);
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(json.GetBuffer(), 0, (int)json.Length);
    }

    /// <summary>
    /// A model file with the matrices of <paramref name="groups"/> in int8 (each followed by its scales) and every
    /// other tensor unchanged, in the source's order; ready to <see cref="SafeTensorsWriter.Save"/>. Unchanged tensors
    /// are not copied: <paramref name="model"/> must stay open until the file is written.
    /// </summary>
    /// <param name="model">Weights in the model layout (<c>flow_lm.*</c>, <c>mimi.*</c>).</param>
    /// <param name="groups">Layers to convert; the reference's default is <see cref="QuantizationGroups.Recommended"/>.</param>
    /// <param name="metadata">Metadata to keep (for example the source file's); <see cref="MetadataKey"/> is set here.</param>
    /// <exception cref="InvalidDataException">Nothing to quantize, a selected tensor is already int8, or it holds NaN or infinity.</exception>
    public static SafeTensorsWriter QuantizeModel(IWeightSource model, QuantizationGroups groups, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        var writer = new SafeTensorsWriter();
        foreach (var (key, value) in metadata ?? new Dictionary<string, string>())
            writer.Metadata(key, value);
        int converted = 0;
        foreach (string name in model.Names)
        {
            model.TryGet(name, out WeightTensor tensor);
            if (tensor.Shape.Length != 2 || !groups.Selects(name))
            {
                writer.Add(name, tensor);
                continue;
            }
            if (tensor.DType == TensorDType.I8 || model.TryGet(name + ScaleSuffix, out _))
                throw new InvalidDataException($"Tensor '{name}' is already quantized.");
            int outFeatures = tensor.Shape[0], inFeatures = tensor.Shape[1];
            var quantized = new sbyte[tensor.ElementCount];
            var scales = new float[outFeatures];
            try
            {
                Quantize(WeightConversion.ToFloat32(tensor), outFeatures, inFeatures, quantized, scales);
            }
            catch (ArgumentException ex)
            {
                throw new InvalidDataException($"Tensor '{name}': {ex.Message}", ex);
            }
            writer.Add(name, quantized, outFeatures, inFeatures);
            writer.Add(name + ScaleSuffix, scales, outFeatures);
            converted++;
        }
        if (converted == 0)
            throw new InvalidDataException($"No tensor of the groups {string.Join(", ", groups.Names())} was found; is this a Pocket TTS model file?");
        writer.Metadata(MetadataKey, MetadataJson(groups));
        return writer;
    }

    private static void CheckLengths(int weight, int quantized, int scales, int outFeatures, int inFeatures)
    {
        if (outFeatures <= 0 || inFeatures <= 0)
            throw new ArgumentException($"A matrix needs positive dimensions, got [{outFeatures}, {inFeatures}].");
        long n = (long)outFeatures * inFeatures;
        if (weight != n || quantized != n || scales != outFeatures)
        {
            throw new ArgumentException(
                $"A [{outFeatures}, {inFeatures}] matrix needs {n} weights, {n} int8 values and {outFeatures} scales; got {weight}, {quantized} and {scales}.");
        }
    }
}
