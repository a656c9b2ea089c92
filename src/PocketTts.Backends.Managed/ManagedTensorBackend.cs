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
    public string Name => "managed";

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
        Check.Count(nameof(Constant), nameof(values), values.Length, shape.ElementCount);
        var t = new ManagedTensor(shape);
        values.CopyTo(t.Data);
        return t;
    }

    /// <inheritdoc/>
    public void Write(ReadOnlySpan<float> source, ITensor destination)
    {
        ManagedTensor d = Check.Tensor(destination, nameof(Write), nameof(destination));
        Check.Count(nameof(Write), nameof(source), source.Length, d.Data.Length);
        source.CopyTo(d.Data);
    }

    /// <inheritdoc/>
    public void Read(ITensor source, Span<float> destination)
    {
        ManagedTensor s = Check.Tensor(source, nameof(Read), nameof(source));
        Check.Count(nameof(Read), nameof(destination), destination.Length, s.Data.Length);
        s.Data.CopyTo(destination);
    }

    /// <inheritdoc/>
    public void Fill(ITensor destination, float value) => Check.Tensor(destination, nameof(Fill), nameof(destination)).Data.AsSpan().Fill(value);

    /// <inheritdoc/>
    public void CopySlice(ITensor source, int axis, int sourceStart, ITensor destination, int destinationStart, int length)
    {
        const string op = nameof(CopySlice);
        ManagedTensor s = Check.Tensor(source, op, nameof(source)), d = Check.Tensor(destination, op, nameof(destination));
        Check.Distinct(op, nameof(destination), d, nameof(source), s);
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
        ManagedTensor xt = Check.Tensor(x, op, nameof(x)), yt = Check.Tensor(y, op, nameof(y));
        if (xt.Shape.Rank != 2)
            throw new ArgumentException($"{op}: x has shape {xt.Shape}, expected a matrix [a, b].", nameof(x));
        int a = xt.Shape[0], b = xt.Shape[1];
        Check.Matrix(op, nameof(y), yt, b, a);
        Check.Distinct(op, nameof(y), yt, nameof(x), xt);
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
        Check.Count(nameof(PackConv1d), nameof(weight), weight.Length, checked(geometry.OutChannels * (geometry.InChannels / geometry.Groups) * geometry.KernelSize));
        return PackedConv.Conv(geometry, weight.Span, PackBias(nameof(PackConv1d), geometry, bias));
    }

    /// <inheritdoc/>
    public IPackedConv PackConvTranspose1d(ConvGeometry geometry, ReadOnlyMemory<float> weight, ReadOnlyMemory<float> bias)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        geometry.Validate();
        if (geometry.Dilation != 1)
            throw new ArgumentException($"{nameof(PackConvTranspose1d)}: transposed convolutions support dilation 1 only, got {geometry}.", nameof(geometry));
        Check.Count(nameof(PackConvTranspose1d), nameof(weight), weight.Length, checked(geometry.InChannels * (geometry.OutChannels / geometry.Groups) * geometry.KernelSize));
        return PackedConv.Transposed(geometry, weight.Span, PackBias(nameof(PackConvTranspose1d), geometry, bias));
    }

    private static float[]? PackBias(string op, ConvGeometry geometry, ReadOnlyMemory<float> bias)
    {
        if (bias.IsEmpty)
            return null;
        Check.Count(op, nameof(bias), bias.Length, geometry.OutChannels);
        return bias.ToArray();
    }

    /// <inheritdoc/>
    public void Linear(ITensor x, IPackedLinear weights, ITensor y)
    {
        const string op = nameof(Linear);
        ManagedTensor xt = Check.Tensor(x, op, nameof(x)), yt = Check.Tensor(y, op, nameof(y));
        ArgumentNullException.ThrowIfNull(weights);
        var w = weights as PackedLinear
            ?? throw new ArgumentException($"{op}: weights are a {weights.GetType().Name}, not packed by the managed backend.", nameof(weights));
        Check.Columns(op, nameof(x), xt, w.InFeatures, "rows", "InFeatures");
        int rows = xt.Shape[0];
        Check.Matrix(op, nameof(y), yt, rows, w.OutFeatures);
        Check.Distinct(op, nameof(y), yt, nameof(x), xt);
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
        Check.Matrix(op, nameof(y), yt, w.Geometry.OutChannels, w.Geometry.ConvOutputLength(length));
        Kernels.Conv1d.Run(xt.Data, length, w, yt.Data, _pool);
    }

    /// <inheritdoc/>
    public void ConvTranspose1d(ITensor x, IPackedConv weights, ITensor y)
    {
        const string op = nameof(ConvTranspose1d);
        (ManagedTensor xt, PackedConv w, ManagedTensor yt) = ConvArguments(op, x, weights, y, transposed: true);
        int length = xt.Shape[1];
        Check.Matrix(op, nameof(y), yt, w.Geometry.OutChannels, w.Geometry.TransposedOutputLength(length));
        Kernels.ConvTranspose1d.Run(xt.Data, length, w, yt.Data, _pool);
    }

    private static (ManagedTensor X, PackedConv W, ManagedTensor Y) ConvArguments(string op, ITensor x, IPackedConv weights, ITensor y, bool transposed)
    {
        ManagedTensor xt = Check.Tensor(x, op, nameof(x)), yt = Check.Tensor(y, op, nameof(y));
        ArgumentNullException.ThrowIfNull(weights);
        var w = weights as PackedConv
            ?? throw new ArgumentException($"{op}: weights are a {weights.GetType().Name}, not packed by the managed backend.", nameof(weights));
        if (w.IsTransposed != transposed)
            throw new ArgumentException($"{op}: the weights were packed for a {(w.IsTransposed ? "transposed convolution" : "convolution")}.", nameof(weights));
        if (xt.Shape.Rank != 2 || xt.Shape[0] != w.Geometry.InChannels)
            throw new ArgumentException($"{op}: x has shape {xt.Shape}, expected [InChannels={w.Geometry.InChannels}, T].", nameof(x));
        Check.Distinct(op, nameof(y), yt, nameof(x), xt);
        return (xt, w, yt);
    }

    /// <inheritdoc/>
    public void LayerNorm(ITensor x, ITensor? weight, ITensor? bias, float eps, ITensor y)
    {
        const string op = nameof(LayerNorm);
        ManagedTensor xt = Check.Tensor(x, op, nameof(x)), yt = Check.Tensor(y, op, nameof(y));
        Check.MinRank(op, nameof(x), xt, 1);
        Check.SameShape(op, nameof(y), yt, nameof(x), xt);
        int features = xt.Shape[-1];
        if ((weight is null) != (bias is null))
            throw new ArgumentException($"{op}: weight and bias must both be given or both be null.", weight is null ? nameof(weight) : nameof(bias));
        ReadOnlySpan<float> w = default, b = default;
        if (weight is not null)
        {
            ManagedTensor wt = Check.Tensor(weight, op, nameof(weight)), bt = Check.Tensor(bias!, op, nameof(bias));
            Check.Vector(op, nameof(weight), wt, features);
            Check.Vector(op, nameof(bias), bt, features);
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
        ManagedTensor xt = Check.Tensor(x, op, nameof(x)), at = Check.Tensor(alpha, op, nameof(alpha)), yt = Check.Tensor(y, op, nameof(y));
        Check.MinRank(op, nameof(x), xt, 1);
        Check.SameShape(op, nameof(y), yt, nameof(x), xt);
        Check.Vector(op, nameof(alpha), at, xt.Shape[-1]);
        if (at.Data.Length > 0)
            Norms.VarianceNorm(xt.Data, at.Data, eps, yt.Data);
    }

    /// <inheritdoc/>
    public void Unary(UnaryOp op, ITensor x, ITensor y)
    {
        ManagedTensor xt = Check.Tensor(x, nameof(Unary), nameof(x)), yt = Check.Tensor(y, nameof(Unary), nameof(y));
        Check.SameShape(nameof(Unary), nameof(y), yt, nameof(x), xt);
        switch (op)
        {
            case UnaryOp.Elu:
                Elementwise.Map(default(EluOperator), xt.Data, yt.Data);
                break;
            case UnaryOp.Gelu:
                Elementwise.Map(default(GeluOperator), xt.Data, yt.Data);
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
        ManagedTensor at = Check.Tensor(a, name, nameof(a)), bt = Check.Tensor(b, name, nameof(b)), yt = Check.Tensor(y, name, nameof(y));
        Check.SameShape(name, nameof(y), yt, nameof(a), at);
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
        ManagedTensor xt = Check.Tensor(x, nameof(ScaleShift), nameof(x)), yt = Check.Tensor(y, nameof(ScaleShift), nameof(y));
        Check.SameShape(nameof(ScaleShift), nameof(y), yt, nameof(x), xt);
        Elementwise.Map(new ScaleShiftOperator(scale, shift), xt.Data, yt.Data);
    }

    /// <inheritdoc/>
    public void Rope(ITensor x, int heads, int position, float maxPeriod, ITensor y)
    {
        const string op = nameof(Rope);
        ManagedTensor xt = Check.Tensor(x, op, nameof(x)), yt = Check.Tensor(y, op, nameof(y));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(heads);
        ArgumentOutOfRangeException.ThrowIfNegative(position);
        if (!(maxPeriod > 0f))
            throw new ArgumentOutOfRangeException(nameof(maxPeriod), maxPeriod, $"{op}: maxPeriod must be positive.");
        if (xt.Shape.Rank != 2 || xt.Shape[1] % (2 * heads) != 0)
            throw new ArgumentException($"{op}: x has shape {xt.Shape}, expected [T, heads·headDim] with {heads} heads of an even headDim.", nameof(x));
        Check.SameShape(op, nameof(y), yt, nameof(x), xt);
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
        ManagedTensor qt = Check.Tensor(q, op, nameof(q)), kt = Check.Tensor(k, op, nameof(k));
        ManagedTensor vt = Check.Tensor(v, op, nameof(v)), yt = Check.Tensor(y, op, nameof(y));
        ManagedKvCache c = Cache(op, cache);
        ArgumentOutOfRangeException.ThrowIfNegative(position);
        Check.Columns(op, nameof(q), qt, c.Heads * c.HeadDim, "T", "heads·headDim");
        Check.SameShape(op, nameof(k), kt, nameof(q), qt);
        Check.SameShape(op, nameof(v), vt, nameof(q), qt);
        Check.SameShape(op, nameof(y), yt, nameof(q), qt);
        Check.Distinct(op, nameof(y), yt, nameof(q), qt);
        int rows = qt.Shape[0];
        if (c.Window is int window)
        {
            if (rows > c.Capacity - window + 1)
                throw new ArgumentException($"{op}: {rows} rows do not fit a ring cache of capacity {c.Capacity} with window {window}: at most {c.Capacity - window + 1} per call.", nameof(q));
        }
        else if (position > c.Capacity - rows)
        {
            throw new ArgumentException($"{op}: positions {position}…{position + rows - 1} exceed the cache capacity {c.Capacity}.", nameof(position));
        }
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

    private static ManagedKvCache Cache(string op, IKvCache cache)
    {
        ArgumentNullException.ThrowIfNull(cache);
        return cache as ManagedKvCache
            ?? throw new ArgumentException($"{op}: the cache is a {cache.GetType().Name}, not created by the managed backend.", nameof(cache));
    }

    private static ManagedKvCache LinearCache(string op, IKvCache cache, int length, int keys, int values)
    {
        ManagedKvCache c = Cache(op, cache);
        if (c.Window is not null)
            throw new ArgumentException($"{op}: the cache is a ring (window {c.Window}); only linear caches are read and written.", nameof(cache));
        if (length < 0 || length > c.Capacity)
            throw new ArgumentOutOfRangeException(nameof(length), length, $"{op}: length must be between 0 and the capacity ({c.Capacity}).");
        int count = length * c.Heads * c.HeadDim;
        Check.Count(op, nameof(keys), keys, count);
        Check.Count(op, nameof(values), values, count);
        return c;
    }

    /// <inheritdoc/>
    public void Embedding(ITensor table, ReadOnlySpan<int> ids, ITensor y)
    {
        const string op = nameof(Embedding);
        ManagedTensor tt = Check.Tensor(table, op, nameof(table)), yt = Check.Tensor(y, op, nameof(y));
        if (tt.Shape.Rank != 2)
            throw new ArgumentException($"{op}: table has shape {tt.Shape}, expected [rows, features].", nameof(table));
        int rows = tt.Shape[0], features = tt.Shape[1];
        Check.Matrix(op, nameof(y), yt, ids.Length, features);
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
        ManagedTensor xt = Check.Tensor(x, op, nameof(x)), ft = Check.Tensor(fill, op, nameof(fill)), yt = Check.Tensor(y, op, nameof(y));
        if (xt.Shape.Rank != 2)
            throw new ArgumentException($"{op}: x has shape {xt.Shape}, expected [rows, features].", nameof(x));
        Check.Vector(op, nameof(fill), ft, xt.Shape[1]);
        Check.SameShape(op, nameof(y), yt, nameof(x), xt);
        if (xt.Data.Length > 0)
            Elementwise.Zip(default(ReplaceNaNOperator), xt.Data, ft.Data, yt.Data);
    }

    /// <inheritdoc/>
    public void TimestepEmbedding(ITensor t, ITensor frequencies, ITensor y)
    {
        const string op = nameof(TimestepEmbedding);
        ManagedTensor tt = Check.Tensor(t, op, nameof(t)), ft = Check.Tensor(frequencies, op, nameof(frequencies)), yt = Check.Tensor(y, op, nameof(y));
        Check.Columns(op, nameof(t), tt, 1, "rows", "1");
        if (ft.Shape.Rank != 1)
            throw new ArgumentException($"{op}: frequencies has shape {ft.Shape}, expected [half].", nameof(frequencies));
        Check.Matrix(op, nameof(y), yt, tt.Shape[0], 2 * ft.Shape[0]);
        Layout.TimestepEmbedding(tt.Data, ft.Data, yt.Data);
    }
}
