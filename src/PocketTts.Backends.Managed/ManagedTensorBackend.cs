using System.Numerics;
using System.Runtime.InteropServices;
using PocketTts.Tensors;

namespace PocketTts.Backends.Managed;

internal sealed class ManagedTensor(TensorShape shape) : ITensor
{
    public TensorShape Shape { get; } = shape;

    public float[] Data { get; } = new float[shape.ElementCount];

    public void Dispose() { }
}

internal sealed class PackedLinear : IPackedLinear
{
    public PackedLinear(LinearWeights w)
    {
        w.Validate();
        InFeatures = w.InFeatures;
        OutFeatures = w.OutFeatures;
        IsQuantized = w.IsQuantized;
        if (w.IsQuantized)
        {
            Weight = new float[w.OutFeatures * w.InFeatures];
            ReadOnlySpan<sbyte> q = w.QuantizedWeight.Span;
            ReadOnlySpan<float> s = w.Scales.Span;
            for (int o = 0; o < OutFeatures; o++)
                for (int i = 0; i < InFeatures; i++)
                    Weight[o * InFeatures + i] = q[o * InFeatures + i] * s[o];
        }
        else
        {
            Weight = w.Weight.ToArray();
        }
        Bias = w.Bias.IsEmpty ? null : w.Bias.ToArray();
    }

    public int InFeatures { get; }

    public int OutFeatures { get; }

    public bool IsQuantized { get; }

    public float[] Weight { get; }

    public float[]? Bias { get; }

    public void Dispose() { }
}

internal sealed class PackedConv(ConvGeometry geometry, bool transposed, float[] weight, float[]? bias) : IPackedConv
{
    public ConvGeometry Geometry { get; } = geometry;

    public bool IsTransposed { get; } = transposed;

    public float[] Weight { get; } = weight;

    public float[]? Bias { get; } = bias;

    public void Dispose() { }
}

internal sealed class ManagedKvCache(int heads, int headDim, int capacity, int? window) : IKvCache
{
    public int Heads { get; } = heads;

    public int HeadDim { get; } = headDim;

    public int Capacity { get; } = capacity;

    public int? Window { get; } = window;

    // [slot, heads, headDim]
    public float[] Keys { get; } = new float[capacity * heads * headDim];

    public float[] Values { get; } = new float[capacity * heads * headDim];

    public float[] Scores { get; } = new float[capacity];

    public void Dispose() { }
}

/// <summary>Straightforward reference implementation of the contract.</summary>
public sealed class ManagedTensorBackend(BackendOptions options) : ITensorBackend
{
    /// <inheritdoc/>
    public string Name => "managed";

    internal BackendOptions Options { get; } = options;

    private static float[] D(ITensor t) => ((ManagedTensor)t).Data;

    /// <inheritdoc/>
    public void Dispose() { }

    /// <inheritdoc/>
    public ITensor Allocate(TensorShape shape) => new ManagedTensor(shape);

    /// <inheritdoc/>
    public ITensor Constant(ReadOnlySpan<float> values, TensorShape shape)
    {
        var t = new ManagedTensor(shape);
        if (values.Length != t.Data.Length)
            throw new ArgumentException($"{values.Length} values for shape {shape}.", nameof(values));
        values.CopyTo(t.Data);
        return t;
    }

    /// <inheritdoc/>
    public void Write(ReadOnlySpan<float> source, ITensor destination)
    {
        if (source.Length != D(destination).Length)
            throw new ArgumentException($"{source.Length} values for shape {destination.Shape}.", nameof(source));
        source.CopyTo(D(destination));
    }

    /// <inheritdoc/>
    public void Read(ITensor source, Span<float> destination)
    {
        if (destination.Length != D(source).Length)
            throw new ArgumentException($"{destination.Length} values for shape {source.Shape}.", nameof(destination));
        D(source).CopyTo(destination);
    }

    /// <inheritdoc/>
    public void Fill(ITensor destination, float value) => Array.Fill(D(destination), value);

    /// <inheritdoc/>
    public void CopySlice(ITensor source, int axis, int sourceStart, ITensor destination, int destinationStart, int length)
    {
        var s = D(source);
        var d = D(destination);
        if (axis == 0)
        {
            int row = source.Shape.ElementCount / Math.Max(1, source.Shape[0]);
            Array.Copy(s, sourceStart * row, d, destinationStart * row, length * row);
            return;
        }
        int sCols = source.Shape[-1], dCols = destination.Shape[-1];
        int rows = source.Shape.ElementCount / Math.Max(1, sCols);
        for (int r = 0; r < rows; r++)
            Array.Copy(s, r * sCols + sourceStart, d, r * dCols + destinationStart, length);
    }

    /// <inheritdoc/>
    public void Transpose(ITensor x, ITensor y)
    {
        int a = x.Shape[0], b = x.Shape[1];
        var xs = D(x);
        var ys = D(y);
        for (int i = 0; i < a; i++)
            for (int j = 0; j < b; j++)
                ys[j * a + i] = xs[i * b + j];
    }

    /// <inheritdoc/>
    public IPackedLinear PackLinear(LinearWeights weights) => new PackedLinear(weights);

    /// <inheritdoc/>
    public IPackedConv PackConv1d(ConvGeometry geometry, ReadOnlyMemory<float> weight, ReadOnlyMemory<float> bias)
    {
        geometry.Validate();
        return new PackedConv(geometry, false, weight.ToArray(), bias.IsEmpty ? null : bias.ToArray());
    }

    /// <inheritdoc/>
    public IPackedConv PackConvTranspose1d(ConvGeometry geometry, ReadOnlyMemory<float> weight, ReadOnlyMemory<float> bias)
    {
        geometry.Validate();
        return new PackedConv(geometry, true, weight.ToArray(), bias.IsEmpty ? null : bias.ToArray());
    }

    /// <summary>Runs body(0 … count−1), on several threads when allowed; one thread allocates nothing.</summary>
    private void ForEachRow(int count, Action<int> body)
    {
        if (Options.Threads == 1)
        {
            for (int i = 0; i < count; i++)
                body(i);
            return;
        }
        Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = Options.Threads <= 0 ? Environment.ProcessorCount : Options.Threads }, body);
    }

    private static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        int n = a.Length, i = 0;
        var acc = Vector<float>.Zero;
        int w = Vector<float>.Count;
        ReadOnlySpan<Vector<float>> va = MemoryMarshal.Cast<float, Vector<float>>(a);
        ReadOnlySpan<Vector<float>> vb = MemoryMarshal.Cast<float, Vector<float>>(b);
        for (int k = 0; k < va.Length; k++)
            acc += va[k] * vb[k];
        i = va.Length * w;
        float sum = Vector.Sum(acc);
        for (; i < n; i++)
            sum += a[i] * b[i];
        return sum;
    }

    /// <inheritdoc/>
    public void Linear(ITensor x, IPackedLinear weights, ITensor y)
    {
        var w = (PackedLinear)weights;
        float[] xs = D(x), ys = D(y);
        if (Options.Threads == 1)
            LinearRows(w, xs, ys, 0, w.OutFeatures);
        else
            LinearParallel(w, xs, ys);
    }

    // Separate methods: a lambda's captured variables would be allocated on every call, even single-threaded.
    private void LinearParallel(PackedLinear w, float[] xs, float[] ys) => ForEachRow(w.OutFeatures, o => LinearRows(w, xs, ys, o, o + 1));

    private void ConvParallel(PackedConv p, float[] xs, float[] ys, int tin, int tout) => ForEachRow(p.Geometry.OutChannels, o => ConvRows(p, xs, ys, tin, tout, o, o + 1));

    private void TransposedParallel(PackedConv p, float[] xs, float[] ys, int tin, int tout) => ForEachRow(p.Geometry.OutChannels, o => TransposedRows(p, xs, ys, tin, tout, o, o + 1));

    private static void LinearRows(PackedLinear w, float[] xs, float[] ys, int from, int to)
    {
        int rows = xs.Length / w.InFeatures;
        for (int o = from; o < to; o++)
        {
            ReadOnlySpan<float> wr = w.Weight.AsSpan(o * w.InFeatures, w.InFeatures);
            float b = w.Bias?[o] ?? 0;
            for (int r = 0; r < rows; r++)
                ys[r * w.OutFeatures + o] = Dot(xs.AsSpan(r * w.InFeatures, w.InFeatures), wr) + b;
        }
    }

    /// <inheritdoc/>
    public void Conv1d(ITensor x, IPackedConv weights, ITensor y)
    {
        var p = (PackedConv)weights;
        var g = p.Geometry;
        var xs = D(x);
        var ys = D(y);
        int tin = x.Shape[1], tout = y.Shape[1];
        if (Options.Threads == 1)
            ConvRows(p, xs, ys, tin, tout, 0, g.OutChannels);
        else
            ConvParallel(p, xs, ys, tin, tout);
    }

    private static void ConvRows(PackedConv p, float[] xs, float[] ys, int tin, int tout, int from, int to)
    {
        var g = p.Geometry;
        int inPerGroup = g.InChannels / g.Groups, outPerGroup = g.OutChannels / g.Groups;
        for (int o = from; o < to; o++)
        {
            int group = o / outPerGroup;
            float b = p.Bias?[o] ?? 0;
            for (int t = 0; t < tout; t++)
            {
                float sum = b;
                for (int ci = 0; ci < inPerGroup; ci++)
                {
                    int c = group * inPerGroup + ci;
                    int wBase = (o * inPerGroup + ci) * g.KernelSize;
                    int xBase = c * tin + t * g.Stride;
                    for (int k = 0; k < g.KernelSize; k++)
                        sum += p.Weight[wBase + k] * xs[xBase + k * g.Dilation];
                }
                ys[o * tout + t] = sum;
            }
        }
    }

    /// <inheritdoc/>
    public void ConvTranspose1d(ITensor x, IPackedConv weights, ITensor y)
    {
        var p = (PackedConv)weights;
        var g = p.Geometry;
        var xs = D(x);
        var ys = D(y);
        int tin = x.Shape[1], tout = y.Shape[1];
        if (Options.Threads == 1)
            TransposedRows(p, xs, ys, tin, tout, 0, g.OutChannels);
        else
            TransposedParallel(p, xs, ys, tin, tout);
    }

    private static void TransposedRows(PackedConv p, float[] xs, float[] ys, int tin, int tout, int from, int to)
    {
        var g = p.Geometry;
        int inPerGroup = g.InChannels / g.Groups, outPerGroup = g.OutChannels / g.Groups;
        for (int o = from; o < to; o++)
        {
            int group = o / outPerGroup, oi = o % outPerGroup;
            Span<float> row = ys.AsSpan(o * tout, tout);
            row.Fill(p.Bias?[o] ?? 0);
            for (int ci = 0; ci < inPerGroup; ci++)
            {
                int c = group * inPerGroup + ci;
                int wBase = (c * outPerGroup + oi) * g.KernelSize;
                for (int t = 0; t < tin; t++)
                {
                    float v = xs[c * tin + t];
                    for (int k = 0; k < g.KernelSize; k++)
                        row[t * g.Stride + k] += v * p.Weight[wBase + k];
                }
            }
        }
    }

    /// <inheritdoc/>
    public void LayerNorm(ITensor x, ITensor? weight, ITensor? bias, float eps, ITensor y)
    {
        var xs = D(x);
        var ys = D(y);
        int n = x.Shape[-1];
        float[]? w = weight is null ? null : D(weight);
        float[]? b = bias is null ? null : D(bias);
        for (int r = 0; r < xs.Length / n; r++)
        {
            var row = xs.AsSpan(r * n, n);
            double mean = 0;
            foreach (float v in row)
                mean += v;
            mean /= n;
            double var = 0;
            foreach (float v in row)
                var += (v - mean) * (v - mean);
            var /= n;
            float inv = (float)(1 / Math.Sqrt(var + eps));
            for (int i = 0; i < n; i++)
            {
                float v = (float)(row[i] - mean) * inv;
                ys[r * n + i] = w is null ? v : v * w[i] + b![i];
            }
        }
    }

    /// <inheritdoc/>
    public void VarianceNorm(ITensor x, ITensor alpha, float eps, ITensor y)
    {
        var xs = D(x);
        var ys = D(y);
        var a = D(alpha);
        int n = x.Shape[-1];
        for (int r = 0; r < xs.Length / n; r++)
        {
            var row = xs.AsSpan(r * n, n);
            double mean = 0;
            foreach (float v in row)
                mean += v;
            mean /= n;
            double var = 0;
            foreach (float v in row)
                var += (v - mean) * (v - mean);
            var /= n - 1;
            float inv = (float)(1 / Math.Sqrt(var + eps));
            for (int i = 0; i < n; i++)
                ys[r * n + i] = row[i] * a[i] * inv;
        }
    }

    /// <inheritdoc/>
    public void Unary(UnaryOp op, ITensor x, ITensor y)
    {
        var xs = D(x);
        var ys = D(y);
        for (int i = 0; i < xs.Length; i++)
        {
            float v = xs[i];
            ys[i] = op switch
            {
                UnaryOp.Elu => v > 0 ? v : MathF.Exp(v) - 1,
                UnaryOp.Gelu => (float)(0.5 * v * (1 + Erf(v / Math.Sqrt(2)))),
                UnaryOp.Silu => v / (1 + MathF.Exp(-v)),
                _ => throw new ArgumentOutOfRangeException(nameof(op)),
            };
        }
    }

    private static double Erf(double x)
    {
        // Abramowitz–Stegun 7.1.26 is too coarse; use the series/continued fraction via Math functions.
        double t = 1 / (1 + 0.5 * Math.Abs(x));
        double y = 1 - t * Math.Exp(-x * x - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? y : -y;
    }

    /// <inheritdoc/>
    public void Binary(BinaryOp op, ITensor a, ITensor b, ITensor y)
    {
        var xa = D(a);
        var xb = D(b);
        var ys = D(y);
        int m = xb.Length;
        for (int i = 0; i < xa.Length; i++)
            ys[i] = op == BinaryOp.Add ? xa[i] + xb[i % m] : xa[i] * xb[i % m];
    }

    /// <inheritdoc/>
    public void ScaleShift(ITensor x, float scale, float shift, ITensor y)
    {
        var xs = D(x);
        var ys = D(y);
        for (int i = 0; i < xs.Length; i++)
            ys[i] = xs[i] * scale + shift;
    }

    /// <inheritdoc/>
    public void Rope(ITensor x, int heads, int position, float maxPeriod, ITensor y)
    {
        var xs = D(x);
        var ys = D(y);
        int width = x.Shape[-1], rows = xs.Length / width, headDim = width / heads;
        for (int t = 0; t < rows; t++)
        {
            float ts = position + t;
            for (int h = 0; h < heads; h++)
            {
                for (int i = 0; i < headDim / 2; i++)
                {
                    float freq = MathF.Exp(i * (-MathF.Log(maxPeriod) * 2 / headDim));
                    float angle = freq * ts;
                    float c = MathF.Cos(angle), s = MathF.Sin(angle);
                    int idx = t * width + h * headDim + 2 * i;
                    float re = xs[idx], im = xs[idx + 1];
                    ys[idx] = re * c - im * s;
                    ys[idx + 1] = re * s + im * c;
                }
            }
        }
    }

    /// <inheritdoc/>
    public IKvCache CreateKvCache(int heads, int headDim, int capacity, int? window) => new ManagedKvCache(heads, headDim, capacity, window);

    /// <inheritdoc/>
    public void Attention(ITensor q, ITensor k, ITensor v, IKvCache cache, int position, ITensor y)
    {
        var c = (ManagedKvCache)cache;
        int width = c.Heads * c.HeadDim, rows = q.Shape[0];
        var qs = D(q);
        var ks = D(k);
        var vs = D(v);
        var ys = D(y);
        for (int t = 0; t < rows; t++)
        {
            int slot = (position + t) % c.Capacity;
            Array.Copy(ks, t * width, c.Keys, slot * width, width);
            Array.Copy(vs, t * width, c.Values, slot * width, width);
        }
        float scale = 1 / MathF.Sqrt(c.HeadDim);
        float[] scores = c.Scores;
        for (int t = 0; t < rows; t++)
        {
            int pos = position + t;
            int first = c.Window is { } w ? Math.Max(0, pos - w + 1) : 0;
            for (int h = 0; h < c.Heads; h++)
            {
                var qrow = qs.AsSpan(t * width + h * c.HeadDim, c.HeadDim);
                float max = float.NegativeInfinity;
                for (int j = first; j <= pos; j++)
                {
                    int slot = j % c.Capacity;
                    float s = Dot(qrow, c.Keys.AsSpan(slot * width + h * c.HeadDim, c.HeadDim)) * scale;
                    scores[j - first] = s;
                    max = MathF.Max(max, s);
                }
                float sum = 0;
                for (int j = first; j <= pos; j++)
                {
                    float e = MathF.Exp(scores[j - first] - max);
                    scores[j - first] = e;
                    sum += e;
                }
                var yrow = ys.AsSpan(t * width + h * c.HeadDim, c.HeadDim);
                yrow.Clear();
                for (int j = first; j <= pos; j++)
                {
                    int slot = j % c.Capacity;
                    float p = scores[j - first] / sum;
                    var vrow = c.Values.AsSpan(slot * width + h * c.HeadDim, c.HeadDim);
                    for (int d = 0; d < c.HeadDim; d++)
                        yrow[d] += p * vrow[d];
                }
            }
        }
    }

    /// <inheritdoc/>
    public void ReadKvCache(IKvCache cache, int length, Span<float> keys, Span<float> values)
    {
        var c = (ManagedKvCache)cache;
        int n = length * c.Heads * c.HeadDim;
        c.Keys.AsSpan(0, n).CopyTo(keys);
        c.Values.AsSpan(0, n).CopyTo(values);
    }

    /// <inheritdoc/>
    public void WriteKvCache(IKvCache cache, int length, ReadOnlySpan<float> keys, ReadOnlySpan<float> values)
    {
        var c = (ManagedKvCache)cache;
        int n = length * c.Heads * c.HeadDim;
        keys[..n].CopyTo(c.Keys);
        values[..n].CopyTo(c.Values);
    }

    /// <inheritdoc/>
    public void Embedding(ITensor table, ReadOnlySpan<int> ids, ITensor y)
    {
        var t = D(table);
        var ys = D(y);
        int n = table.Shape[1];
        for (int i = 0; i < ids.Length; i++)
        {
            if ((uint)ids[i] >= (uint)table.Shape[0])
                throw new ArgumentOutOfRangeException(nameof(ids), ids[i], $"Id outside the table of {table.Shape[0]} rows.");
            Array.Copy(t, ids[i] * n, ys, i * n, n);
        }
    }

    /// <inheritdoc/>
    public void ReplaceNaN(ITensor x, ITensor fill, ITensor y)
    {
        var xs = D(x);
        var f = D(fill);
        var ys = D(y);
        for (int i = 0; i < xs.Length; i++)
            ys[i] = float.IsNaN(xs[i]) ? f[i % f.Length] : xs[i];
    }

    /// <inheritdoc/>
    public void TimestepEmbedding(ITensor t, ITensor frequencies, ITensor y)
    {
        var ts = D(t);
        var f = D(frequencies);
        var ys = D(y);
        int half = f.Length;
        for (int r = 0; r < ts.Length; r++)
        {
            for (int i = 0; i < half; i++)
            {
                float a = ts[r] * f[i];
                ys[r * 2 * half + i] = MathF.Cos(a);
                ys[r * 2 * half + half + i] = MathF.Sin(a);
            }
        }
    }
}
