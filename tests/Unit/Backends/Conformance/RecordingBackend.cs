using Microsoft.ML.OnnxRuntime;
using PocketTts.Backends.Onnx;
using PocketTts.Graphs.Onnx;
using PocketTts.Tensors;

namespace PocketTts.Tests.Unit.Backends.Conformance;

/// <summary>
/// The <see cref="GraphRecorder"/> made to compute, so that the conformance kit can check it: each operation is
/// recorded as a graph of its own and run once in ONNX Runtime (with the session options of the onnx backend).
/// </summary>
/// <remarks>
/// <para>The adapter plays the graph runtime's part and nothing else. Its tensors keep their values on the host; in
/// each graph every tensor operand is a recorder tensor allocated before the graph began, so the recorder itself
/// decides what is a state: what the operation reads (sources, and the destination of an in-place call or of a
/// partial <see cref="CopySlice"/>) becomes a state input fed from the host values, what it writes a state output
/// copied back. Packed weights and caches are the recorder's own objects, so its argument checks are the ones the
/// kit sees.</para>
/// <para>What a graph runtime does on the host, the adapter does on the host: allocation and host copies
/// (<see cref="Allocate"/>, <see cref="Constant"/>, <see cref="Read"/>, <see cref="Write"/>), the rows of an
/// attention cache between calls (the past rows fed to each call, the call's new rows appended after it, and
/// <see cref="ReadKvCache"/>/<see cref="WriteKvCache"/> on them), and the check of token ids before they are fed to
/// <see cref="GraphRecorder.Lookup"/>, which is how a graph takes <see cref="Embedding"/>'s ids.</para>
/// </remarks>
internal sealed class RecordingBackend : ITensorBackend
{
    private const string BackendName = "recording";

    /// <summary>Packs weights and creates caches (both are plain records of what they were given).</summary>
    private readonly GraphRecorder _packer = new();

    public string Name => BackendName;

    public void Dispose() => _packer.Dispose();

    public ITensor Allocate(TensorShape shape) => new HostTensor(shape, new float[shape.ElementCount]);

    public ITensor Constant(ReadOnlySpan<float> values, TensorShape shape)
    {
        TensorArguments.Count(nameof(Constant), nameof(values), values.Length, shape.ElementCount);
        return new HostTensor(shape, values.ToArray());
    }

    public void Write(ReadOnlySpan<float> source, ITensor destination)
    {
        HostTensor d = Own(destination, nameof(Write));
        TensorArguments.Count(nameof(Write), nameof(source), source.Length, d.Values.Length);
        source.CopyTo(d.Values);
    }

    public void Read(ITensor source, Span<float> destination)
    {
        HostTensor s = Own(source, nameof(Read));
        TensorArguments.Count(nameof(Read), nameof(destination), destination.Length, s.Values.Length);
        s.Values.CopyTo(destination);
    }

    public void Fill(ITensor destination, float value) => Run([destination], (r, t) => r.Fill(t[0], value));

    public void CopySlice(ITensor source, int axis, int sourceStart, ITensor destination, int destinationStart, int length) =>
        Run([source, destination], (r, t) => r.CopySlice(t[0], axis, sourceStart, t[1], destinationStart, length));

    public void Transpose(ITensor x, ITensor y) => Run([x, y], (r, t) => r.Transpose(t[0], t[1]));

    public IPackedLinear PackLinear(LinearWeights weights) => _packer.PackLinear(weights);

    public IPackedConv PackConv1d(ConvGeometry geometry, ReadOnlyMemory<float> weight, ReadOnlyMemory<float> bias) => _packer.PackConv1d(geometry, weight, bias);

    public IPackedConv PackConvTranspose1d(ConvGeometry geometry, ReadOnlyMemory<float> weight, ReadOnlyMemory<float> bias) =>
        _packer.PackConvTranspose1d(geometry, weight, bias);

    public void Linear(ITensor x, IPackedLinear weights, ITensor y) => Run([x, y], (r, t) => r.Linear(t[0], weights, t[1]));

    public void Conv1d(ITensor x, IPackedConv weights, ITensor y) => Run([x, y], (r, t) => r.Conv1d(t[0], weights, t[1]));

    public void ConvTranspose1d(ITensor x, IPackedConv weights, ITensor y) => Run([x, y], (r, t) => r.ConvTranspose1d(t[0], weights, t[1]));

    public void LayerNorm(ITensor x, ITensor? weight, ITensor? bias, float eps, ITensor y) =>
        Run([x, weight, bias, y], (r, t) => r.LayerNorm(t[0]!, t[1], t[2], eps, t[3]!));

    public void VarianceNorm(ITensor x, ITensor alpha, float eps, ITensor y) => Run([x, alpha, y], (r, t) => r.VarianceNorm(t[0], t[1], eps, t[2]));

    public void Unary(UnaryOp op, ITensor x, ITensor y) => Run([x, y], (r, t) => r.Unary(op, t[0], t[1]));

    public void Binary(BinaryOp op, ITensor a, ITensor b, ITensor y) => Run([a, b, y], (r, t) => r.Binary(op, t[0], t[1], t[2]));

    public void ScaleShift(ITensor x, float scale, float shift, ITensor y) => Run([x, y], (r, t) => r.ScaleShift(t[0], scale, shift, t[1]));

    public void Rope(ITensor x, int heads, int position, float maxPeriod, ITensor y) =>
        Run([x, y], (r, t) => r.Rope(t[0], heads, position, maxPeriod, t[1]), new Feeds { Position = position });

    public IKvCache CreateKvCache(int heads, int headDim, int capacity, int? window) =>
        new HostKvCache(_packer.CreateKvCache(heads, headDim, capacity, window));

    /// <summary>
    /// The past rows the recorded graph reads are the cache's rows before <paramref name="position"/> (for a ring,
    /// the window − 1 last of them); the call's new rows, a graph output, are stored after them.
    /// </summary>
    public void Attention(ITensor q, ITensor k, ITensor v, IKvCache cache, int position, ITensor y)
    {
        HostKvCache c = TensorArguments.OwnCache<HostKvCache>(cache, nameof(Attention), BackendName);
        int past = c.Window is int window ? Math.Min(position, window - 1) : position;
        Run([q, k, v, y], (r, t) => r.Attention(t[0], t[1], t[2], c.Recorded, position, t[3]),
            new Feeds { Position = position, Cache = c, PastRows = (position - past, past) });
    }

    public void ReadKvCache(IKvCache cache, int length, Span<float> keys, Span<float> values)
    {
        HostKvCache c = TensorArguments.OwnCache<HostKvCache>(cache, nameof(ReadKvCache), BackendName);
        TensorArguments.KvCacheCopy(nameof(ReadKvCache), c, length, keys.Length, values.Length);
        c.Keys.AsSpan(0, keys.Length).CopyTo(keys);
        c.Values.AsSpan(0, values.Length).CopyTo(values);
    }

    public void WriteKvCache(IKvCache cache, int length, ReadOnlySpan<float> keys, ReadOnlySpan<float> values)
    {
        HostKvCache c = TensorArguments.OwnCache<HostKvCache>(cache, nameof(WriteKvCache), BackendName);
        TensorArguments.KvCacheCopy(nameof(WriteKvCache), c, length, keys.Length, values.Length);
        keys.CopyTo(c.Keys);
        values.CopyTo(c.Values);
    }

    /// <summary>
    /// The ids go in as the int64 input of <see cref="GraphRecorder.Lookup"/> (checked first, as the runtime that feeds
    /// them does), and the rows come out as a declared output with as many rows as ids.
    /// </summary>
    public void Embedding(ITensor table, ReadOnlySpan<int> ids, ITensor y)
    {
        HostTensor output = Own(y, nameof(Embedding));
        TensorArguments.Embedding(Own(table, nameof(Embedding)), ids, output);
        Run([table], (r, t) =>
        {
            ITensor row = r.Allocate(new TensorShape(1, table.Shape[1]));
            r.Lookup(t[0], LookupIds, LookupRows, row);
            r.Output(row, LookupOutput, LookupRows);
        }, new Feeds { Ids = [.. ids.ToArray().Select(id => (long)id)], Rows = output });
    }

    public void ReplaceNaN(ITensor x, ITensor fill, ITensor y) => Run([x, fill, y], (r, t) => r.ReplaceNaN(t[0], t[1], t[2]));

    public void TimestepEmbedding(ITensor t, ITensor frequencies, ITensor y) => Run([t, frequencies, y], (r, o) => r.TimestepEmbedding(o[0], o[1], o[2]));

    private const string GraphName = "operation", LookupIds = "ids", LookupRows = "rows", LookupOutput = "y";

    private static HostTensor Own(ITensor tensor, string op) => TensorArguments.Own<HostTensor>(tensor, op, "tensor", BackendName);

    /// <summary>What a graph takes besides its states, and where its other outputs go.</summary>
    private sealed record Feeds
    {
        /// <summary>The position input of RoPE and attention.</summary>
        public int? Position { get; init; }

        /// <summary>The attention cache whose past rows are fed and whose new rows are stored.</summary>
        public HostKvCache? Cache { get; init; }

        /// <summary>The absolute positions of the past rows fed: the first and how many.</summary>
        public (int First, int Count) PastRows { get; init; }

        /// <summary>The ids of a lookup.</summary>
        public long[]? Ids { get; init; }

        /// <summary>Where the rows of a lookup go.</summary>
        public HostTensor? Rows { get; init; }
    }

    /// <summary>
    /// Records <paramref name="body"/> as one graph over recorder tensors that stand for <paramref name="operands"/>,
    /// runs it, and copies the states it wrote back into the operands.
    /// </summary>
    private static void Run(ITensor?[] operands, Action<GraphRecorder, ITensor[]> body, Feeds? feeds = null)
    {
        feeds ??= new Feeds();
        using var recorder = new GraphRecorder();
        (ITensor[] stand, Dictionary<int, HostTensor> hosts) = StandIns(recorder, operands);
        recorder.BeginGraph(GraphName);
        body(recorder, stand);
        recorder.EndGraph(carried: hosts.Keys);
        RecordedGraph graph = recorder.Graphs[GraphName];
        GraphSpec spec = graph.Spec;

        var inputs = new Dictionary<string, OrtValue>();
        foreach (StateSpec state in spec.States.Where(s => s.Input is not null))
            inputs[state.Input!] = Floats(hosts[state.Id].Values, state.Shape);
        if (spec.Position is string position)
            inputs[position] = OrtValue.CreateTensorValueFromMemory(new[] { (long)feeds.Position!.Value }, []);
        if (feeds.Ids is long[] ids)
            inputs[LookupIds] = OrtValue.CreateTensorValueFromMemory(ids, [ids.Length]);
        (int first, int count) = feeds.PastRows;
        foreach (CacheSpec c in spec.Caches)
        {
            inputs[c.PastKeys] = Floats(feeds.Cache!.Rows(feeds.Cache.Keys, first, count), [count, c.Heads, c.HeadDim]);
            inputs[c.PastValues] = Floats(feeds.Cache.Rows(feeds.Cache.Values, first, count), [count, c.Heads, c.HeadDim]);
        }

        string[] outputs = [.. spec.States.Where(s => s.Output is not null).Select(s => s.Output!),
                            .. spec.Caches.SelectMany(c => new[] { c.NewKeys, c.NewValues }), .. spec.Outputs.Select(o => o.Name)];
        Execute(graph, inputs, outputs, results =>
        {
            foreach (StateSpec state in spec.States.Where(s => s.Output is not null))
                results[state.Output!].GetTensorDataAsSpan<float>().CopyTo(hosts[state.Id].Values);
            foreach (CacheSpec c in spec.Caches)
            {
                feeds.Cache!.Store(feeds.Cache.Keys, first + count, results[c.NewKeys].GetTensorDataAsSpan<float>());
                feeds.Cache.Store(feeds.Cache.Values, first + count, results[c.NewValues].GetTensorDataAsSpan<float>());
            }
            if (feeds.Rows is HostTensor rows)
                results[LookupOutput].GetTensorDataAsSpan<float>().CopyTo(rows.Values);
        });
    }

    /// <summary>
    /// Recorder tensors for the operands, allocated outside any graph, so that the recorder treats them as state; the
    /// same tensor twice is one recorder tensor, and another backend's tensor goes through as it is, for the recorder
    /// to refuse.
    /// </summary>
    private static (ITensor[] Stand, Dictionary<int, HostTensor> Hosts) StandIns(GraphRecorder recorder, ITensor?[] operands)
    {
        var stand = new ITensor[operands.Length];
        var hosts = new Dictionary<int, HostTensor>();
        for (int i = 0; i < operands.Length; i++)
        {
            int same = Array.FindIndex(operands, 0, i, o => o is not null && ReferenceEquals(o, operands[i]));
            if (same >= 0)
            {
                stand[i] = stand[same];
            }
            else if (operands[i] is HostTensor host)
            {
                var t = (RecordedTensor)recorder.Allocate(host.Shape);
                hosts[t.Id] = host;
                stand[i] = t;
            }
            else
            {
                stand[i] = operands[i]!;   // null, an absent LayerNorm weight or bias, stays null
            }
        }
        return (stand, hosts);
    }

    /// <summary>Runs the graph once in ONNX Runtime, with the onnx backend's CPU session options.</summary>
    private static void Execute(RecordedGraph graph, Dictionary<string, OrtValue> inputs, string[] outputs, Action<Dictionary<string, OrtValue>> read)
    {
        try
        {
            using var model = new MemoryStream();
            graph.WriteTo(model);
            using SessionOptions options = OnnxRuntimeLibrary.CpuSession(1);
            using var session = new InferenceSession(model.ToArray(), options);
            using var runOptions = new RunOptions();
            using IDisposableReadOnlyCollection<OrtValue> results = session.Run(runOptions, inputs.Keys, inputs.Values, outputs);
            read(outputs.Zip(results).ToDictionary(p => p.First, p => p.Second));
        }
        finally
        {
            foreach (OrtValue value in inputs.Values)
                value.Dispose();
        }
    }

    private static OrtValue Floats(float[] values, int[] shape) =>
        OrtValue.CreateTensorValueFromMemory(values, [.. shape.Select(d => (long)d)]);

    /// <summary>A tensor of this backend: its values on the host.</summary>
    private sealed class HostTensor(TensorShape shape, float[] values) : ITensor
    {
        public TensorShape Shape { get; } = shape;

        public float[] Values { get; } = values;

        public void Dispose()
        {
        }
    }

    /// <summary>
    /// The rows of one attention cache, kept on the host as a graph runtime keeps them: row p in slot p mod capacity
    /// (a linear cache never wraps), keys and values [capacity, heads, headDim].
    /// </summary>
    private sealed class HostKvCache(IKvCache recorded) : IKvCache
    {
        public IKvCache Recorded { get; } = recorded;

        public int Heads => Recorded.Heads;

        public int HeadDim => Recorded.HeadDim;

        public int Capacity => Recorded.Capacity;

        public int? Window => Recorded.Window;

        private int Width => Heads * HeadDim;

        public float[] Keys { get; } = new float[recorded.Capacity * recorded.Heads * recorded.HeadDim];

        public float[] Values { get; } = new float[recorded.Capacity * recorded.Heads * recorded.HeadDim];

        /// <summary>Rows first … first + count − 1 of <paramref name="slots"/>, in order.</summary>
        public float[] Rows(float[] slots, int first, int count)
        {
            var rows = new float[count * Width];
            for (int i = 0; i < count; i++)
                slots.AsSpan((first + i) % Capacity * Width, Width).CopyTo(rows.AsSpan(i * Width));
            return rows;
        }

        /// <summary>Stores <paramref name="rows"/> as rows first, first + 1, … of <paramref name="slots"/>.</summary>
        public void Store(float[] slots, int first, ReadOnlySpan<float> rows)
        {
            for (int i = 0; i < rows.Length / Width; i++)
                rows.Slice(i * Width, Width).CopyTo(slots.AsSpan((first + i) % Capacity * Width));
        }

        public void Dispose()
        {
        }
    }
}
