using PocketTts.Backends;
using PocketTts.Tensors;

namespace Sample.PocketTtsBackend;

/// <summary>
/// The shortest complete ITensorBackend: every operation as the plain loops of its definition, sums in double.
/// It is slow (nothing is vectorised or parallel) and it is correct: it passes the conformance kit
/// (PocketTts.Backends.Conformance), which is where a real backend starts from. The argument rules come from
/// TensorArguments, so it refuses the same calls with the same messages as the built-in backends.
/// </summary>
public sealed class SampleTensorBackend : ITensorBackend
{
    private const string BackendName = "sample";

    public string Name => BackendName;

    public void Dispose()
    {
    }

    public ITensor Allocate(TensorShape shape) => new SampleTensor(shape);

    public ITensor Constant(ReadOnlySpan<float> values, TensorShape shape)
    {
        TensorArguments.Count(nameof(Constant), "values", values.Length, shape.ElementCount);
        var t = new SampleTensor(shape);
        values.CopyTo(t.Data);
        return t;
    }

    public void Write(ReadOnlySpan<float> source, ITensor destination)
    {
        SampleTensor d = Own(destination, nameof(Write), nameof(destination));
        TensorArguments.Count(nameof(Write), nameof(source), source.Length, d.Data.Length);
        source.CopyTo(d.Data);
    }

    public void Read(ITensor source, Span<float> destination)
    {
        SampleTensor s = Own(source, nameof(Read), nameof(source));
        TensorArguments.Count(nameof(Read), nameof(destination), destination.Length, s.Data.Length);
        s.Data.CopyTo(destination);
    }

    public void Fill(ITensor destination, float value) => Array.Fill(Own(destination, nameof(Fill), nameof(destination)).Data, value);

    public void CopySlice(ITensor source, int axis, int sourceStart, ITensor destination, int destinationStart, int length)
    {
        SampleTensor s = Own(source, nameof(CopySlice), nameof(source)), d = Own(destination, nameof(CopySlice), nameof(destination));
        TensorArguments.CopySlice(s, axis, sourceStart, d, destinationStart, length);
        // Axis 0 is one block; the last axis is one block per row.
        int inner = axis == 0 ? Inner(s.Shape) : 1;
        int outer = axis == 0 ? 1 : s.Data.Length / Math.Max(1, s.Shape[axis]);
        for (int o = 0; o < outer; o++)
        {
            Array.Copy(s.Data, (o * s.Shape[axis] + sourceStart) * inner, d.Data, (o * d.Shape[axis] + destinationStart) * inner, length * inner);
        }
    }

    public void Transpose(ITensor x, ITensor y)
    {
        SampleTensor xt = Own(x, nameof(Transpose), nameof(x)), yt = Own(y, nameof(Transpose), nameof(y));
        TensorArguments.Transpose(xt, yt);
        int a = xt.Shape[0], b = xt.Shape[1];
        for (int i = 0; i < a; i++)
        {
            for (int j = 0; j < b; j++)
                yt.Data[j * a + i] = xt.Data[i * b + j];
        }
    }

    public IPackedLinear PackLinear(LinearWeights weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        weights.Validate();
        float[] w = weights.IsQuantized ? new float[weights.QuantizedWeight.Length] : weights.Weight.ToArray();
        if (weights.IsQuantized)
        {
            ReadOnlySpan<sbyte> q = weights.QuantizedWeight.Span;
            ReadOnlySpan<float> scales = weights.Scales.Span;
            for (int i = 0; i < w.Length; i++)
                w[i] = q[i] * scales[i / weights.InFeatures];
        }
        return new SampleLinear(weights.InFeatures, weights.OutFeatures, weights.IsQuantized, w, weights.Bias.IsEmpty ? null : weights.Bias.ToArray());
    }

    public IPackedConv PackConv1d(ConvGeometry geometry, ReadOnlyMemory<float> weight, ReadOnlyMemory<float> bias)
    {
        TensorArguments.PackConv1d(geometry, weight.Length, bias.Length);
        return new SampleConv(geometry, transposed: false, weight.ToArray(), bias.IsEmpty ? null : bias.ToArray());
    }

    public IPackedConv PackConvTranspose1d(ConvGeometry geometry, ReadOnlyMemory<float> weight, ReadOnlyMemory<float> bias)
    {
        TensorArguments.PackConvTranspose1d(geometry, weight.Length, bias.Length);
        return new SampleConv(geometry, transposed: true, weight.ToArray(), bias.IsEmpty ? null : bias.ToArray());
    }

    public void Linear(ITensor x, IPackedLinear weights, ITensor y)
    {
        SampleTensor xt = Own(x, nameof(Linear), nameof(x)), yt = Own(y, nameof(Linear), nameof(y));
        var w = TensorArguments.OwnWeights<SampleLinear>(weights, nameof(Linear), BackendName);
        int rows = TensorArguments.Linear(xt, w, yt), k = w.InFeatures;
        for (int r = 0; r < rows; r++)
        {
            for (int o = 0; o < w.OutFeatures; o++)
            {
                double sum = w.Bias?[o] ?? 0;
                for (int i = 0; i < k; i++)
                    sum += (double)xt.Data[r * k + i] * w.Weight[o * k + i];
                yt.Data[r * w.OutFeatures + o] = (float)sum;
            }
        }
    }

    public void Conv1d(ITensor x, IPackedConv weights, ITensor y)
    {
        SampleTensor xt = Own(x, nameof(Conv1d), nameof(x)), yt = Own(y, nameof(Conv1d), nameof(y));
        var w = TensorArguments.OwnWeights<SampleConv>(weights, nameof(Conv1d), BackendName);
        int length = TensorArguments.Conv1d(xt, w, yt);
        ConvGeometry g = w.Geometry;
        int inPerGroup = g.InChannels / g.Groups, outPerGroup = g.OutChannels / g.Groups, outLength = g.ConvOutputLength(length);
        for (int o = 0; o < g.OutChannels; o++)
        {
            int group = o / outPerGroup;
            for (int t = 0; t < outLength; t++)
            {
                double sum = w.Bias?[o] ?? 0;
                for (int c = 0; c < inPerGroup; c++)
                {
                    for (int k = 0; k < g.KernelSize; k++)
                        sum += (double)w.Weight[(o * inPerGroup + c) * g.KernelSize + k] * xt.Data[(group * inPerGroup + c) * length + t * g.Stride + k * g.Dilation];
                }
                yt.Data[o * outLength + t] = (float)sum;
            }
        }
    }

    public void ConvTranspose1d(ITensor x, IPackedConv weights, ITensor y)
    {
        SampleTensor xt = Own(x, nameof(ConvTranspose1d), nameof(x)), yt = Own(y, nameof(ConvTranspose1d), nameof(y));
        var w = TensorArguments.OwnWeights<SampleConv>(weights, nameof(ConvTranspose1d), BackendName);
        int length = TensorArguments.ConvTranspose1d(xt, w, yt);
        ConvGeometry g = w.Geometry;
        int inPerGroup = g.InChannels / g.Groups, outPerGroup = g.OutChannels / g.Groups, outLength = g.TransposedOutputLength(length);
        var sums = new double[yt.Data.Length];
        for (int o = 0; o < g.OutChannels; o++)
            Array.Fill(sums, w.Bias?[o] ?? 0, o * outLength, outLength);
        // Each input sample spreads over KernelSize outputs, Stride apart from its neighbour's.
        for (int c = 0; c < g.InChannels; c++)
        {
            int group = c / inPerGroup;
            for (int ol = 0; ol < outPerGroup; ol++)
            {
                int o = group * outPerGroup + ol;
                for (int t = 0; t < length; t++)
                {
                    for (int k = 0; k < g.KernelSize; k++)
                        sums[o * outLength + t * g.Stride + k] += (double)xt.Data[c * length + t] * w.Weight[(c * outPerGroup + ol) * g.KernelSize + k];
                }
            }
        }
        for (int i = 0; i < sums.Length; i++)
            yt.Data[i] = (float)sums[i];
    }

    public void LayerNorm(ITensor x, ITensor? weight, ITensor? bias, float eps, ITensor y)
    {
        const string op = nameof(LayerNorm);
        SampleTensor xt = Own(x, op, nameof(x)), yt = Own(y, op, nameof(y));
        SampleTensor? wt = weight is null ? null : Own(weight, op, nameof(weight)), bt = bias is null ? null : Own(bias, op, nameof(bias));
        int features = TensorArguments.LayerNorm(xt, wt, bt, yt);
        Normalize(xt.Data, features, eps, unbiased: false, centre: true, yt.Data, (i, v) => v * (wt?.Data[i] ?? 1) + (bt?.Data[i] ?? 0));
    }

    public void VarianceNorm(ITensor x, ITensor alpha, float eps, ITensor y)
    {
        const string op = nameof(VarianceNorm);
        SampleTensor xt = Own(x, op, nameof(x)), at = Own(alpha, op, nameof(alpha)), yt = Own(y, op, nameof(y));
        TensorArguments.VarianceNorm(xt, at, yt);
        Normalize(xt.Data, xt.Shape[-1], eps, unbiased: true, centre: false, yt.Data, (i, v) => v * at.Data[i]);
    }

    public void Unary(UnaryOp op, ITensor x, ITensor y)
    {
        SampleTensor xt = Own(x, nameof(Unary), nameof(x)), yt = Own(y, nameof(Unary), nameof(y));
        TensorArguments.Unary(op, xt, yt);
        Func<double, double> f = op switch
        {
            UnaryOp.Elu => v => v > 0 ? v : Math.Exp(v) - 1,
            UnaryOp.Gelu => v => 0.5 * v * SpecialFunctions.Erfc(-v / Math.Sqrt(2)),
            UnaryOp.GeluTanh => v => v / (1 + Math.Exp(-2 * Math.Sqrt(2 / Math.PI) * (v + 0.044715 * v * v * v))),
            _ => v => v / (1 + Math.Exp(-v)),
        };
        for (int i = 0; i < xt.Data.Length; i++)
            yt.Data[i] = (float)f(xt.Data[i]);
    }

    public void Binary(BinaryOp op, ITensor a, ITensor b, ITensor y)
    {
        SampleTensor at = Own(a, nameof(Binary), nameof(a)), bt = Own(b, nameof(Binary), nameof(b)), yt = Own(y, nameof(Binary), nameof(y));
        TensorArguments.Binary(op, at, bt, yt);
        // b repeats over a's leading axes, so element i of a meets element i mod |b| of b.
        for (int i = 0; i < at.Data.Length; i++)
        {
            float other = bt.Data[i % bt.Data.Length];
            yt.Data[i] = op == BinaryOp.Add ? at.Data[i] + other : at.Data[i] * other;
        }
    }

    public void ScaleShift(ITensor x, float scale, float shift, ITensor y)
    {
        SampleTensor xt = Own(x, nameof(ScaleShift), nameof(x)), yt = Own(y, nameof(ScaleShift), nameof(y));
        TensorArguments.ScaleShift(xt, yt);
        for (int i = 0; i < xt.Data.Length; i++)
            yt.Data[i] = xt.Data[i] * scale + shift;
    }

    public void Rope(ITensor x, int heads, int position, float maxPeriod, ITensor y)
    {
        SampleTensor xt = Own(x, nameof(Rope), nameof(x)), yt = Own(y, nameof(Rope), nameof(y));
        TensorArguments.Rope(xt, heads, position, maxPeriod, yt);
        int rows = xt.Shape[0], headDim = xt.Shape[1] / heads;
        // As the reference: frequencies and angles in float32, pairs (2i, 2i+1) rotated as complex numbers.
        float step = (float)(-Math.Log(maxPeriod) * 2 / headDim);
        for (int t = 0; t < rows; t++)
        {
            for (int i = 0; i < headDim / 2; i++)
            {
                float angle = (position + t) * MathF.Exp(i * step);
                double cos = Math.Cos(angle), sin = Math.Sin(angle);
                for (int h = 0; h < heads; h++)
                {
                    int at = (t * heads + h) * headDim + 2 * i;
                    double re = xt.Data[at], im = xt.Data[at + 1];
                    yt.Data[at] = (float)(re * cos - im * sin);
                    yt.Data[at + 1] = (float)(re * sin + im * cos);
                }
            }
        }
    }

    public IKvCache CreateKvCache(int heads, int headDim, int capacity, int? window)
    {
        TensorArguments.CreateKvCache(heads, headDim, capacity, window);
        return new SampleKvCache(heads, headDim, capacity, window);
    }

    public void Attention(ITensor q, ITensor k, ITensor v, IKvCache cache, int position, ITensor y)
    {
        const string op = nameof(Attention);
        SampleTensor qt = Own(q, op, nameof(q)), kt = Own(k, op, nameof(k)), vt = Own(v, op, nameof(v)), yt = Own(y, op, nameof(y));
        var c = TensorArguments.OwnCache<SampleKvCache>(cache, op, BackendName);
        int rows = TensorArguments.Attention(op, qt, kt, vt, c, position, yt);
        int width = c.Heads * c.HeadDim, d = c.HeadDim;
        for (int t = 0; t < rows; t++)
        {
            Array.Copy(kt.Data, t * width, c.Keys, c.Slot(position + t) * width, width);
            Array.Copy(vt.Data, t * width, c.Values, c.Slot(position + t) * width, width);
        }
        var weights = new double[position + rows];
        for (int t = 0; t < rows; t++)
        {
            int p = position + t, first = c.Window is int window ? Math.Max(0, p - window + 1) : 0;
            for (int h = 0; h < c.Heads; h++)
            {
                double max = double.NegativeInfinity, total = 0;
                for (int j = first; j <= p; j++)
                {
                    double score = 0;
                    for (int i = 0; i < d; i++)
                        score += (double)qt.Data[t * width + h * d + i] * c.Keys[c.Slot(j) * width + h * d + i];
                    weights[j] = score / Math.Sqrt(d);
                    max = Math.Max(max, weights[j]);
                }
                for (int j = first; j <= p; j++)
                {
                    weights[j] = Math.Exp(weights[j] - max);
                    total += weights[j];
                }
                for (int i = 0; i < d; i++)
                {
                    double sum = 0;
                    for (int j = first; j <= p; j++)
                        sum += weights[j] * c.Values[c.Slot(j) * width + h * d + i];
                    yt.Data[t * width + h * d + i] = (float)(sum / total);
                }
            }
        }
    }

    public void ReadKvCache(IKvCache cache, int length, Span<float> keys, Span<float> values)
    {
        var c = TensorArguments.OwnCache<SampleKvCache>(cache, nameof(ReadKvCache), BackendName);
        TensorArguments.KvCacheCopy(nameof(ReadKvCache), c, length, keys.Length, values.Length);
        c.Keys.AsSpan(0, keys.Length).CopyTo(keys);
        c.Values.AsSpan(0, values.Length).CopyTo(values);
    }

    public void WriteKvCache(IKvCache cache, int length, ReadOnlySpan<float> keys, ReadOnlySpan<float> values)
    {
        var c = TensorArguments.OwnCache<SampleKvCache>(cache, nameof(WriteKvCache), BackendName);
        TensorArguments.KvCacheCopy(nameof(WriteKvCache), c, length, keys.Length, values.Length);
        keys.CopyTo(c.Keys);
        values.CopyTo(c.Values);
    }

    public void Embedding(ITensor table, ReadOnlySpan<int> ids, ITensor y)
    {
        SampleTensor tt = Own(table, nameof(Embedding), nameof(table)), yt = Own(y, nameof(Embedding), nameof(y));
        TensorArguments.Embedding(tt, ids, yt);
        int features = tt.Shape[1];
        for (int i = 0; i < ids.Length; i++)
            Array.Copy(tt.Data, ids[i] * features, yt.Data, i * features, features);
    }

    public void ReplaceNaN(ITensor x, ITensor fill, ITensor y)
    {
        SampleTensor xt = Own(x, nameof(ReplaceNaN), nameof(x)), ft = Own(fill, nameof(ReplaceNaN), nameof(fill)), yt = Own(y, nameof(ReplaceNaN), nameof(y));
        TensorArguments.ReplaceNaN(xt, ft, yt);
        for (int i = 0; i < xt.Data.Length; i++)
            yt.Data[i] = float.IsNaN(xt.Data[i]) ? ft.Data[i % ft.Data.Length] : xt.Data[i];
    }

    public void TimestepEmbedding(ITensor t, ITensor frequencies, ITensor y)
    {
        const string op = nameof(TimestepEmbedding);
        SampleTensor tt = Own(t, op, nameof(t)), ft = Own(frequencies, op, nameof(frequencies)), yt = Own(y, op, nameof(y));
        TensorArguments.TimestepEmbedding(tt, ft, yt);
        int half = ft.Data.Length;
        for (int r = 0; r < tt.Data.Length; r++)
        {
            for (int i = 0; i < half; i++)
            {
                float angle = tt.Data[r] * ft.Data[i];
                yt.Data[r * 2 * half + i] = MathF.Cos(angle);
                yt.Data[r * 2 * half + half + i] = MathF.Sin(angle);
            }
        }
    }

    private static SampleTensor Own(ITensor tensor, string op, string name) => TensorArguments.Own<SampleTensor>(tensor, op, name, BackendName);

    private static int Inner(TensorShape shape)
    {
        int inner = 1;
        for (int i = 1; i < shape.Rank; i++)
            inner *= shape[i];
        return inner;
    }

    /// <summary>Each row of <paramref name="features"/> values: (x − mean?) / √(var + eps), then <paramref name="affine"/>(feature, value).</summary>
    private static void Normalize(float[] x, int features, float eps, bool unbiased, bool centre, float[] y, Func<int, double, double> affine)
    {
        for (int start = 0; start + features <= x.Length && features > 0; start += features)
        {
            double mean = 0, variance = 0;
            for (int i = 0; i < features; i++)
                mean += x[start + i];
            mean /= features;
            for (int i = 0; i < features; i++)
                variance += (x[start + i] - mean) * (x[start + i] - mean);
            variance /= unbiased ? features - 1 : features;
            double inverse = 1 / Math.Sqrt(variance + eps);
            for (int i = 0; i < features; i++)
                y[start + i] = (float)affine(i, ((centre ? x[start + i] - mean : x[start + i])) * inverse);
        }
    }
}
