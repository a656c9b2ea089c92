using PocketTts.Backends.Managed.Kernels;
using PocketTts.Tensors;

namespace PocketTts.Backends.Managed;

/// <summary>
/// The <c>managed</c> tensor backend: tensors are float arrays in managed memory and every operation is a
/// static kernel in <c>Kernels/</c>, vectorised with 256-bit vectors and FMA where the CPU has them, with a scalar
/// path elsewhere. Linear layers, convolutions and attention run on <see cref="BackendOptions.Threads"/> threads;
/// results are bit-identical for every thread count.
/// </summary>
/// <remarks>
/// Thread safety follows <see cref="ITensorBackend"/>: packed weights and constants may be shared, a written
/// tensor or cache belongs to one thread at a time. The per-frame operations allocate nothing once warm.
/// <para>The kernels' inner loops carry <see cref="System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization"/>:
/// compiled at tier 0 first, as .NET does by default, their vector helpers are calls, not instructions, until tiering
/// catches up. A one-shot <c>pocket-tts generate</c> of 19 s of speech spent about a sixth of its wall time there
/// (7.0 → 6.0 s). Warm, nothing changes.</para>
/// </remarks>
public sealed class ManagedTensorBackend : ITensorBackend
{
    private const string BackendName = "managed";

    private readonly WorkerPool _pool;

    /// <summary>Creates the backend.</summary>
    /// <param name="options">
    /// <see cref="BackendOptions.Threads"/>: threads per operation, 0 for one per core, 1 for the caller's only.
    /// </param>
    /// <exception cref="ArgumentOutOfRangeException">Threads is negative.</exception>
    public ManagedTensorBackend(BackendOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegative(options.Threads, nameof(options));
        Options = options;
        _pool = new WorkerPool(options.Threads == 0 ? Environment.ProcessorCount : options.Threads);
    }

    /// <inheritdoc/>
    public string Name => BackendName;

    /// <inheritdoc/>
    public CpuKernels CpuKernels => Simd.Kernels;

    internal BackendOptions Options { get; }

    /// <summary>Threads one operation uses, the caller's included.</summary>
    public int Threads => _pool.Threads;

    /// <inheritdoc/>
    public int? ComputeThreads => _pool.Threads;

    /// <summary>Stops the worker threads.</summary>
    public void Dispose() => _pool.Dispose();

    /// <inheritdoc/>
    public ITensor Allocate(TensorShape shape) => new ManagedTensor(shape);

    /// <inheritdoc/>
    public ITensor Constant(ReadOnlySpan<float> values, TensorShape shape)
    {
        TensorArguments.Count(nameof(Constant), nameof(values), values.Length, shape.ElementCount);
        var t = new ManagedTensor(shape);
        values.CopyTo(t.Data);
        return t;
    }

    /// <inheritdoc/>
    public void Write(ReadOnlySpan<float> source, ITensor destination)
    {
        ManagedTensor d = Own(destination, nameof(Write), nameof(destination));
        TensorArguments.Count(nameof(Write), nameof(source), source.Length, d.Data.Length);
        source.CopyTo(d.Data);
    }

    /// <inheritdoc/>
    public void Read(ITensor source, Span<float> destination)
    {
        ManagedTensor s = Own(source, nameof(Read), nameof(source));
        TensorArguments.Count(nameof(Read), nameof(destination), destination.Length, s.Data.Length);
        s.Data.CopyTo(destination);
    }

    /// <inheritdoc/>
    public void Fill(ITensor destination, float value) => Own(destination, nameof(Fill), nameof(destination)).Data.AsSpan().Fill(value);

    /// <inheritdoc/>
    public void CopySlice(ITensor source, int axis, int sourceStart, ITensor destination, int destinationStart, int length)
    {
        const string op = nameof(CopySlice);
        ManagedTensor s = Own(source, op, nameof(source)), d = Own(destination, op, nameof(destination));
        TensorArguments.CopySlice(s, axis, sourceStart, d, destinationStart, length);
        TensorShape ss = s.Shape, ds = d.Shape;
        int rank = ss.Rank;
        if (axis == 0)
        {
            int inner = rank == 1 ? 1 : s.Data.Length / Math.Max(1, ss[0]);
            if (ss[0] == 0)
                return;
            s.Data.AsSpan(sourceStart * inner, length * inner).CopyTo(d.Data.AsSpan(destinationStart * inner));
            return;
        }
        int sourceRow = ss[axis], destinationRow = ds[axis];
        int rows = sourceRow == 0 ? 0 : s.Data.Length / sourceRow;
        for (int r = 0; r < rows; r++)
            s.Data.AsSpan(r * sourceRow + sourceStart, length).CopyTo(d.Data.AsSpan(r * destinationRow + destinationStart));
    }

    /// <inheritdoc/>
    public void Transpose(ITensor x, ITensor y)
    {
        const string op = nameof(Transpose);
        ManagedTensor xt = Own(x, op, nameof(x)), yt = Own(y, op, nameof(y));
        TensorArguments.Transpose(xt, yt);
        int a = xt.Shape[0], b = xt.Shape[1];
        Layout.Transpose(xt.Data, a, b, yt.Data);
    }

    /// <inheritdoc/>
    public IPackedLinear PackLinear(LinearWeights weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        return PackedLinear.Create(weights);
    }

    /// <inheritdoc/>
    public IPackedConv PackConv1d(ConvGeometry geometry, ReadOnlyMemory<float> weight, ReadOnlyMemory<float> bias)
    {
        TensorArguments.PackConv1d(geometry, weight.Length, bias.Length);
        return PackedConv.Conv(geometry, weight.Span, PackBias(bias));
    }

    /// <inheritdoc/>
    public IPackedConv PackConvTranspose1d(ConvGeometry geometry, ReadOnlyMemory<float> weight, ReadOnlyMemory<float> bias)
    {
        TensorArguments.PackConvTranspose1d(geometry, weight.Length, bias.Length);
        return PackedConv.Transposed(geometry, weight.Span, PackBias(bias));
    }

    private static float[]? PackBias(ReadOnlyMemory<float> bias) => bias.IsEmpty ? null : WeightArrays.Copy(bias.Span);

    /// <inheritdoc/>
    public void Linear(ITensor x, IPackedLinear weights, ITensor y)
    {
        const string op = nameof(Linear);
        ManagedTensor xt = Own(x, op, nameof(x)), yt = Own(y, op, nameof(y));
        var w = TensorArguments.OwnWeights<PackedLinear>(weights, op, BackendName);
        int rows = TensorArguments.Linear(xt, w, yt);
        if (rows == 0)
            return;
        if (w.IsQuantized)
            QuantizedGemm.Run(xt.Data, rows, w, yt.Data, _pool);
        else
            Gemm.Run(xt.Data, rows, w, yt.Data, _pool);
    }

    /// <inheritdoc/>
    public void Conv1d(ITensor x, IPackedConv weights, ITensor y)
    {
        (ManagedTensor xt, PackedConv w, ManagedTensor yt) = ConvArguments(nameof(Conv1d), x, weights, y);
        int length = TensorArguments.Conv1d(xt, w, yt);
        Kernels.Conv1d.Run(xt.Data, length, w, yt.Data, _pool);
    }

    /// <inheritdoc/>
    public void ConvTranspose1d(ITensor x, IPackedConv weights, ITensor y)
    {
        (ManagedTensor xt, PackedConv w, ManagedTensor yt) = ConvArguments(nameof(ConvTranspose1d), x, weights, y);
        int length = TensorArguments.ConvTranspose1d(xt, w, yt);
        Kernels.ConvTranspose1d.Run(xt.Data, length, w, yt.Data, _pool);
    }

    private static (ManagedTensor X, PackedConv W, ManagedTensor Y) ConvArguments(string op, ITensor x, IPackedConv weights, ITensor y) =>
        (Own(x, op, nameof(x)), TensorArguments.OwnWeights<PackedConv>(weights, op, BackendName), Own(y, op, nameof(y)));

    /// <inheritdoc/>
    public void LayerNorm(ITensor x, ITensor? weight, ITensor? bias, float eps, ITensor y)
    {
        const string op = nameof(LayerNorm);
        ManagedTensor xt = Own(x, op, nameof(x)), yt = Own(y, op, nameof(y));
        ManagedTensor? wt = weight is null ? null : Own(weight, op, nameof(weight)), bt = bias is null ? null : Own(bias, op, nameof(bias));
        int features = TensorArguments.LayerNorm(xt, wt, bt, yt);
        ReadOnlySpan<float> w = wt is null ? default : wt.Data, b = bt is null ? default : bt.Data;
        if (features > 0)
            Norms.LayerNorm(xt.Data, w, b, eps, yt.Data, features);
    }

    /// <inheritdoc/>
    public void VarianceNorm(ITensor x, ITensor alpha, float eps, ITensor y)
    {
        const string op = nameof(VarianceNorm);
        ManagedTensor xt = Own(x, op, nameof(x)), at = Own(alpha, op, nameof(alpha)), yt = Own(y, op, nameof(y));
        TensorArguments.VarianceNorm(xt, at, yt);
        if (at.Data.Length > 0)
            Norms.VarianceNorm(xt.Data, at.Data, eps, yt.Data);
    }

    /// <inheritdoc/>
    public void Unary(UnaryOp op, ITensor x, ITensor y)
    {
        ManagedTensor xt = Own(x, nameof(Unary), nameof(x)), yt = Own(y, nameof(Unary), nameof(y));
        TensorArguments.Unary(op, xt, yt);
        switch (op)
        {
            case UnaryOp.Elu:
                Elementwise.Map(default(EluOperator), xt.Data, yt.Data, _pool);
                break;
            case UnaryOp.Gelu:
                Elementwise.Map(default(GeluOperator), xt.Data, yt.Data, _pool);
                break;
            case UnaryOp.GeluTanh:
                Elementwise.Map(default(GeluTanhOperator), xt.Data, yt.Data, _pool);
                break;
            case UnaryOp.Silu:
                Elementwise.Map(default(SiluOperator), xt.Data, yt.Data, _pool);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(op), op, $"{nameof(Unary)}: unknown operation.");
        }
    }

    /// <inheritdoc/>
    public void Binary(BinaryOp op, ITensor a, ITensor b, ITensor y)
    {
        const string name = nameof(Binary);
        ManagedTensor at = Own(a, name, nameof(a)), bt = Own(b, name, nameof(b)), yt = Own(y, name, nameof(y));
        TensorArguments.Binary(op, at, bt, yt);
        if (at.Data.Length == 0)
            return;
        switch (op)
        {
            case BinaryOp.Add:
                Elementwise.Zip(default(AddOperator), at.Data, bt.Data, yt.Data, _pool);
                break;
            case BinaryOp.Multiply:
                Elementwise.Zip(default(MultiplyOperator), at.Data, bt.Data, yt.Data, _pool);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(op), op, $"{name}: unknown operation.");
        }
    }

    /// <inheritdoc/>
    public void ScaleShift(ITensor x, float scale, float shift, ITensor y)
    {
        ManagedTensor xt = Own(x, nameof(ScaleShift), nameof(x)), yt = Own(y, nameof(ScaleShift), nameof(y));
        TensorArguments.ScaleShift(xt, yt);
        Elementwise.Map(new ScaleShiftOperator(scale, shift), xt.Data, yt.Data, _pool);
    }

    /// <inheritdoc/>
    public void Rope(ITensor x, int heads, int position, float maxPeriod, ITensor y)
    {
        const string op = nameof(Rope);
        ManagedTensor xt = Own(x, op, nameof(x)), yt = Own(y, op, nameof(y));
        TensorArguments.Rope(xt, heads, position, maxPeriod, yt);
        Kernels.Rope.Apply(xt.Data, heads, xt.Shape[1] / heads, position, maxPeriod, yt.Data);
    }

    /// <inheritdoc/>
    public IKvCache CreateKvCache(int heads, int headDim, int capacity, int? window)
    {
        TensorArguments.CreateKvCache(heads, headDim, capacity, window);
        return new ManagedKvCache(heads, headDim, capacity, window);
    }

    /// <inheritdoc/>
    public void Attention(ITensor q, ITensor k, ITensor v, IKvCache cache, int position, ITensor y)
    {
        const string op = nameof(Attention);
        ManagedTensor qt = Own(q, op, nameof(q)), kt = Own(k, op, nameof(k));
        ManagedTensor vt = Own(v, op, nameof(v)), yt = Own(y, op, nameof(y));
        ManagedKvCache c = Cache(op, cache);
        int rows = TensorArguments.Attention(op, qt, kt, vt, c, position, yt);
        if (rows > 0)
            Kernels.Attention.Run(qt.Data, kt.Data, vt.Data, rows, c, position, yt.Data, _pool);
    }

    /// <inheritdoc/>
    public void ReadKvCache(IKvCache cache, int length, Span<float> keys, Span<float> values)
    {
        ManagedKvCache c = LinearCache(nameof(ReadKvCache), cache, length, keys.Length, values.Length);
        for (int h = 0; h < c.Heads; h++)
        {
            for (int t = 0; t < length; t++)
            {
                int from = (h * c.Capacity + t) * c.HeadDim, to = (t * c.Heads + h) * c.HeadDim;
                c.Keys.AsSpan(from, c.HeadDim).CopyTo(keys.Slice(to, c.HeadDim));
                c.Values.AsSpan(from, c.HeadDim).CopyTo(values.Slice(to, c.HeadDim));
            }
        }
    }

    /// <inheritdoc/>
    public void WriteKvCache(IKvCache cache, int length, ReadOnlySpan<float> keys, ReadOnlySpan<float> values)
    {
        ManagedKvCache c = LinearCache(nameof(WriteKvCache), cache, length, keys.Length, values.Length);
        for (int h = 0; h < c.Heads; h++)
        {
            for (int t = 0; t < length; t++)
            {
                int to = (h * c.Capacity + t) * c.HeadDim, from = (t * c.Heads + h) * c.HeadDim;
                keys.Slice(from, c.HeadDim).CopyTo(c.Keys.AsSpan(to, c.HeadDim));
                values.Slice(from, c.HeadDim).CopyTo(c.Values.AsSpan(to, c.HeadDim));
            }
        }
    }

    private static ManagedTensor Own(ITensor tensor, string op, string name) => TensorArguments.Own<ManagedTensor>(tensor, op, name, BackendName);

    private static ManagedKvCache Cache(string op, IKvCache cache) => TensorArguments.OwnCache<ManagedKvCache>(cache, op, BackendName);

    private static ManagedKvCache LinearCache(string op, IKvCache cache, int length, int keys, int values)
    {
        ManagedKvCache c = Cache(op, cache);
        TensorArguments.KvCacheCopy(op, c, length, keys, values);
        return c;
    }

    /// <inheritdoc/>
    public void Embedding(ITensor table, ReadOnlySpan<int> ids, ITensor y)
    {
        const string op = nameof(Embedding);
        ManagedTensor tt = Own(table, op, nameof(table)), yt = Own(y, op, nameof(y));
        TensorArguments.Embedding(tt, ids, yt);
        int features = tt.Shape[1];
        Layout.Gather(tt.Data, ids, features, yt.Data);
    }

    /// <inheritdoc/>
    public void ReplaceNaN(ITensor x, ITensor fill, ITensor y)
    {
        const string op = nameof(ReplaceNaN);
        ManagedTensor xt = Own(x, op, nameof(x)), ft = Own(fill, op, nameof(fill)), yt = Own(y, op, nameof(y));
        TensorArguments.ReplaceNaN(xt, ft, yt);
        if (xt.Data.Length > 0)
            Elementwise.Zip(default(ReplaceNaNOperator), xt.Data, ft.Data, yt.Data);
    }

    /// <inheritdoc/>
    public void TimestepEmbedding(ITensor t, ITensor frequencies, ITensor y)
    {
        const string op = nameof(TimestepEmbedding);
        ManagedTensor tt = Own(t, op, nameof(t)), ft = Own(frequencies, op, nameof(frequencies)), yt = Own(y, op, nameof(y));
        TensorArguments.TimestepEmbedding(tt, ft, yt);
        Layout.TimestepEmbedding(tt.Data, ft.Data, yt.Data);
    }
}
