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
        TensorArguments.Distinct(op, nameof(destination), d, nameof(source), s);
        TensorShape ss = s.Shape, ds = d.Shape;
        int rank = ss.Rank;
        if (rank == 0 || ds.Rank != rank)
            throw new ArgumentException($"{op}: source has shape {ss} and destination {ds}; both need the same rank, at least 1.", nameof(destination));
        if (axis != 0 && axis != rank - 1)
            throw new ArgumentOutOfRangeException(nameof(axis), axis, $"{op}: axis must be 0 or the last axis ({rank - 1}) of {ss}.");
        for (int i = 0; i < rank; i++)
        {
            if (i != axis && ss[i] != ds[i])
                throw new ArgumentException($"{op}: source has shape {ss} and destination {ds}; they must agree on every axis but {axis}.", nameof(destination));
        }
        if (length < 0 || sourceStart < 0 || sourceStart > ss[axis] - length)
            throw new ArgumentOutOfRangeException(nameof(sourceStart), $"{op}: slices {sourceStart}…{sourceStart + length - 1} are outside axis {axis} of source {ss}.");
        if (destinationStart < 0 || destinationStart > ds[axis] - length)
            throw new ArgumentOutOfRangeException(nameof(destinationStart), $"{op}: slices {destinationStart}…{destinationStart + length - 1} are outside axis {axis} of destination {ds}.");
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
        if (xt.Shape.Rank != 2)
            throw new ArgumentException($"{op}: x has shape {xt.Shape}, expected a matrix [a, b].", nameof(x));
        int a = xt.Shape[0], b = xt.Shape[1];
        TensorArguments.Matrix(op, nameof(y), yt, b, a);
        TensorArguments.Distinct(op, nameof(y), yt, nameof(x), xt);
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
        ArgumentNullException.ThrowIfNull(geometry);
        geometry.Validate();
        TensorArguments.Count(nameof(PackConv1d), nameof(weight), weight.Length, checked(geometry.OutChannels * (geometry.InChannels / geometry.Groups) * geometry.KernelSize));
        return PackedConv.Conv(geometry, weight.Span, PackBias(nameof(PackConv1d), geometry, bias));
    }

    /// <inheritdoc/>
    public IPackedConv PackConvTranspose1d(ConvGeometry geometry, ReadOnlyMemory<float> weight, ReadOnlyMemory<float> bias)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        geometry.Validate();
        if (geometry.Dilation != 1)
            throw new ArgumentException($"{nameof(PackConvTranspose1d)}: transposed convolutions support dilation 1 only, got {geometry}.", nameof(geometry));
        TensorArguments.Count(nameof(PackConvTranspose1d), nameof(weight), weight.Length, checked(geometry.InChannels * (geometry.OutChannels / geometry.Groups) * geometry.KernelSize));
        return PackedConv.Transposed(geometry, weight.Span, PackBias(nameof(PackConvTranspose1d), geometry, bias));
    }

    private static float[]? PackBias(string op, ConvGeometry geometry, ReadOnlyMemory<float> bias)
    {
        if (bias.IsEmpty)
            return null;
        TensorArguments.Count(op, nameof(bias), bias.Length, geometry.OutChannels);
        return WeightArrays.Copy(bias.Span);
    }

    /// <inheritdoc/>
    public void Linear(ITensor x, IPackedLinear weights, ITensor y)
    {
        const string op = nameof(Linear);
        ManagedTensor xt = Own(x, op, nameof(x)), yt = Own(y, op, nameof(y));
        var w = TensorArguments.OwnWeights<PackedLinear>(weights, op, BackendName);
        TensorArguments.Columns(op, nameof(x), xt, w.InFeatures, "rows", "InFeatures");
        int rows = xt.Shape[0];
        TensorArguments.Matrix(op, nameof(y), yt, rows, w.OutFeatures);
        TensorArguments.Distinct(op, nameof(y), yt, nameof(x), xt);
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
        const string op = nameof(Conv1d);
        (ManagedTensor xt, PackedConv w, ManagedTensor yt) = ConvArguments(op, x, weights, y, transposed: false);
        int length = xt.Shape[1];
        TensorArguments.Matrix(op, nameof(y), yt, w.Geometry.OutChannels, w.Geometry.ConvOutputLength(length));
        Kernels.Conv1d.Run(xt.Data, length, w, yt.Data, _pool);
    }

    /// <inheritdoc/>
    public void ConvTranspose1d(ITensor x, IPackedConv weights, ITensor y)
    {
        const string op = nameof(ConvTranspose1d);
        (ManagedTensor xt, PackedConv w, ManagedTensor yt) = ConvArguments(op, x, weights, y, transposed: true);
        int length = xt.Shape[1];
        TensorArguments.Matrix(op, nameof(y), yt, w.Geometry.OutChannels, w.Geometry.TransposedOutputLength(length));
        Kernels.ConvTranspose1d.Run(xt.Data, length, w, yt.Data, _pool);
    }

    private static (ManagedTensor X, PackedConv W, ManagedTensor Y) ConvArguments(string op, ITensor x, IPackedConv weights, ITensor y, bool transposed)
    {
        ManagedTensor xt = Own(x, op, nameof(x)), yt = Own(y, op, nameof(y));
        var w = TensorArguments.OwnWeights<PackedConv>(weights, op, BackendName);
        TensorArguments.Convolution(op, xt, w, yt, transposed);
        return (xt, w, yt);
    }

    /// <inheritdoc/>
    public void LayerNorm(ITensor x, ITensor? weight, ITensor? bias, float eps, ITensor y)
    {
        const string op = nameof(LayerNorm);
        ManagedTensor xt = Own(x, op, nameof(x)), yt = Own(y, op, nameof(y));
        TensorArguments.MinRank(op, nameof(x), xt, 1);
        TensorArguments.SameShape(op, nameof(y), yt, nameof(x), xt);
        int features = xt.Shape[-1];
        if ((weight is null) != (bias is null))
            throw new ArgumentException($"{op}: weight and bias must both be given or both be null.", weight is null ? nameof(weight) : nameof(bias));
        ReadOnlySpan<float> w = default, b = default;
        if (weight is not null)
        {
            ManagedTensor wt = Own(weight, op, nameof(weight)), bt = Own(bias!, op, nameof(bias));
            TensorArguments.Vector(op, nameof(weight), wt, features);
            TensorArguments.Vector(op, nameof(bias), bt, features);
            w = wt.Data;
            b = bt.Data;
        }
        if (features > 0)
            Norms.LayerNorm(xt.Data, w, b, eps, yt.Data, features);
    }

    /// <inheritdoc/>
    public void VarianceNorm(ITensor x, ITensor alpha, float eps, ITensor y)
    {
        const string op = nameof(VarianceNorm);
        ManagedTensor xt = Own(x, op, nameof(x)), at = Own(alpha, op, nameof(alpha)), yt = Own(y, op, nameof(y));
        TensorArguments.MinRank(op, nameof(x), xt, 1);
        TensorArguments.SameShape(op, nameof(y), yt, nameof(x), xt);
        TensorArguments.Vector(op, nameof(alpha), at, xt.Shape[-1]);
        if (at.Data.Length > 0)
            Norms.VarianceNorm(xt.Data, at.Data, eps, yt.Data);
    }

    /// <inheritdoc/>
    public void Unary(UnaryOp op, ITensor x, ITensor y)
    {
        ManagedTensor xt = Own(x, nameof(Unary), nameof(x)), yt = Own(y, nameof(Unary), nameof(y));
        TensorArguments.SameShape(nameof(Unary), nameof(y), yt, nameof(x), xt);
        switch (op)
        {
            case UnaryOp.Elu:
                Elementwise.Map(default(EluOperator), xt.Data, yt.Data);
                break;
            case UnaryOp.Gelu:
                Elementwise.Map(default(GeluOperator), xt.Data, yt.Data);
                break;
            case UnaryOp.GeluTanh:
                Elementwise.Map(default(GeluTanhOperator), xt.Data, yt.Data);
                break;
            case UnaryOp.Silu:
                Elementwise.Map(default(SiluOperator), xt.Data, yt.Data);
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
        TensorArguments.SameShape(name, nameof(y), yt, nameof(a), at);
        ReadOnlySpan<int> ad = at.Shape.Dims, bd = bt.Shape.Dims;
        if (bd.Length > ad.Length || !ad[(ad.Length - bd.Length)..].SequenceEqual(bd))
            throw new ArgumentException($"{name}: b has shape {bt.Shape}, expected {at.Shape} or its trailing axes (the shape of a).", nameof(b));
        if (at.Data.Length == 0)
            return;
        switch (op)
        {
            case BinaryOp.Add:
                Elementwise.Zip(default(AddOperator), at.Data, bt.Data, yt.Data);
                break;
            case BinaryOp.Multiply:
                Elementwise.Zip(default(MultiplyOperator), at.Data, bt.Data, yt.Data);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(op), op, $"{name}: unknown operation.");
        }
    }

    /// <inheritdoc/>
    public void ScaleShift(ITensor x, float scale, float shift, ITensor y)
    {
        ManagedTensor xt = Own(x, nameof(ScaleShift), nameof(x)), yt = Own(y, nameof(ScaleShift), nameof(y));
        TensorArguments.SameShape(nameof(ScaleShift), nameof(y), yt, nameof(x), xt);
        Elementwise.Map(new ScaleShiftOperator(scale, shift), xt.Data, yt.Data);
    }

    /// <inheritdoc/>
    public void Rope(ITensor x, int heads, int position, float maxPeriod, ITensor y)
    {
        const string op = nameof(Rope);
        ManagedTensor xt = Own(x, op, nameof(x)), yt = Own(y, op, nameof(y));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(heads);
        ArgumentOutOfRangeException.ThrowIfNegative(position);
        if (!(maxPeriod > 0f))
            throw new ArgumentOutOfRangeException(nameof(maxPeriod), maxPeriod, $"{op}: maxPeriod must be positive.");
        if (xt.Shape.Rank != 2 || xt.Shape[1] % (2 * heads) != 0)
            throw new ArgumentException($"{op}: x has shape {xt.Shape}, expected [T, heads·headDim] with {heads} heads of an even headDim.", nameof(x));
        TensorArguments.SameShape(op, nameof(y), yt, nameof(x), xt);
        Kernels.Rope.Apply(xt.Data, heads, xt.Shape[1] / heads, position, maxPeriod, yt.Data);
    }

    /// <inheritdoc/>
    public IKvCache CreateKvCache(int heads, int headDim, int capacity, int? window)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(heads);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(headDim);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        if (window is int w && (w <= 0 || w > capacity))
            throw new ArgumentOutOfRangeException(nameof(window), w, $"{nameof(CreateKvCache)}: the window must be between 1 and the capacity ({capacity}).");
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
        if (tt.Shape.Rank != 2)
            throw new ArgumentException($"{op}: table has shape {tt.Shape}, expected [rows, features].", nameof(table));
        int rows = tt.Shape[0], features = tt.Shape[1];
        TensorArguments.Matrix(op, nameof(y), yt, ids.Length, features);
        for (int i = 0; i < ids.Length; i++)
        {
            if ((uint)ids[i] >= (uint)rows)
                throw new ArgumentOutOfRangeException(nameof(ids), ids[i], $"{op}: ids[{i}] = {ids[i]} is outside the table's {rows} rows.");
        }
        Layout.Gather(tt.Data, ids, features, yt.Data);
    }

    /// <inheritdoc/>
    public void ReplaceNaN(ITensor x, ITensor fill, ITensor y)
    {
        const string op = nameof(ReplaceNaN);
        ManagedTensor xt = Own(x, op, nameof(x)), ft = Own(fill, op, nameof(fill)), yt = Own(y, op, nameof(y));
        if (xt.Shape.Rank != 2)
            throw new ArgumentException($"{op}: x has shape {xt.Shape}, expected [rows, features].", nameof(x));
        TensorArguments.Vector(op, nameof(fill), ft, xt.Shape[1]);
        TensorArguments.SameShape(op, nameof(y), yt, nameof(x), xt);
        if (xt.Data.Length > 0)
            Elementwise.Zip(default(ReplaceNaNOperator), xt.Data, ft.Data, yt.Data);
    }

    /// <inheritdoc/>
    public void TimestepEmbedding(ITensor t, ITensor frequencies, ITensor y)
    {
        const string op = nameof(TimestepEmbedding);
        ManagedTensor tt = Own(t, op, nameof(t)), ft = Own(frequencies, op, nameof(frequencies)), yt = Own(y, op, nameof(y));
        TensorArguments.Columns(op, nameof(t), tt, 1, "rows", "1");
        if (ft.Shape.Rank != 1)
            throw new ArgumentException($"{op}: frequencies has shape {ft.Shape}, expected [half].", nameof(frequencies));
        TensorArguments.Matrix(op, nameof(y), yt, tt.Shape[0], 2 * ft.Shape[0]);
        Layout.TimestepEmbedding(tt.Data, ft.Data, yt.Data);
    }
}
