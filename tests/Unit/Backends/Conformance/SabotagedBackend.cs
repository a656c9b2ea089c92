using PocketTts.Backends;
using PocketTts.Backends.Managed;
using PocketTts.Tensors;

namespace PocketTts.Tests.Unit.Backends.Conformance;

/// <summary>The managed backend behind virtual members, so that a test can plant one defect by overriding one of them.</summary>
internal abstract class SabotagedBackend : ITensorBackend
{
    private readonly ManagedTensorBackend _inner = new(new BackendOptions { Threads = 1 });

    public string Name => "sabotaged";

    public void Dispose() => _inner.Dispose();

    public ITensor Allocate(TensorShape shape) => _inner.Allocate(shape);

    public ITensor Constant(ReadOnlySpan<float> values, TensorShape shape) => _inner.Constant(values, shape);

    public void Write(ReadOnlySpan<float> source, ITensor destination) => _inner.Write(source, destination);

    public void Read(ITensor source, Span<float> destination) => _inner.Read(source, destination);

    public void Fill(ITensor destination, float value) => _inner.Fill(destination, value);

    public void CopySlice(ITensor source, int axis, int sourceStart, ITensor destination, int destinationStart, int length) =>
        _inner.CopySlice(source, axis, sourceStart, destination, destinationStart, length);

    public virtual void Transpose(ITensor x, ITensor y) => _inner.Transpose(x, y);

    public virtual IPackedLinear PackLinear(LinearWeights weights) => _inner.PackLinear(weights);

    public IPackedConv PackConv1d(ConvGeometry geometry, ReadOnlyMemory<float> weight, ReadOnlyMemory<float> bias) => _inner.PackConv1d(geometry, weight, bias);

    public IPackedConv PackConvTranspose1d(ConvGeometry geometry, ReadOnlyMemory<float> weight, ReadOnlyMemory<float> bias) =>
        _inner.PackConvTranspose1d(geometry, weight, bias);

    public void Linear(ITensor x, IPackedLinear weights, ITensor y) => _inner.Linear(x, weights, y);

    public void Conv1d(ITensor x, IPackedConv weights, ITensor y) => _inner.Conv1d(x, weights, y);

    public void ConvTranspose1d(ITensor x, IPackedConv weights, ITensor y) => _inner.ConvTranspose1d(x, weights, y);

    public void LayerNorm(ITensor x, ITensor? weight, ITensor? bias, float eps, ITensor y) => _inner.LayerNorm(x, weight, bias, eps, y);

    public void VarianceNorm(ITensor x, ITensor alpha, float eps, ITensor y) => _inner.VarianceNorm(x, alpha, eps, y);

    public virtual void Unary(UnaryOp op, ITensor x, ITensor y) => _inner.Unary(op, x, y);

    public void Binary(BinaryOp op, ITensor a, ITensor b, ITensor y) => _inner.Binary(op, a, b, y);

    public void ScaleShift(ITensor x, float scale, float shift, ITensor y) => _inner.ScaleShift(x, scale, shift, y);

    public void Rope(ITensor x, int heads, int position, float maxPeriod, ITensor y) => _inner.Rope(x, heads, position, maxPeriod, y);

    public virtual IKvCache CreateKvCache(int heads, int headDim, int capacity, int? window) => _inner.CreateKvCache(heads, headDim, capacity, window);

    public void Attention(ITensor q, ITensor k, ITensor v, IKvCache cache, int position, ITensor y) => _inner.Attention(q, k, v, cache, position, y);

    public void ReadKvCache(IKvCache cache, int length, Span<float> keys, Span<float> values) => _inner.ReadKvCache(cache, length, keys, values);

    public void WriteKvCache(IKvCache cache, int length, ReadOnlySpan<float> keys, ReadOnlySpan<float> values) => _inner.WriteKvCache(cache, length, keys, values);

    public virtual void Embedding(ITensor table, ReadOnlySpan<int> ids, ITensor y) => _inner.Embedding(table, ids, y);

    public void ReplaceNaN(ITensor x, ITensor fill, ITensor y) => _inner.ReplaceNaN(x, fill, y);

    public void TimestepEmbedding(ITensor t, ITensor frequencies, ITensor y) => _inner.TimestepEmbedding(t, frequencies, y);
}
