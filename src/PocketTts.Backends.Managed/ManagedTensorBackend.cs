using PocketTts.Tensors;

namespace PocketTts.Backends.Managed;

/// <summary>PLACEHOLDER: replaced by the kernel implementation.</summary>
public sealed class ManagedTensorBackend(BackendOptions options) : ITensorBackend
{
    /// <inheritdoc/>
    public string Name => "managed";

    internal BackendOptions Options { get; } = options;

    /// <inheritdoc/>
    public void Dispose() { }

    /// <inheritdoc/>
    public ITensor Allocate(TensorShape shape) => throw new NotImplementedException();

    /// <inheritdoc/>
    public ITensor Constant(ReadOnlySpan<float> values, TensorShape shape) => throw new NotImplementedException();

    /// <inheritdoc/>
    public void Write(ReadOnlySpan<float> source, ITensor destination) => throw new NotImplementedException();

    /// <inheritdoc/>
    public void Read(ITensor source, Span<float> destination) => throw new NotImplementedException();

    /// <inheritdoc/>
    public void Fill(ITensor destination, float value) => throw new NotImplementedException();

    /// <inheritdoc/>
    public void CopySlice(ITensor source, int axis, int sourceStart, ITensor destination, int destinationStart, int length) => throw new NotImplementedException();

    /// <inheritdoc/>
    public void Transpose(ITensor x, ITensor y) => throw new NotImplementedException();

    /// <inheritdoc/>
    public IPackedLinear PackLinear(LinearWeights weights) => throw new NotImplementedException();

    /// <inheritdoc/>
    public IPackedConv PackConv1d(ConvGeometry geometry, ReadOnlyMemory<float> weight, ReadOnlyMemory<float> bias) => throw new NotImplementedException();

    /// <inheritdoc/>
    public IPackedConv PackConvTranspose1d(ConvGeometry geometry, ReadOnlyMemory<float> weight, ReadOnlyMemory<float> bias) => throw new NotImplementedException();

    /// <inheritdoc/>
    public void Linear(ITensor x, IPackedLinear weights, ITensor y) => throw new NotImplementedException();

    /// <inheritdoc/>
    public void Conv1d(ITensor x, IPackedConv weights, ITensor y) => throw new NotImplementedException();

    /// <inheritdoc/>
    public void ConvTranspose1d(ITensor x, IPackedConv weights, ITensor y) => throw new NotImplementedException();

    /// <inheritdoc/>
    public void LayerNorm(ITensor x, ITensor? weight, ITensor? bias, float eps, ITensor y) => throw new NotImplementedException();

    /// <inheritdoc/>
    public void VarianceNorm(ITensor x, ITensor alpha, float eps, ITensor y) => throw new NotImplementedException();

    /// <inheritdoc/>
    public void Unary(UnaryOp op, ITensor x, ITensor y) => throw new NotImplementedException();

    /// <inheritdoc/>
    public void Binary(BinaryOp op, ITensor a, ITensor b, ITensor y) => throw new NotImplementedException();

    /// <inheritdoc/>
    public void ScaleShift(ITensor x, float scale, float shift, ITensor y) => throw new NotImplementedException();

    /// <inheritdoc/>
    public void Rope(ITensor x, int heads, int position, float maxPeriod, ITensor y) => throw new NotImplementedException();

    /// <inheritdoc/>
    public IKvCache CreateKvCache(int heads, int headDim, int capacity, int? window) => throw new NotImplementedException();

    /// <inheritdoc/>
    public void Attention(ITensor q, ITensor k, ITensor v, IKvCache cache, int position, ITensor y) => throw new NotImplementedException();

    /// <inheritdoc/>
    public void ReadKvCache(IKvCache cache, int length, Span<float> keys, Span<float> values) => throw new NotImplementedException();

    /// <inheritdoc/>
    public void WriteKvCache(IKvCache cache, int length, ReadOnlySpan<float> keys, ReadOnlySpan<float> values) => throw new NotImplementedException();

    /// <inheritdoc/>
    public void Embedding(ITensor table, ReadOnlySpan<int> ids, ITensor y) => throw new NotImplementedException();

    /// <inheritdoc/>
    public void ReplaceNaN(ITensor x, ITensor fill, ITensor y) => throw new NotImplementedException();

    /// <inheritdoc/>
    public void TimestepEmbedding(ITensor t, ITensor frequencies, ITensor y) => throw new NotImplementedException();
}
