using PocketTts.Tensors;
using PocketTts.Weights;

namespace PocketTts.Model;

/// <summary>
/// Turns checkpoint tensors into backend objects at load time: vectors become backend constants, matrices
/// become <see cref="LinearWeights"/> to pack. Shapes are checked by <see cref="WeightScope.Get"/>, so every
/// module states the shape of each weight where it loads it.
/// </summary>
internal static class ModelWeights
{
    /// <summary>The tensor <paramref name="name"/> of <paramref name="scope"/> as a backend constant of <paramref name="shape"/>.</summary>
    public static ITensor Constant(this ITensorBackend backend, WeightScope scope, string name, params int[] shape) =>
        backend.Constant(scope.GetFloats(name, shape), new TensorShape(shape));

    /// <summary>
    /// The <c>nn.Linear</c> called <paramref name="name"/>: <c>name.weight</c> [out, in] and, when
    /// <paramref name="bias"/>, <c>name.bias</c> [out]. An int8 file's layer (I8 weight and its scales) loads as int8;
    /// a float one is quantized to int8 when <paramref name="quantize"/> (see <see cref="LinearWeightsLoader"/>).
    /// </summary>
    public static LinearWeights Linear(WeightScope scope, string name, int outFeatures, int inFeatures, bool bias, bool quantize = false) =>
        LinearWeightsLoader.Load(scope, name, outFeatures, inFeatures, bias, quantize);

    /// <summary>
    /// Output rows [<paramref name="start"/>, start + <paramref name="count"/>) of a linear layer, float or int8 (with
    /// their scales), without copying: splits a fused projection (attention <c>in_proj</c> into q, k, v; AdaLN
    /// modulation into shift, scale, gate) into layers that each write their own destination.
    /// </summary>
    public static LinearWeights Rows(this LinearWeights weights, int start, int count)
    {
        if (start < 0 || count <= 0 || start + count > weights.OutFeatures)
            throw new ArgumentOutOfRangeException(nameof(count), $"Rows [{start}, {start + count}) are outside a layer with {weights.OutFeatures} outputs.");
        int n = weights.InFeatures;
        return new LinearWeights
        {
            OutFeatures = count,
            InFeatures = n,
            Weight = weights.IsQuantized ? ReadOnlyMemory<float>.Empty : weights.Weight.Slice(start * n, count * n),
            QuantizedWeight = weights.IsQuantized ? weights.QuantizedWeight.Slice(start * n, count * n) : ReadOnlyMemory<sbyte>.Empty,
            Scales = weights.IsQuantized ? weights.Scales.Slice(start, count) : ReadOnlyMemory<float>.Empty,
            Bias = weights.Bias.IsEmpty ? ReadOnlyMemory<float>.Empty : weights.Bias.Slice(start, count),
        };
    }
}
