using System.Buffers;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json;
using PocketTts.Config;
using PocketTts.Weights;

namespace PocketTts.Host.Bench;

/// <summary>
/// Random weights with exactly the names and shapes of a real checkpoint (from its tensor manifest), so the
/// full-size model can be measured without downloading it. Matrices are uniform with variance 1/fan_in so
/// activations stay of order one; norm gains are 1, biases and means 0, standard deviations 1.
/// </summary>
/// <remarks>
/// A tensor's values are made when its data is first read, from a seed derived from its name, and belong to the
/// <see cref="WeightTensor"/> handed out: once the model has packed a tensor into its own buffers and let it go,
/// the collector takes it. Holding all 438 MB up front would sit next to the packed copy and double the
/// benchmark's peak working set. Every <see cref="TryGet"/> of one name gives the same values.
/// </remarks>
internal sealed class SyntheticWeights : IWeightSource
{
    private readonly Dictionary<string, int[]> _shapes = new(StringComparer.Ordinal);
    private readonly int _seed;
    private long _generationTicks;

    private SyntheticWeights(int seed) => _seed = seed;

    /// <inheritdoc/>
    public IReadOnlyCollection<string> Names => _shapes.Keys;

    /// <summary>Total parameter count.</summary>
    public long Parameters => _shapes.Values.Sum(shape => shape.Aggregate(1L, (n, d) => n * d));

    /// <summary>Time spent making values so far (not part of a model's load time).</summary>
    public TimeSpan GenerationTime => Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _generationTicks));

    /// <summary>The tensors listed by the embedded manifest <c>{name}.manifest.json</c>.</summary>
    public static SyntheticWeights FromEmbeddedManifest(string name, int seed)
    {
        using Stream stream = typeof(SyntheticWeights).Assembly.GetManifestResourceStream($"PocketTts.Host.Bench.{name}.manifest.json")
            ?? throw new InvalidOperationException($"No embedded manifest '{name}'.");
        using JsonDocument doc = JsonDocument.Parse(stream);
        var weights = new SyntheticWeights(seed);
        foreach (JsonElement t in doc.RootElement.GetProperty("tensors").EnumerateArray())
            weights._shapes[t.GetProperty("name").GetString()!] = [.. t.GetProperty("shape").EnumerateArray().Select(d => d.GetInt32())];
        return weights;
    }

    /// <summary>
    /// The tensors of the checkpoint a configuration describes: the english manifest's, with the FlowLM transformer's
    /// layers made for the configuration's depth and widths, and without the time embedders of a drifting head. The
    /// other parts (text table, flow net widths, Mimi) are the english model's in every shipped configuration; a
    /// configuration that differs there fails when the model is built, naming the first tensor of another shape.
    /// </summary>
    public static SyntheticWeights FromConfig(ModelConfig config, int seed)
    {
        ArgumentNullException.ThrowIfNull(config);
        SyntheticWeights weights = FromEmbeddedManifest("english", seed);
        const string Layers = "flow_lm.transformer.layers.", TimeEmbed = "flow_lm.flow_net.time_embed.";
        foreach (string name in weights._shapes.Keys.Where(n => n.StartsWith(Layers, StringComparison.Ordinal)
            || (config.FlowLm.Flow.Type == FlowType.Drifting && n.StartsWith(TimeEmbed, StringComparison.Ordinal))).ToList())
        {
            weights._shapes.Remove(name);
        }
        FlowLmTransformerConfig transformer = config.FlowLm.Transformer;
        int d = transformer.DModel, ff = d * transformer.HiddenScale;
        for (int i = 0; i < transformer.NumLayers; i++)
        {
            string layer = $"{Layers}{i}.";
            weights._shapes[layer + "self_attn.in_proj.weight"] = [3 * d, d];
            weights._shapes[layer + "self_attn.out_proj.weight"] = [d, d];
            foreach (string norm in new[] { "norm1", "norm2" })
            {
                weights._shapes[$"{layer}{norm}.weight"] = [d];
                weights._shapes[$"{layer}{norm}.bias"] = [d];
            }
            weights._shapes[layer + "linear1.weight"] = [ff, d];
            weights._shapes[layer + "linear2.weight"] = [d, ff];
        }
        return weights;
    }

    /// <inheritdoc/>
    public bool TryGet(string name, out WeightTensor tensor)
    {
        if (!_shapes.TryGetValue(name, out int[]? shape))
        {
            tensor = null!;
            return false;
        }
        tensor = new WeightTensor(name, TensorDType.F32, shape, new Values(this, name, shape).Memory);
        return true;
    }

    /// <summary>The values of one tensor, made on first access. Read through spans only: nothing in the engine pins weights.</summary>
    private sealed class Values(SyntheticWeights owner, string name, int[] shape) : MemoryManager<byte>
    {
        private float[]? _values;

        // A WeightTensor's length must be known before its values exist (the base property would make them).
        public override Memory<byte> Memory => CreateMemory(checked(4 * (int)shape.Aggregate(1L, (n, d) => n * d)));

        public override Span<byte> GetSpan() => MemoryMarshal.AsBytes((_values ??= owner.Make(name, shape)).AsSpan());

        public override MemoryHandle Pin(int elementIndex = 0) => throw new NotSupportedException("Synthetic weights are read through spans, not pinned.");

        public override void Unpin()
        {
        }

        protected override void Dispose(bool disposing)
        {
        }
    }

    private float[] Make(string name, int[] shape)
    {
        long start = Stopwatch.GetTimestamp();
        var values = new float[shape.Aggregate(1L, (n, d) => n * d)];
        if (name.EndsWith("emb_std", StringComparison.Ordinal) || name.EndsWith("alpha", StringComparison.Ordinal)
            || (name.Contains("norm", StringComparison.Ordinal) && name.EndsWith("weight", StringComparison.Ordinal)))
        {
            values.AsSpan().Fill(1f);
        }
        else if (name.EndsWith("freqs", StringComparison.Ordinal))
        {
            for (int i = 0; i < values.Length; i++)
                values[i] = MathF.Exp(-MathF.Log(10000f) * i / values.Length);
        }
        else if (shape.Length >= 2 || name.EndsWith("bos_emb", StringComparison.Ordinal) || name.EndsWith("scale", StringComparison.Ordinal))
        {
            int fanIn = shape.Length >= 2 ? shape[1..].Aggregate(1, (n, d) => n * d) : 1;
            // Uniform on [−a, a] has variance a²/3: a = √(3 / fan_in) gives 1 / fan_in.
            float a = MathF.Sqrt(3f / fanIn);
            var random = new Random(_seed ^ StableHash(name));
            for (int i = 0; i < values.Length; i++)
                values[i] = a * (2 * random.NextSingle() - 1);
        }
        Interlocked.Add(ref _generationTicks, Stopwatch.GetTimestamp() - start);
        return values;
    }

    /// <summary>FNV-1a of the name: the same on every run and platform (string.GetHashCode is randomised per process).</summary>
    private static int StableHash(string name)
    {
        uint hash = 2166136261;
        foreach (char c in name)
            hash = (hash ^ c) * 16777619;
        return (int)hash;
    }
}
