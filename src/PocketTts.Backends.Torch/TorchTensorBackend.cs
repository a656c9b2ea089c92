using System.Collections.Concurrent;
using PocketTts.Tensors;
using TorchSharp;
using static TorchSharp.torch;

namespace PocketTts.Backends.Torch;

/// <summary>
/// The <c>torch</c> and <c>torch-cuda</c> tensor backend: every tensor is a contiguous float32 LibTorch tensor on one
/// device, and every operation is a LibTorch operation whose result lands in the caller's destination, in place
/// where LibTorch has an in-place form (linear layers are one <c>addmm_</c> into the destination; element-wise
/// operations, norms' scaling and activations run on the destination itself). Convolutions, layer norm, attention
/// and RoPE make the temporaries LibTorch needs and copy them in.
/// </summary>
/// <remarks>
/// <para>Gradients are off: the process's threads that call in get autograd disabled on their first call (LibTorch's
/// grad mode is per thread), so no operation records a graph.</para>
/// <para>Threads: LibTorch's intra-op pool is one per process; <see cref="BackendOptions.Threads"/> &gt; 0 sets its
/// size (the last backend created wins), 0 restores LibTorch's default of one thread per physical core.</para>
/// <para>Thread safety follows <see cref="ITensorBackend"/>: packed weights and constants may be shared, a written
/// tensor or cache belongs to one thread at a time.</para>
/// </remarks>
internal sealed partial class TorchTensorBackend : ITensorBackend
{
    // Messages name the plugin's backend, whether this instance serves torch or torch-cuda.
    private const string BackendName = "torch";

    [ThreadStatic]
    private static bool _inferenceThread;

    /// <summary>Distinct scalar values kept as LibTorch scalars; past this, a call makes (and frees) its own.</summary>
    private const int MaxCachedScalars = 1024;

    private readonly Device _device;
    private readonly Scalar _one = 1f;

    // LibTorch scalars are native objects; the model passes a handful of constants (eps, scales, shifts), so each
    // value is made once and shared (read-only, safe across threads).
    private readonly ConcurrentDictionary<float, Scalar> _scalars = new();
    private readonly ConcurrentDictionary<(int Half, float MaxPeriod), Tensor> _ropeFrequencies = new();
    private readonly ConcurrentDictionary<int, long[]> _normalizedShapes = new();

    public TorchTensorBackend(string name, BackendOptions options, Device device)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(options.Threads, nameof(options));
        Name = name;
        _device = device;
        set_num_threads(options.Threads > 0 ? options.Threads : LibTorchRuntime.DefaultThreads);
    }

    public string Name { get; }

    public void Dispose()
    {
        _one.Dispose();
        foreach (Scalar scalar in _scalars.Values)
            scalar.Dispose();
        _scalars.Clear();
        foreach (Tensor freqs in _ropeFrequencies.Values)
            freqs.Dispose();
        _ropeFrequencies.Clear();
    }

    /// <summary>
    /// The scalar for <paramref name="value"/>: a shared one, or, once <see cref="MaxCachedScalars"/> values are kept,
    /// a new one returned in <paramref name="owned"/> for the caller to dispose.
    /// </summary>
    private Scalar ScalarFor(float value, out Scalar? owned)
    {
        owned = null;
        if (_scalars.TryGetValue(value, out Scalar? cached))
            return cached;
        if (_scalars.Count < MaxCachedScalars)
            return _scalars.GetOrAdd(value, static v => (Scalar)v);
        owned = value;
        return owned;
    }

    /// <summary>Disables autograd on the calling thread, once per thread (a thread-static flag, no allocation).</summary>
    private static void EnterInference()
    {
        if (_inferenceThread)
            return;
        set_grad_enabled(false);
        _inferenceThread = true;
    }

    public ITensor Allocate(TensorShape shape)
    {
        EnterInference();
        return new TorchTensor(zeros(Dims(shape), float32, _device), shape);
    }

    public ITensor Constant(ReadOnlySpan<float> values, TensorShape shape)
    {
        TensorArguments.Count(nameof(Constant), nameof(values), values.Length, shape.ElementCount);
        EnterInference();
        return new TorchTensor(TorchTensors.FromHost(values, Dims(shape), _device), shape);
    }

    public void Write(ReadOnlySpan<float> source, ITensor destination)
    {
        TorchTensor d = Own(destination, nameof(Write), nameof(destination));
        TensorArguments.Count(nameof(Write), nameof(source), source.Length, d.Shape.ElementCount);
        if (d.IsHost)
            source.CopyTo(d.Host);
        else
            TorchTensors.Write(source, d.Value);
    }

    public void Read(ITensor source, Span<float> destination)
    {
        TorchTensor s = Own(source, nameof(Read), nameof(source));
        TensorArguments.Count(nameof(Read), nameof(destination), destination.Length, s.Shape.ElementCount);
        if (s.IsHost)
            s.Host.CopyTo(destination);
        else
            TorchTensors.Read(s.Value, destination);
    }

    public void Fill(ITensor destination, float value)
    {
        TorchTensor d = Own(destination, nameof(Fill), nameof(destination));
        EnterInference();
        Scalar v = ScalarFor(value, out Scalar? owned);
        using (owned)
            TorchTensors.Drop(d.Value.fill_(v), d.Value);
    }

    public void CopySlice(ITensor source, int axis, int sourceStart, ITensor destination, int destinationStart, int length)
    {
        const string op = nameof(CopySlice);
        TorchTensor s = Own(source, op, nameof(source)), d = Own(destination, op, nameof(destination));
        TensorArguments.CopySlice(s, axis, sourceStart, d, destinationStart, length);
        if (length == 0 || s.Shape.ElementCount == 0)
            return;
        EnterInference();
        using Tensor from = s.Value.narrow(axis, sourceStart, length);
        using Tensor to = d.Value.narrow(axis, destinationStart, length);
        to.copy_(from);
    }

    public void Transpose(ITensor x, ITensor y)
    {
        const string op = nameof(Transpose);
        TorchTensor xt = Own(x, op, nameof(x)), yt = Own(y, op, nameof(y));
        TensorArguments.Transpose(xt, yt);
        EnterInference();
        using Tensor transposed = xt.Value.t();
        yt.Value.copy_(transposed);
    }

    public IPackedLinear PackLinear(LinearWeights weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        EnterInference();
        return TorchPackedLinear.Create(weights, _device);
    }

    public IPackedConv PackConv1d(ConvGeometry geometry, ReadOnlyMemory<float> weight, ReadOnlyMemory<float> bias)
    {
        TensorArguments.PackConv1d(geometry, weight.Length, bias.Length);
        return PackConv(geometry, false, weight, [geometry.OutChannels, geometry.InChannels / geometry.Groups, geometry.KernelSize], bias);
    }

    public IPackedConv PackConvTranspose1d(ConvGeometry geometry, ReadOnlyMemory<float> weight, ReadOnlyMemory<float> bias)
    {
        TensorArguments.PackConvTranspose1d(geometry, weight.Length, bias.Length);
        return PackConv(geometry, true, weight, [geometry.InChannels, geometry.OutChannels / geometry.Groups, geometry.KernelSize], bias);
    }

    private TorchPackedConv PackConv(ConvGeometry geometry, bool transposed, ReadOnlyMemory<float> weight, long[] dims, ReadOnlyMemory<float> bias)
    {
        EnterInference();
        Tensor w = TorchTensors.FromHost(weight.Span, dims, _device);
        Tensor? b = bias.IsEmpty ? null : TorchTensors.FromHost(bias.Span, [geometry.OutChannels], _device);
        return new TorchPackedConv(geometry, transposed, w, b);
    }

    public void Linear(ITensor x, IPackedLinear weights, ITensor y)
    {
        const string op = nameof(Linear);
        TorchTensor xt = Own(x, op, nameof(x)), yt = Own(y, op, nameof(y));
        var w = TensorArguments.OwnWeights<TorchPackedLinear>(weights, op, BackendName);
        if (TensorArguments.Linear(xt, w, yt) == 0)
            return;
        EnterInference();
        // y = b + x·Wᵀ in one in-place GEMM; without a bias, beta = 0 ignores y's old contents (NaN included).
        if (w.Bias is { } bias)
        {
            yt.Value.copy_(bias);
            TorchTensors.Drop(yt.Value.addmm_(xt.Value, w.WeightTransposed), yt.Value);
        }
        else
        {
            TorchTensors.Drop(yt.Value.addmm_(xt.Value, w.WeightTransposed, beta: 0f), yt.Value);
        }
    }

    public void Conv1d(ITensor x, IPackedConv weights, ITensor y)
    {
        (TorchTensor xt, TorchPackedConv w, TorchTensor yt) = ConvArguments(nameof(Conv1d), x, weights, y);
        ConvGeometry g = w.Geometry;
        if (g.ConvOutputLength(TensorArguments.Conv1d(xt, w, yt)) == 0)
            return;
        EnterInference();
        using Tensor batch = xt.Value.unsqueeze(0);
        using Tensor result = nn.functional.conv1d(batch, w.Weight, w.Bias, stride: g.Stride, padding: 0, dilation: g.Dilation, groups: g.Groups);
        using Tensor single = result.squeeze(0);
        yt.Value.copy_(single);
    }

    public void ConvTranspose1d(ITensor x, IPackedConv weights, ITensor y)
    {
        (TorchTensor xt, TorchPackedConv w, TorchTensor yt) = ConvArguments(nameof(ConvTranspose1d), x, weights, y);
        ConvGeometry g = w.Geometry;
        if (g.TransposedOutputLength(TensorArguments.ConvTranspose1d(xt, w, yt)) == 0)
            return;
        EnterInference();
        using Tensor batch = xt.Value.unsqueeze(0);
        using Tensor result = nn.functional.conv_transpose1d(batch, w.Weight, w.Bias, stride: g.Stride, padding: 0, output_padding: 0, groups: g.Groups);
        using Tensor single = result.squeeze(0);
        yt.Value.copy_(single);
    }

    private static TorchTensor Own(ITensor tensor, string op, string name) => TensorArguments.Own<TorchTensor>(tensor, op, name, BackendName);

    private static (TorchTensor X, TorchPackedConv W, TorchTensor Y) ConvArguments(string op, ITensor x, IPackedConv weights, ITensor y) =>
        (Own(x, op, nameof(x)), TensorArguments.OwnWeights<TorchPackedConv>(weights, op, BackendName), Own(y, op, nameof(y)));

    public void LayerNorm(ITensor x, ITensor? weight, ITensor? bias, float eps, ITensor y)
    {
        const string op = nameof(LayerNorm);
        TorchTensor xt = Own(x, op, nameof(x)), yt = Own(y, op, nameof(y));
        TorchTensor? wt = weight is null ? null : Own(weight, op, nameof(weight)), bt = bias is null ? null : Own(bias, op, nameof(bias));
        int features = TensorArguments.LayerNorm(xt, wt, bt, yt);
        if (xt.Shape.ElementCount == 0)
            return;
        EnterInference();
        long[] normalizedShape = _normalizedShapes.GetOrAdd(features, static f => [f]);
        using Tensor result = nn.functional.layer_norm(xt.Value, normalizedShape, wt?.Value, bt?.Value, eps);
        yt.Value.copy_(result);
    }

    public void VarianceNorm(ITensor x, ITensor alpha, float eps, ITensor y)
    {
        const string op = nameof(VarianceNorm);
        TorchTensor xt = Own(x, op, nameof(x)), at = Own(alpha, op, nameof(alpha)), yt = Own(y, op, nameof(y));
        TensorArguments.VarianceNorm(xt, at, yt);
        if (xt.Shape.ElementCount == 0)
            return;
        EnterInference();
        // _rms_norm of pocket_tts/modules/mlp.py: y = x · (alpha · rsqrt(eps + var(x))), unbiased variance, x not centred.
        Scalar epsilon = ScalarFor(eps, out Scalar? owned);
        using Scalar? ownedEpsilon = owned;
        using Tensor factor = xt.Value.var(-1L, unbiased: true, keepdim: true);
        TorchTensors.Drop(factor.add_(epsilon, _one), factor);
        TorchTensors.Drop(factor.rsqrt_(), factor);
        using Tensor scale = factor * at.Value;
        if (!ReferenceEquals(yt, xt))
            yt.Value.copy_(xt.Value);
        TorchTensors.Drop(yt.Value.mul_(scale), yt.Value);
    }

    public void Unary(UnaryOp op, ITensor x, ITensor y)
    {
        TorchTensor xt = Own(x, nameof(Unary), nameof(x)), yt = Own(y, nameof(Unary), nameof(y));
        TensorArguments.Unary(op, xt, yt);
        EnterInference();
        Tensor v = yt.Value;
        if (!ReferenceEquals(yt, xt))
            v.copy_(xt.Value);
        Tensor result = op switch
        {
            UnaryOp.Elu => v.elu_(_one, _one, _one),
            UnaryOp.Gelu => v.gelu_(),
            UnaryOp.GeluTanh => v.gelu_(TorchSharp.Modules.GELU.Approximate.tanh),
            _ => v.silu_(),
        };
        TorchTensors.Drop(result, v);
    }

    public void Binary(BinaryOp op, ITensor a, ITensor b, ITensor y)
    {
        const string name = nameof(Binary);
        TorchTensor at = Own(a, name, nameof(a)), bt = Own(b, name, nameof(b)), yt = Own(y, name, nameof(y));
        TensorArguments.Binary(op, at, bt, yt);
        if (at.Shape.ElementCount == 0)
            return;
        EnterInference();
        // Both operations commute exactly, so when y is b (same shape as a) b's values are combined with a in place.
        Tensor v = yt.Value, other = ReferenceEquals(yt, bt) ? at.Value : bt.Value;
        if (!ReferenceEquals(yt, at) && !ReferenceEquals(yt, bt))
            v.copy_(at.Value);
        TorchTensors.Drop(op == BinaryOp.Add ? v.add_(other, _one) : v.mul_(other), v);
    }

    public void ScaleShift(ITensor x, float scale, float shift, ITensor y)
    {
        TorchTensor xt = Own(x, nameof(ScaleShift), nameof(x)), yt = Own(y, nameof(ScaleShift), nameof(y));
        TensorArguments.ScaleShift(xt, yt);
        EnterInference();
        Tensor v = yt.Value;
        if (!ReferenceEquals(yt, xt))
            v.copy_(xt.Value);
        Scalar s = ScalarFor(scale, out Scalar? ownedScale), t = ScalarFor(shift, out Scalar? ownedShift);
        using (ownedScale)
        using (ownedShift)
        {
            TorchTensors.Drop(v.mul_(s), v);
            TorchTensors.Drop(v.add_(t, _one), v);
        }
    }

    public void Rope(ITensor x, int heads, int position, float maxPeriod, ITensor y)
    {
        const string op = nameof(Rope);
        TorchTensor xt = Own(x, op, nameof(x)), yt = Own(y, op, nameof(y));
        TensorArguments.Rope(xt, heads, position, maxPeriod, yt);
        int rows = xt.Shape[0], half = xt.Shape[1] / heads / 2;
        if (rows == 0)
            return;
        EnterInference();
        // apply_rope of pocket_tts/modules/rope.py, in float32 as there: the pairs (2i, 2i+1) are complex numbers
        // r + i·j, rotated by multiplying with cos(angle) + sin(angle)·j, angle = freqs[i] · (position + t).
        Tensor freqs = RopeFrequencies(half, maxPeriod);
        using Scalar start = position, stop = position + rows;
        using Tensor times = arange(start, stop, float32, _device);
        using Tensor angle = outer(times, freqs);
        using Tensor cos = angle.cos(), sin = angle.sin();
        using Tensor rotation = complex(cos, sin);
        using Tensor rotationRows = rotation.unsqueeze(1);                               // [T, 1, D/2]
        Tensor pairs = yt.Heads(heads).Pairs!;                                           // [T, H, D/2]
        if (!ReferenceEquals(yt, xt))
            yt.Value.copy_(xt.Value);
        TorchTensors.Drop(pairs.mul_(rotationRows), pairs);
    }

    /// <summary>
    /// freqs = exp(arange(D/2) · (−ln(maxPeriod)·2/D)) in float32, computed once per head size and period (read-only,
    /// shared between threads).
    /// </summary>
    private Tensor RopeFrequencies(int half, float maxPeriod) =>
        _ropeFrequencies.GetOrAdd((half, maxPeriod), static (key, device) =>
        {
            using Tensor steps = arange(key.Half, float32, device);
            using Scalar exponent = (float)(-Math.Log(key.MaxPeriod) * 2 / (2 * key.Half));
            return steps.mul(exponent).exp_().DetachFromDisposeScope();
        }, _device);

    public void Embedding(ITensor table, ReadOnlySpan<int> ids, ITensor y)
    {
        const string op = nameof(Embedding);
        TorchTensor tt = Own(table, op, nameof(table)), yt = Own(y, op, nameof(y));
        TensorArguments.Embedding(tt, ids, yt);
        var index = new long[ids.Length];
        for (int i = 0; i < ids.Length; i++)
            index[i] = ids[i];
        if (ids.Length == 0)
            return;
        EnterInference();
        using Tensor indices = tensor(index, int64, _device);
        using Tensor rowsOut = tt.Value.index_select(0, indices);
        yt.Value.copy_(rowsOut);
    }

    public void ReplaceNaN(ITensor x, ITensor fill, ITensor y)
    {
        const string op = nameof(ReplaceNaN);
        TorchTensor xt = Own(x, op, nameof(x)), ft = Own(fill, op, nameof(fill)), yt = Own(y, op, nameof(y));
        TensorArguments.ReplaceNaN(xt, ft, yt);
        if (xt.Shape.ElementCount == 0)
            return;
        EnterInference();
        using Tensor nan = xt.Value.isnan();
        using Tensor replaced = where(nan, ft.Value, xt.Value);
        yt.Value.copy_(replaced);
    }

    public void TimestepEmbedding(ITensor t, ITensor frequencies, ITensor y)
    {
        const string op = nameof(TimestepEmbedding);
        TorchTensor tt = Own(t, op, nameof(t)), ft = Own(frequencies, op, nameof(frequencies)), yt = Own(y, op, nameof(y));
        TensorArguments.TimestepEmbedding(tt, ft, yt);
        int half = ft.Shape[0];
        if (yt.Shape.ElementCount == 0)
            return;
        EnterInference();
        // TimestepEmbedder of pocket_tts/modules/mlp.py: cat(cos(t·f), sin(t·f)) over the last axis.
        using Tensor angle = tt.Value * ft.Value;
        using (Tensor cosines = yt.Value.narrow(1, 0, half))
            TorchTensors.Drop(cosines.copy_(angle).cos_(), cosines);
        using (Tensor sines = yt.Value.narrow(1, half, half))
            TorchTensors.Drop(sines.copy_(angle).sin_(), sines);
    }

    private static long[] Dims(TensorShape shape)
    {
        var dims = new long[shape.Rank];
        for (int i = 0; i < dims.Length; i++)
            dims[i] = shape[i];
        return dims;
    }
}
