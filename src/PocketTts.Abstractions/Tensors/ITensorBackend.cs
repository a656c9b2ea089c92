using PocketTts.Backends;

namespace PocketTts.Tensors;

/// <summary>
/// The primitive operations the Pocket TTS model is written against. The model definition in PocketTts.Core
/// calls only these, so any implementation (pure C# SIMD, LibTorch, a graph recorder) runs the same model.
/// </summary>
/// <remarks>
/// <para>Conventions. Tensors are dense, row-major float32 without a batch axis. Sequences are
/// <c>[time, features]</c>; convolution signals are <c>[channels, time]</c>. Every operation writes into a
/// destination the caller allocated with the exact shape the operation documents; unless stated otherwise
/// the destination may be the same tensor as an input of the same shape (in place) but must not partly overlap
/// it. Numerics follow PyTorch float32 semantics; implementations may sum in another order and use fused
/// multiply-add.</para>
/// <para>Thread safety. Packed weights and tensors created from constants are read-only after creation and may
/// be used by many threads at once. A tensor that an operation writes must be used by one thread at a time;
/// different streams use different destination tensors, so one backend instance serves concurrent
/// generations.</para>
/// </remarks>
public interface ITensorBackend : IBackend
{
    /// <summary>Allocates a zero-filled tensor.</summary>
    ITensor Allocate(TensorShape shape);

    /// <summary>Creates a tensor holding a copy of <paramref name="values"/> (row-major).</summary>
    /// <exception cref="ArgumentException">The number of values differs from the shape's element count.</exception>
    ITensor Constant(ReadOnlySpan<float> values, TensorShape shape);

    /// <summary>Copies host values into an existing tensor (the element counts must be equal).</summary>
    void Write(ReadOnlySpan<float> source, ITensor destination);

    /// <summary>Copies a tensor's values to host memory (the element counts must be equal).</summary>
    void Read(ITensor source, Span<float> destination);

    /// <summary>Sets every element to <paramref name="value"/>.</summary>
    void Fill(ITensor destination, float value);

    /// <summary>
    /// Copies <paramref name="length"/> slices along <paramref name="axis"/> (0 or the last axis) from
    /// <paramref name="source"/> starting at <paramref name="sourceStart"/> into <paramref name="destination"/>
    /// starting at <paramref name="destinationStart"/>. All other dimensions must be equal. Source and
    /// destination must be different tensors.
    /// </summary>
    void CopySlice(ITensor source, int axis, int sourceStart, ITensor destination, int destinationStart, int length);

    /// <summary>Transposes a matrix: x [a, b] → y [b, a]. x and y must be different tensors.</summary>
    void Transpose(ITensor x, ITensor y);

    /// <summary>Prepares linear-layer weights (float or int8) in the backend's preferred layout.</summary>
    IPackedLinear PackLinear(LinearWeights weights);

    /// <summary>
    /// Prepares convolution weights [OutChannels, InChannels / Groups, KernelSize] and an optional bias
    /// [OutChannels] (empty for none).
    /// </summary>
    IPackedConv PackConv1d(ConvGeometry geometry, ReadOnlyMemory<float> weight, ReadOnlyMemory<float> bias);

    /// <summary>
    /// Prepares transposed-convolution weights [InChannels, OutChannels / Groups, KernelSize] (PyTorch's layout)
    /// and an optional bias [OutChannels] (empty for none). Dilation must be 1.
    /// </summary>
    IPackedConv PackConvTranspose1d(ConvGeometry geometry, ReadOnlyMemory<float> weight, ReadOnlyMemory<float> bias);

    /// <summary>y = x·Wᵀ + b: x [rows, InFeatures] → y [rows, OutFeatures]. x and y must be different tensors.</summary>
    void Linear(ITensor x, IPackedLinear weights, ITensor y);

    /// <summary>
    /// Convolution without padding: x [InChannels, T] → y [OutChannels, ConvOutputLength(T)]. x and y must be
    /// different tensors.
    /// </summary>
    void Conv1d(ITensor x, IPackedConv weights, ITensor y);

    /// <summary>
    /// Transposed convolution, full output including the bias: x [InChannels, T] →
    /// y [OutChannels, (T − 1)·Stride + KernelSize]. x and y must be different tensors.
    /// </summary>
    void ConvTranspose1d(ITensor x, IPackedConv weights, ITensor y);

    /// <summary>
    /// Layer normalisation over the last axis with the biased variance, as <c>nn.LayerNorm</c>:
    /// y = (x − mean) / √(var + eps) · weight + bias; <paramref name="weight"/> and <paramref name="bias"/> [features]
    /// are both null for a norm without affine parameters.
    /// </summary>
    void LayerNorm(ITensor x, ITensor? weight, ITensor? bias, float eps, ITensor y);

    /// <summary>
    /// The flow net's "RMSNorm" over the last axis: y = x · alpha / √(eps + var(x)) with the <b>unbiased</b>
    /// variance of x (x itself is not centred). <paramref name="alpha"/> is [features].
    /// </summary>
    void VarianceNorm(ITensor x, ITensor alpha, float eps, ITensor y);

    /// <summary>y = op(x), element-wise.</summary>
    void Unary(UnaryOp op, ITensor x, ITensor y);

    /// <summary>
    /// y = a op b, element-wise. <paramref name="b"/> has the shape of <paramref name="a"/>, or the shape of its
    /// trailing axes (then it repeats over the leading ones, for example a per-feature vector).
    /// </summary>
    void Binary(BinaryOp op, ITensor a, ITensor b, ITensor y);

    /// <summary>y = x · scale + shift, element-wise, with scalar scale and shift.</summary>
    void ScaleShift(ITensor x, float scale, float shift, ITensor y);

    /// <summary>
    /// Rotary position embedding on x [T, heads · headDim]: for each head, the interleaved pairs (2i, 2i+1)
    /// of row t are rotated by angle (position + t) · maxPeriod^(−2i / headDim).
    /// </summary>
    void Rope(ITensor x, int heads, int position, float maxPeriod, ITensor y);

    /// <summary>Creates an empty key/value cache for one attention layer of one stream.</summary>
    /// <param name="heads">Heads.</param>
    /// <param name="headDim">Features per head.</param>
    /// <param name="capacity">Positions held (for a windowed cache: at least window + the longest call).</param>
    /// <param name="window">Null for a linear cache; the attention context for a ring cache.</param>
    IKvCache CreateKvCache(int heads, int headDim, int capacity, int? window);

    /// <summary>
    /// Causal multi-head attention through a cache. Stores k and v [T, heads · headDim] (already rotated) at
    /// absolute positions position … position + T − 1, then for each query row t computes
    /// softmax(q·kᵀ / √headDim)·v over the keys j with 0 ≤ (position + t) − j and, for a windowed cache,
    /// (position + t) − j &lt; window. y is [T, heads · headDim] and must differ from q.
    /// </summary>
    void Attention(ITensor q, ITensor k, ITensor v, IKvCache cache, int position, ITensor y);

    /// <summary>
    /// Copies positions 0 … length − 1 of a linear cache to host memory as keys and values [length, heads, headDim].
    /// </summary>
    void ReadKvCache(IKvCache cache, int length, Span<float> keys, Span<float> values);

    /// <summary>Writes positions 0 … length − 1 of a linear cache from keys and values [length, heads, headDim].</summary>
    void WriteKvCache(IKvCache cache, int length, ReadOnlySpan<float> keys, ReadOnlySpan<float> values);

    /// <summary>Gathers rows of <paramref name="table"/> [rows, features]: y [ids.Length, features].</summary>
    /// <exception cref="ArgumentOutOfRangeException">An id is outside the table.</exception>
    void Embedding(ITensor table, ReadOnlySpan<int> ids, ITensor y);

    /// <summary>y = x where x is a number, fill[column] where x is NaN; x [rows, features], fill [features].</summary>
    void ReplaceNaN(ITensor x, ITensor fill, ITensor y);

    /// <summary>
    /// Sinusoidal time features: t [rows, 1], frequencies [half] → y [rows, 2·half] = cat(cos(t·f), sin(t·f)).
    /// </summary>
    void TimestepEmbedding(ITensor t, ITensor frequencies, ITensor y);
}
