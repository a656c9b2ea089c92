namespace PocketTts.Tensors;

/// <summary>
/// The argument checks of <see cref="ITensorBackend"/>, shared by every backend so that all of them refuse the same
/// calls with the same messages: each names the operation, the argument and both shapes, and is built only when a
/// check fails (a passing check allocates nothing). A backend first takes its own objects with <see cref="Own{T}"/>,
/// <see cref="OwnWeights{T}"/> and <see cref="OwnCache{T}"/>, then checks their shapes.
/// </summary>
public static class TensorArguments
{
    /// <summary>The backend's own tensor type, or an exception naming what was passed instead.</summary>
    /// <typeparam name="T">The backend's tensor type.</typeparam>
    /// <param name="tensor">The argument.</param>
    /// <param name="op">The operation, for the message.</param>
    /// <param name="name">The argument's name.</param>
    /// <param name="backend">The backend's name, for the message.</param>
    /// <exception cref="ArgumentNullException"><paramref name="tensor"/> is null.</exception>
    /// <exception cref="ArgumentException">The tensor belongs to another backend.</exception>
    public static T Own<T>(ITensor tensor, string op, string name, string backend) where T : class, ITensor
    {
        ArgumentNullException.ThrowIfNull(tensor, name);
        return tensor as T
            ?? throw new ArgumentException($"{op}: {name} is a {tensor.GetType().Name}, not a tensor of the {backend} backend.", name);
    }

    /// <summary>The backend's own packed weights (argument <c>weights</c>), or an exception naming what was passed instead.</summary>
    /// <typeparam name="T">The backend's packed type.</typeparam>
    /// <param name="weights">The argument.</param>
    /// <param name="op">The operation, for the message.</param>
    /// <param name="backend">The backend's name, for the message.</param>
    /// <exception cref="ArgumentNullException"><paramref name="weights"/> is null.</exception>
    /// <exception cref="ArgumentException">The weights were packed by another backend.</exception>
    public static T OwnWeights<T>(IDisposable weights, string op, string backend) where T : class
    {
        ArgumentNullException.ThrowIfNull(weights);
        return weights as T
            ?? throw new ArgumentException($"{op}: weights are a {weights.GetType().Name}, not packed by the {backend} backend.", nameof(weights));
    }

    /// <summary>The backend's own cache (argument <c>cache</c>), or an exception naming what was passed instead.</summary>
    /// <typeparam name="T">The backend's cache type.</typeparam>
    /// <param name="cache">The argument.</param>
    /// <param name="op">The operation, for the message.</param>
    /// <param name="backend">The backend's name, for the message.</param>
    /// <exception cref="ArgumentNullException"><paramref name="cache"/> is null.</exception>
    /// <exception cref="ArgumentException">The cache was created by another backend.</exception>
    public static T OwnCache<T>(IKvCache cache, string op, string backend) where T : class, IKvCache
    {
        ArgumentNullException.ThrowIfNull(cache);
        return cache as T
            ?? throw new ArgumentException($"{op}: the cache is a {cache.GetType().Name}, not created by the {backend} backend.", nameof(cache));
    }

    /// <summary>t is [<paramref name="rows"/>, <paramref name="columns"/>].</summary>
    /// <exception cref="ArgumentException">It is not.</exception>
    public static void Matrix(string op, string name, ITensor t, int rows, int columns)
    {
        ArgumentNullException.ThrowIfNull(t, name);
        TensorShape s = t.Shape;
        if (s.Rank != 2 || s[0] != rows || s[1] != columns)
            throw new ArgumentException($"{op}: {name} has shape {s}, expected [{rows}, {columns}].", name);
    }

    /// <summary>t is [any, <paramref name="columns"/>]; the labels name the axes in the message.</summary>
    /// <exception cref="ArgumentException">It is not.</exception>
    public static void Columns(string op, string name, ITensor t, int columns, string rowsLabel, string columnsLabel)
    {
        ArgumentNullException.ThrowIfNull(t, name);
        TensorShape s = t.Shape;
        if (s.Rank != 2 || s[1] != columns)
            throw new ArgumentException($"{op}: {name} has shape {s}, expected [{rowsLabel}, {columnsLabel}={columns}].", name);
    }

    /// <summary>t is [<paramref name="length"/>].</summary>
    /// <exception cref="ArgumentException">It is not.</exception>
    public static void Vector(string op, string name, ITensor t, int length)
    {
        ArgumentNullException.ThrowIfNull(t, name);
        TensorShape s = t.Shape;
        if (s.Rank != 1 || s[0] != length)
            throw new ArgumentException($"{op}: {name} has shape {s}, expected [{length}].", name);
    }

    /// <summary>t has the shape of <paramref name="other"/>.</summary>
    /// <exception cref="ArgumentException">It has not.</exception>
    public static void SameShape(string op, string name, ITensor t, string otherName, ITensor other)
    {
        ArgumentNullException.ThrowIfNull(t, name);
        ArgumentNullException.ThrowIfNull(other, otherName);
        if (!t.Shape.Equals(other.Shape))
            throw new ArgumentException($"{op}: {name} has shape {t.Shape}, expected {other.Shape} (the shape of {otherName}).", name);
    }

    /// <summary>t has at least <paramref name="rank"/> dimensions.</summary>
    /// <exception cref="ArgumentException">It has fewer.</exception>
    public static void MinRank(string op, string name, ITensor t, int rank)
    {
        ArgumentNullException.ThrowIfNull(t, name);
        if (t.Shape.Rank < rank)
            throw new ArgumentException($"{op}: {name} has shape {t.Shape}, expected at least {rank} dimension(s).", name);
    }

    /// <summary>t and <paramref name="other"/> are different tensors (for operations that cannot work in place).</summary>
    /// <exception cref="ArgumentException">They are the same tensor.</exception>
    public static void Distinct(string op, string name, ITensor t, string otherName, ITensor other)
    {
        if (ReferenceEquals(t, other))
            throw new ArgumentException($"{op}: {name} and {otherName} must be different tensors.", name);
    }

    /// <summary>A buffer holds <paramref name="expected"/> values.</summary>
    /// <exception cref="ArgumentException">It holds another number.</exception>
    public static void Count(string op, string name, int actual, int expected)
    {
        if (actual != expected)
            throw new ArgumentException($"{op}: {name} has {actual} values, expected {expected}.", name);
    }

    /// <summary>
    /// The rules of <see cref="ITensorBackend.Conv1d"/> and <see cref="ITensorBackend.ConvTranspose1d"/> before the
    /// output's length: weights packed for this kind of convolution, x [InChannels, T], y distinct from x.
    /// </summary>
    /// <exception cref="ArgumentException">A rule is broken.</exception>
    public static void Convolution(string op, ITensor x, IPackedConv weights, ITensor y, bool transposed)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(weights);
        if (weights.IsTransposed != transposed)
            throw new ArgumentException($"{op}: the weights were packed for a {(weights.IsTransposed ? "transposed convolution" : "convolution")}.", nameof(weights));
        if (x.Shape.Rank != 2 || x.Shape[0] != weights.Geometry.InChannels)
            throw new ArgumentException($"{op}: x has shape {x.Shape}, expected [InChannels={weights.Geometry.InChannels}, T].", nameof(x));
        Distinct(op, nameof(y), y, nameof(x), x);
    }

    /// <summary>
    /// The rules of <see cref="ITensorBackend.Attention"/>: position ≥ 0; q [T, heads·headDim] with k, v and y of
    /// its shape and y distinct from q; the rows fit the cache (a ring holds at most capacity − window + 1 new rows
    /// per call, a linear cache up to its capacity).
    /// </summary>
    /// <returns>T, the rows of the call.</returns>
    /// <exception cref="ArgumentException">A rule is broken.</exception>
    public static int Attention(string op, ITensor q, ITensor k, ITensor v, IKvCache cache, int position, ITensor y)
    {
        ArgumentNullException.ThrowIfNull(cache);
        ArgumentOutOfRangeException.ThrowIfNegative(position);
        Columns(op, nameof(q), q, cache.Heads * cache.HeadDim, "T", "heads·headDim");
        SameShape(op, nameof(k), k, nameof(q), q);
        SameShape(op, nameof(v), v, nameof(q), q);
        SameShape(op, nameof(y), y, nameof(q), q);
        Distinct(op, nameof(y), y, nameof(q), q);
        int rows = q.Shape[0];
        if (cache.Window is int window)
        {
            if (rows > cache.Capacity - window + 1)
                throw new ArgumentException($"{op}: {rows} rows do not fit a ring cache of capacity {cache.Capacity} with window {window}: at most {cache.Capacity - window + 1} per call.", nameof(q));
        }
        else if (position > cache.Capacity - rows)
        {
            throw new ArgumentException($"{op}: positions {position}…{position + rows - 1} exceed the cache capacity {cache.Capacity}.", nameof(position));
        }
        return rows;
    }

    /// <summary>
    /// The rules of <see cref="ITensorBackend.ReadKvCache"/> and <see cref="ITensorBackend.WriteKvCache"/>: a linear
    /// cache, 0 ≤ length ≤ capacity, and keys and values of length × heads × headDim values each.
    /// </summary>
    /// <exception cref="ArgumentException">A rule is broken.</exception>
    public static void KvCacheCopy(string op, IKvCache cache, int length, int keys, int values)
    {
        ArgumentNullException.ThrowIfNull(cache);
        if (cache.Window is not null)
            throw new ArgumentException($"{op}: the cache is a ring (window {cache.Window}); only linear caches are read and written.", nameof(cache));
        if (length < 0 || length > cache.Capacity)
            throw new ArgumentOutOfRangeException(nameof(length), length, $"{op}: length must be between 0 and the capacity ({cache.Capacity}).");
        int count = length * cache.Heads * cache.HeadDim;
        Count(op, nameof(keys), keys, count);
        Count(op, nameof(values), values, count);
    }

    /// <summary>
    /// The rules of <see cref="ITensorBackend.CopySlice"/>: distinct tensors of one rank (at least 1), axis 0 or the
    /// last, equal on every other axis, and both ranges of <paramref name="length"/> slices inside their axis.
    /// </summary>
    /// <exception cref="ArgumentException">A rule is broken (<see cref="ArgumentOutOfRangeException"/> for the axis and the ranges).</exception>
    public static void CopySlice(ITensor source, int axis, int sourceStart, ITensor destination, int destinationStart, int length)
    {
        const string op = nameof(ITensorBackend.CopySlice);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(destination);
        Distinct(op, nameof(destination), destination, nameof(source), source);
        TensorShape ss = source.Shape, ds = destination.Shape;
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
    }

    /// <summary>The rules of <see cref="ITensorBackend.Transpose"/>: x [a, b], y [b, a], different tensors.</summary>
    /// <exception cref="ArgumentException">A rule is broken.</exception>
    public static void Transpose(ITensor x, ITensor y)
    {
        const string op = nameof(ITensorBackend.Transpose);
        ArgumentNullException.ThrowIfNull(x);
        if (x.Shape.Rank != 2)
            throw new ArgumentException($"{op}: x has shape {x.Shape}, expected a matrix [a, b].", nameof(x));
        Matrix(op, nameof(y), y, x.Shape[1], x.Shape[0]);
        Distinct(op, nameof(y), y, nameof(x), x);
    }

    /// <summary>
    /// The rules of <see cref="ITensorBackend.Rope"/>: heads ≥ 1, position ≥ 0, a positive period, x [T, heads·headDim]
    /// with an even headDim, y of x's shape.
    /// </summary>
    /// <exception cref="ArgumentException">A rule is broken.</exception>
    public static void Rope(ITensor x, int heads, int position, float maxPeriod, ITensor y)
    {
        const string op = nameof(ITensorBackend.Rope);
        ArgumentNullException.ThrowIfNull(x);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(heads);
        ArgumentOutOfRangeException.ThrowIfNegative(position);
        if (!(maxPeriod > 0f))
            throw new ArgumentOutOfRangeException(nameof(maxPeriod), maxPeriod, $"{op}: maxPeriod must be positive.");
        if (x.Shape.Rank != 2 || x.Shape[1] % (2 * heads) != 0)
            throw new ArgumentException($"{op}: x has shape {x.Shape}, expected [T, heads·headDim] with {heads} heads of an even headDim.", nameof(x));
        SameShape(op, nameof(y), y, nameof(x), x);
    }

    /// <summary>The rules of <see cref="ITensorBackend.CreateKvCache"/>: positive sizes, a window between 1 and the capacity.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A rule is broken.</exception>
    public static void CreateKvCache(int heads, int headDim, int capacity, int? window)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(heads);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(headDim);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        if (window is int w && (w <= 0 || w > capacity))
            throw new ArgumentOutOfRangeException(nameof(window), w, $"{nameof(ITensorBackend.CreateKvCache)}: the window must be between 1 and the capacity ({capacity}).");
    }

    /// <summary>The rules of <see cref="ITensorBackend.Embedding"/>: table [rows, features], y [ids, features], every id a row.</summary>
    /// <exception cref="ArgumentException">A rule is broken (<see cref="ArgumentOutOfRangeException"/> for an id).</exception>
    public static void Embedding(ITensor table, ReadOnlySpan<int> ids, ITensor y)
    {
        const string op = nameof(ITensorBackend.Embedding);
        ArgumentNullException.ThrowIfNull(table);
        if (table.Shape.Rank != 2)
            throw new ArgumentException($"{op}: table has shape {table.Shape}, expected [rows, features].", nameof(table));
        int rows = table.Shape[0];
        Matrix(op, nameof(y), y, ids.Length, table.Shape[1]);
        for (int i = 0; i < ids.Length; i++)
        {
            if ((uint)ids[i] >= (uint)rows)
                throw new ArgumentOutOfRangeException(nameof(ids), ids[i], $"{op}: ids[{i}] = {ids[i]} is outside the table's {rows} rows.");
        }
    }

    /// <summary>The rules of <see cref="ITensorBackend.ReplaceNaN"/>: x [rows, features], fill [features], y of x's shape.</summary>
    /// <exception cref="ArgumentException">A rule is broken.</exception>
    public static void ReplaceNaN(ITensor x, ITensor fill, ITensor y)
    {
        const string op = nameof(ITensorBackend.ReplaceNaN);
        ArgumentNullException.ThrowIfNull(x);
        if (x.Shape.Rank != 2)
            throw new ArgumentException($"{op}: x has shape {x.Shape}, expected [rows, features].", nameof(x));
        Vector(op, nameof(fill), fill, x.Shape[1]);
        SameShape(op, nameof(y), y, nameof(x), x);
    }

    /// <summary>The rules of <see cref="ITensorBackend.TimestepEmbedding"/>: t [rows, 1], frequencies [half], y [rows, 2·half].</summary>
    /// <exception cref="ArgumentException">A rule is broken.</exception>
    public static void TimestepEmbedding(ITensor t, ITensor frequencies, ITensor y)
    {
        const string op = nameof(ITensorBackend.TimestepEmbedding);
        ArgumentNullException.ThrowIfNull(frequencies);
        Columns(op, nameof(t), t, 1, "rows", "1");
        if (frequencies.Shape.Rank != 1)
            throw new ArgumentException($"{op}: frequencies has shape {frequencies.Shape}, expected [half].", nameof(frequencies));
        Matrix(op, nameof(y), y, t.Shape[0], 2 * frequencies.Shape[0]);
    }

    /// <summary>
    /// The rules of <see cref="ITensorBackend.PackConv1d"/>: a valid geometry, weights [OutChannels, InChannels / Groups,
    /// KernelSize], a bias of OutChannels values or none.
    /// </summary>
    /// <exception cref="ArgumentException">A rule is broken.</exception>
    public static void PackConv1d(ConvGeometry geometry, int weightLength, int biasLength)
    {
        const string op = nameof(ITensorBackend.PackConv1d);
        ArgumentNullException.ThrowIfNull(geometry);
        geometry.Validate();
        Count(op, "weight", weightLength, checked(geometry.OutChannels * (geometry.InChannels / geometry.Groups) * geometry.KernelSize));
        if (biasLength != 0)
            Count(op, "bias", biasLength, geometry.OutChannels);
    }

    /// <summary>
    /// The rules of <see cref="ITensorBackend.PackConvTranspose1d"/>: a valid geometry with dilation 1, weights
    /// [InChannels, OutChannels / Groups, KernelSize], a bias of OutChannels values or none.
    /// </summary>
    /// <exception cref="ArgumentException">A rule is broken.</exception>
    public static void PackConvTranspose1d(ConvGeometry geometry, int weightLength, int biasLength)
    {
        const string op = nameof(ITensorBackend.PackConvTranspose1d);
        ArgumentNullException.ThrowIfNull(geometry);
        geometry.Validate();
        if (geometry.Dilation != 1)
            throw new ArgumentException($"{op}: transposed convolutions support dilation 1 only, got {geometry}.", nameof(geometry));
        Count(op, "weight", weightLength, checked(geometry.InChannels * (geometry.OutChannels / geometry.Groups) * geometry.KernelSize));
        if (biasLength != 0)
            Count(op, "bias", biasLength, geometry.OutChannels);
    }

    /// <summary>The rules of <see cref="ITensorBackend.Linear"/>: x [rows, InFeatures], y [rows, OutFeatures], different tensors.</summary>
    /// <returns>The rows.</returns>
    /// <exception cref="ArgumentException">A rule is broken.</exception>
    public static int Linear(ITensor x, IPackedLinear weights, ITensor y)
    {
        const string op = nameof(ITensorBackend.Linear);
        ArgumentNullException.ThrowIfNull(weights);
        Columns(op, nameof(x), x, weights.InFeatures, "rows", "InFeatures");
        Matrix(op, nameof(y), y, x.Shape[0], weights.OutFeatures);
        Distinct(op, nameof(y), y, nameof(x), x);
        return x.Shape[0];
    }

    /// <summary>
    /// The rules of <see cref="ITensorBackend.Conv1d"/>: weights packed by PackConv1d, x [InChannels, T],
    /// y [OutChannels, ConvOutputLength(T)] distinct from x.
    /// </summary>
    /// <returns>T, the input's length.</returns>
    /// <exception cref="ArgumentException">A rule is broken.</exception>
    public static int Conv1d(ITensor x, IPackedConv weights, ITensor y)
    {
        Convolution(nameof(ITensorBackend.Conv1d), x, weights, y, transposed: false);
        int length = x.Shape[1];
        Matrix(nameof(ITensorBackend.Conv1d), nameof(y), y, weights.Geometry.OutChannels, weights.Geometry.ConvOutputLength(length));
        return length;
    }

    /// <summary>
    /// The rules of <see cref="ITensorBackend.ConvTranspose1d"/>: weights packed by PackConvTranspose1d,
    /// x [InChannels, T], y [OutChannels, TransposedOutputLength(T)] distinct from x.
    /// </summary>
    /// <returns>T, the input's length.</returns>
    /// <exception cref="ArgumentException">A rule is broken.</exception>
    public static int ConvTranspose1d(ITensor x, IPackedConv weights, ITensor y)
    {
        Convolution(nameof(ITensorBackend.ConvTranspose1d), x, weights, y, transposed: true);
        int length = x.Shape[1];
        Matrix(nameof(ITensorBackend.ConvTranspose1d), nameof(y), y, weights.Geometry.OutChannels, weights.Geometry.TransposedOutputLength(length));
        return length;
    }

    /// <summary>
    /// The rules of <see cref="ITensorBackend.LayerNorm"/>: x of rank ≥ 1, y of its shape, weight and bias both
    /// [features] or both null.
    /// </summary>
    /// <returns>The features (x's last axis).</returns>
    /// <exception cref="ArgumentException">A rule is broken.</exception>
    public static int LayerNorm(ITensor x, ITensor? weight, ITensor? bias, ITensor y)
    {
        const string op = nameof(ITensorBackend.LayerNorm);
        MinRank(op, nameof(x), x, 1);
        SameShape(op, nameof(y), y, nameof(x), x);
        if ((weight is null) != (bias is null))
            throw new ArgumentException($"{op}: weight and bias must both be given or both be null.", weight is null ? nameof(weight) : nameof(bias));
        int features = x.Shape[-1];
        if (weight is not null)
        {
            Vector(op, nameof(weight), weight, features);
            Vector(op, nameof(bias), bias!, features);
        }
        return features;
    }

    /// <summary>The rules of <see cref="ITensorBackend.VarianceNorm"/>: x of rank ≥ 1, y of its shape, alpha [features].</summary>
    /// <exception cref="ArgumentException">A rule is broken.</exception>
    public static void VarianceNorm(ITensor x, ITensor alpha, ITensor y)
    {
        const string op = nameof(ITensorBackend.VarianceNorm);
        MinRank(op, nameof(x), x, 1);
        SameShape(op, nameof(y), y, nameof(x), x);
        Vector(op, nameof(alpha), alpha, x.Shape[-1]);
    }

    /// <summary>
    /// The rules of <see cref="ITensorBackend.Binary"/>: a known operation, y of a's shape, b of a's shape or of its
    /// trailing axes.
    /// </summary>
    /// <exception cref="ArgumentException">A rule is broken.</exception>
    public static void Binary(BinaryOp op, ITensor a, ITensor b, ITensor y)
    {
        const string name = nameof(ITensorBackend.Binary);
        if (op is not (BinaryOp.Add or BinaryOp.Multiply))
            throw new ArgumentOutOfRangeException(nameof(op), op, $"{name}: unknown operation.");
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        SameShape(name, nameof(y), y, nameof(a), a);
        ReadOnlySpan<int> ad = a.Shape.Dims, bd = b.Shape.Dims;
        if (bd.Length > ad.Length || !ad[(ad.Length - bd.Length)..].SequenceEqual(bd))
            throw new ArgumentException($"{name}: b has shape {b.Shape}, expected {a.Shape} or its trailing axes (the shape of a).", nameof(b));
    }

    /// <summary>The rules of <see cref="ITensorBackend.Unary"/>: a known operation, y of x's shape.</summary>
    /// <exception cref="ArgumentException">A rule is broken.</exception>
    public static void Unary(UnaryOp op, ITensor x, ITensor y)
    {
        if (op is not (UnaryOp.Elu or UnaryOp.Gelu or UnaryOp.GeluTanh or UnaryOp.Silu))
            throw new ArgumentOutOfRangeException(nameof(op), op, $"{nameof(ITensorBackend.Unary)}: unknown operation.");
        SameShape(nameof(ITensorBackend.Unary), nameof(y), y, nameof(x), x);
    }

    /// <summary>The rules of <see cref="ITensorBackend.ScaleShift"/>: y of x's shape.</summary>
    /// <exception cref="ArgumentException">A rule is broken.</exception>
    public static void ScaleShift(ITensor x, ITensor y) => SameShape(nameof(ITensorBackend.ScaleShift), nameof(y), y, nameof(x), x);
}
