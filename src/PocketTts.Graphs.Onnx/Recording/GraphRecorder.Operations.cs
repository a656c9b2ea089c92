using PocketTts.Tensors;
using DataType = PocketTts.Graphs.Onnx.Protos.TensorProto.Types.DataType;

namespace PocketTts.Graphs.Onnx;

/// <summary>The element-wise, linear, normalisation and convolution operations as ONNX nodes.</summary>
public sealed partial class GraphRecorder
{
    /// <inheritdoc/>
    public ITensor Allocate(TensorShape shape) => NewTensor(shape, null);

    /// <inheritdoc/>
    public ITensor Constant(ReadOnlySpan<float> values, TensorShape shape)
    {
        TensorArguments.Count("Constant", "values", values.Length, shape.ElementCount);
        return NewTensor(shape, values.ToArray());
    }

    /// <inheritdoc/>
    public void Write(ReadOnlySpan<float> source, ITensor destination) =>
        throw new NotSupportedException("A recorded graph takes its values through declared inputs (GraphRecorder.Input), not host writes.");

    /// <inheritdoc/>
    public void Read(ITensor source, Span<float> destination) =>
        throw new NotSupportedException("A recorded graph computes no values; declare an output (GraphRecorder.Output) instead.");

    /// <remarks>
    /// Between graphs only zeros may be filled (a state's reset): state starts as zeros in every runtime, so there is
    /// nothing to record.
    /// </remarks>
    public void Fill(ITensor destination, float value)
    {
        RecordedTensor t = Own(destination);
        if (_builder is null)
        {
            if (value != 0f)
                throw new NotSupportedException($"Filling tensor {t.Id} with {value} outside a graph: recorded state starts as zeros.");
            return;
        }
        Assign(t, Filled(t.Shape, value));
    }

    /// <inheritdoc/>
    public void CopySlice(ITensor source, int axis, int sourceStart, ITensor destination, int destinationStart, int length)
    {
        RecordedTensor src = Own(source), dst = Own(destination);
        TensorArguments.CopySlice(src, axis, sourceStart, dst, destinationStart, length);
        string piece = sourceStart == 0 && length == src.Shape[axis] ? Use(src) : Slice(Use(src), axis, sourceStart, sourceStart + length);
        if (destinationStart == 0 && length == dst.Shape[axis])
        {
            Assign(dst, piece);
            return;
        }
        if (dst.ValueGraph == _graphNumber && dst.Pieces is { } pieces && pieces.Axis == axis)
        {
            pieces.Write(destinationStart, length, piece, (v, from, to) => Slice(v, axis, from, to));
        }
        else
        {
            string? whole = dst.ValueGraph == _graphNumber ? Use(dst) : null;
            var fresh = new SliceWrites(axis, dst.Shape[axis]);
            if (whole is not null)
                fresh.Write(0, dst.Shape[axis], whole, (v, from, to) => Slice(v, axis, from, to));
            fresh.Write(destinationStart, length, piece, (v, from, to) => Slice(v, axis, from, to));
            dst.ValueGraph = _graphNumber;
            dst.Value = null;
            dst.Pieces = fresh;
        }
        MarkWritten(dst);
    }

    /// <inheritdoc/>
    public void Transpose(ITensor x, ITensor y)
    {
        RecordedTensor xt = Own(x), yt = Own(y);
        TensorArguments.Transpose(xt, yt);
        Assign(yt, G.Node("Transpose", [Use(xt)], Attr.Ints("perm", 1, 0)));
    }

    /// <inheritdoc/>
    public IPackedLinear PackLinear(LinearWeights weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        weights.Validate();
        return new RecordedLinear(weights);
    }

    /// <inheritdoc/>
    public IPackedConv PackConv1d(ConvGeometry geometry, ReadOnlyMemory<float> weight, ReadOnlyMemory<float> bias)
    {
        TensorArguments.PackConv1d(geometry, weight.Length, bias.Length);
        return new RecordedConv(geometry, transposed: false, weight.ToArray(), bias.ToArray());
    }

    /// <inheritdoc/>
    public IPackedConv PackConvTranspose1d(ConvGeometry geometry, ReadOnlyMemory<float> weight, ReadOnlyMemory<float> bias)
    {
        TensorArguments.PackConvTranspose1d(geometry, weight.Length, bias.Length);
        return new RecordedConv(geometry, transposed: true, weight.ToArray(), bias.ToArray());
    }

    /// <summary>
    /// Float weights: Gemm with transB (the checkpoint's [out, in] layout as it is). int8 weights: the input is
    /// quantized per call (DynamicQuantizeLinear, uint8 with a zero point), multiplied by the weights with int32
    /// accumulation (MatMulInteger), and scaled back by the input's scale times each output channel's scale.
    /// </summary>
    /// <remarks>
    /// The weights go in as uint8 with zero point 128 (q + 128), not as int8: ONNX Runtime's uint8 × int8 kernel
    /// for AVX2 without VNNI multiplies with <c>vpmaddubsw</c>, whose int16 sum of two products saturates
    /// (255 · 127 · 2 &gt; 32767), so the same graph lost 20 dB on most x86 CPUs. Every uint8 × uint8 kernel
    /// (SSE2, AVX2, AVX-512 core, AVX-VNNI-INT8, NEON, dot-product) widens before it multiplies or accumulates in
    /// 32 bits, so the integer sums are exact on every CPU; docs/quantization.md lists them.
    /// </remarks>
    public void Linear(ITensor x, IPackedLinear weights, ITensor y)
    {
        RecordedLinear packed = TensorArguments.OwnWeights<RecordedLinear>(weights, "Linear", BackendName);
        RecordedTensor xt = Own(x), yt = Own(y);
        TensorArguments.Linear(xt, packed, yt);
        LinearWeights w = packed.Weights;
        string input = Use(xt);
        string? bias = w.Bias.IsEmpty ? null : G.Floats("bias", w.Bias.Span, w.OutFeatures);
        string result;
        if (!w.IsQuantized)
        {
            string weight = G.Floats("weight", w.Weight.Span, w.OutFeatures, w.InFeatures);
            result = G.Node("Gemm", bias is null ? [input, weight] : [input, weight, bias], Attr.Int("transB", 1));
        }
        else
        {
            string[] quantized = G.Node("DynamicQuantizeLinear", [input], 3);
            string product = G.Node("MatMulInteger", [quantized[0], OffsetWeights(w), quantized[2], G.Bytes("weight_zero_point", [WeightZeroPoint])]);
            string scales = G.Node("Mul", [quantized[1], G.Floats("scales", w.Scales.Span, w.OutFeatures)]);
            result = G.Node("Mul", [G.Node("Cast", [product], Attr.Int("to", (long)Protos.TensorProto.Types.DataType.Float)), scales]);
            if (bias is not null)
                result = G.Node("Add", [result, bias]);
        }
        Assign(yt, result);
    }

    /// <summary>The zero point of <see cref="OffsetWeights"/>: uint8 q + 128 stands for the int8 weight q.</summary>
    internal const byte WeightZeroPoint = 128;

    /// <summary>The int8 weights [out, in] as MatMulInteger's uint8 B [in, out], offset by <see cref="WeightZeroPoint"/>.</summary>
    private string OffsetWeights(LinearWeights w)
    {
        var offset = new byte[w.InFeatures * w.OutFeatures];
        ReadOnlySpan<sbyte> q = w.QuantizedWeight.Span;
        for (int o = 0; o < w.OutFeatures; o++)
        {
            for (int i = 0; i < w.InFeatures; i++)
                offset[i * w.OutFeatures + o] = (byte)(q[o * w.InFeatures + i] + WeightZeroPoint);
        }
        return G.Bytes("weight_uint8", offset, w.InFeatures, w.OutFeatures);
    }

    /// <inheritdoc/>
    public void Conv1d(ITensor x, IPackedConv weights, ITensor y) => Convolution("Conv", x, weights, y);

    /// <inheritdoc/>
    public void ConvTranspose1d(ITensor x, IPackedConv weights, ITensor y) => Convolution("ConvTranspose", x, weights, y);

    /// <summary>Our signals are [channels, time]; ONNX convolutions take a batch axis, added and removed around the node.</summary>
    private void Convolution(string op, ITensor x, IPackedConv weights, ITensor y)
    {
        RecordedConv c = TensorArguments.OwnWeights<RecordedConv>(weights, op, BackendName);
        RecordedTensor xt = Own(x), yt = Own(y);
        if (c.IsTransposed)
            TensorArguments.ConvTranspose1d(xt, c, yt);
        else
            TensorArguments.Conv1d(xt, c, yt);
        ConvGeometry geo = c.Geometry;
        long[] weightDims = c.IsTransposed
            ? [geo.InChannels, geo.OutChannels / geo.Groups, geo.KernelSize]
            : [geo.OutChannels, geo.InChannels / geo.Groups, geo.KernelSize];
        var inputs = new List<string> { G.Node("Unsqueeze", [Use(xt), G.Int64Vector(0)]), G.Floats("conv_weight", c.Weight, weightDims) };
        if (c.Bias.Length > 0)
            inputs.Add(G.Floats("conv_bias", c.Bias, geo.OutChannels));
        string conv = G.Node(op, inputs,
                             Attr.Ints("kernel_shape", geo.KernelSize), Attr.Ints("strides", geo.Stride),
                             Attr.Ints("dilations", geo.Dilation), Attr.Int("group", geo.Groups));
        Assign(yt, G.Node("Squeeze", [conv, G.Int64Vector(0)]));
    }

    /// <inheritdoc/>
    public void LayerNorm(ITensor x, ITensor? weight, ITensor? bias, float eps, ITensor y)
    {
        RecordedTensor input = Own(x), output = Own(y);
        RecordedTensor? wt = weight is null ? null : Own(weight), bt = bias is null ? null : Own(bias);
        int features = TensorArguments.LayerNorm(input, wt, bt, output);
        string scale = wt is null ? Filled(new TensorShape(features), 1f) : Use(wt);
        var inputs = new List<string> { Use(input), scale };
        if (bt is not null)
            inputs.Add(Use(bt));
        Assign(output, G.Node("LayerNormalization", inputs, Attr.Int("axis", -1), Attr.Float("epsilon", eps)));
    }

    /// <summary>x · alpha / √(eps + var(x)) with the unbiased variance, from ReduceMean and ReduceSumSquare.</summary>
    public void VarianceNorm(ITensor x, ITensor alpha, float eps, ITensor y)
    {
        RecordedTensor input = Own(x), scale = Own(alpha), output = Own(y);
        TensorArguments.VarianceNorm(input, scale, output);
        string v = Use(input);
        int n = input.Shape[-1];
        string mean = G.Node("ReduceMean", [v], Attr.Ints("axes", -1), Attr.Int("keepdims", 1));
        string squares = G.Node("ReduceSumSquare", [G.Node("Sub", [v, mean])], Attr.Ints("axes", -1), Attr.Int("keepdims", 1));
        string variance = G.Node("Div", [squares, G.FloatScalar(n - 1)]);
        string norm = G.Node("Sqrt", [G.Node("Add", [variance, G.FloatScalar(eps)])]);
        Assign(output, G.Node("Div", [G.Node("Mul", [v, Use(scale)]), norm]));
    }

    /// <inheritdoc/>
    public void Unary(UnaryOp op, ITensor x, ITensor y)
    {
        TensorArguments.Unary(op, Own(x), Own(y));
        string v = Use(Own(x));
        string result = op switch
        {
            UnaryOp.Elu => G.Node("Elu", [v], Attr.Float("alpha", 1f)),
            // Opset 17 has no Gelu node: 0.5·x·(1 + erf(x/√2)).
            UnaryOp.Gelu => G.Node("Mul", [G.Node("Mul", [v, G.FloatScalar(0.5f)]),
                                           G.Node("Add", [G.Node("Erf", [G.Node("Div", [v, G.FloatScalar(MathF.Sqrt(2f))])]), G.FloatScalar(1f)])]),
            // Opset 17 has no Gelu node either: x·sigmoid(2u), u = √(2/π)·(x + 0.044715·x³), which equals
            // 0.5·x·(1 + tanh(u)) and is how the managed kernel computes it.
            UnaryOp.GeluTanh => G.Node("Mul", [v, G.Node("Sigmoid", [G.Node("Mul", [v,
                                    G.Node("Add", [G.FloatScalar(1.59576912f), G.Node("Mul", [G.FloatScalar(0.0713548163f), G.Node("Mul", [v, v])])])])])]),
            UnaryOp.Silu => G.Node("Mul", [v, G.Node("Sigmoid", [v])]),
            _ => throw new ArgumentOutOfRangeException(nameof(op), op, "Unknown unary operation."),
        };
        Assign(Own(y), result);
    }

    /// <inheritdoc/>
    public void Binary(BinaryOp op, ITensor a, ITensor b, ITensor y)
    {
        string name = op switch
        {
            BinaryOp.Add => "Add",
            BinaryOp.Multiply => "Mul",
            _ => throw new ArgumentOutOfRangeException(nameof(op), op, "Unknown binary operation."),
        };
        TensorArguments.Binary(op, Own(a), Own(b), Own(y));
        Assign(Own(y), G.Node(name, [Use(Own(a)), Use(Own(b))]));
    }

    /// <inheritdoc/>
    public void ScaleShift(ITensor x, float scale, float shift, ITensor y)
    {
        TensorArguments.ScaleShift(Own(x), Own(y));
        string v = Use(Own(x));
        if (scale != 1f)
            v = G.Node("Mul", [v, G.FloatScalar(scale)]);
        if (shift != 0f)
            v = G.Node("Add", [v, G.FloatScalar(shift)]);
        Assign(Own(y), v);
    }

    /// <inheritdoc/>
    public void Embedding(ITensor table, ReadOnlySpan<int> ids, ITensor y) =>
        throw new NotSupportedException("Token ids are host values; a graph takes its ids as an input (Lookup).");

    /// <inheritdoc/>
    public void Lookup(ITensor table, string ids, string symbolicRows, ITensor y)
    {
        ArgumentException.ThrowIfNullOrEmpty(ids);
        ArgumentException.ThrowIfNullOrEmpty(symbolicRows);
        RecordedTensor tableTensor = Own(table), output = Own(y);
        if (tableTensor.Shape.Rank != 2 || output.Shape.Rank != 2 || output.Shape[0] != 1 || output.Shape[1] != tableTensor.Shape[1])
            throw new ArgumentException($"A lookup reads rows of a [rows, width] table into a [1, width] recording tensor; got {tableTensor.Shape} and {output.Shape}.", nameof(y));
        G.Input(ids, DataType.Int64, symbolicRows);
        Assign(output, G.Node("Gather", [Use(tableTensor), ids]));
    }

    /// <inheritdoc/>
    public void ReplaceNaN(ITensor x, ITensor fill, ITensor y)
    {
        TensorArguments.ReplaceNaN(Own(x), Own(fill), Own(y));
        string v = Use(Own(x));
        Assign(Own(y), G.Node("Where", [G.Node("IsNaN", [v]), Use(Own(fill)), v]));
    }

    /// <inheritdoc/>
    public void TimestepEmbedding(ITensor t, ITensor frequencies, ITensor y)
    {
        TensorArguments.TimestepEmbedding(Own(t), Own(frequencies), Own(y));
        string arguments = G.Node("Mul", [Use(Own(t)), Use(Own(frequencies))]);
        Assign(Own(y), G.Node("Concat", [G.Node("Cos", [arguments]), G.Node("Sin", [arguments])], Attr.Int("axis", -1)));
    }

    /// <inheritdoc/>
    public void Dispose()
    {
    }
}
