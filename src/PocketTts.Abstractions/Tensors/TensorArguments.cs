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
}
