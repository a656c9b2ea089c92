using System.Runtime.InteropServices;
using PocketTts.Backends;
using PocketTts.Backends.Managed;
using PocketTts.Config;
using PocketTts.Model.Mimi;
using PocketTts.Tensors;
using PocketTts.Weights;

namespace PocketTts.Tests.Unit.Model.Mimi;

/// <summary>Weights held in memory, for modules built from hand-made tensors.</summary>
internal sealed class InMemoryWeights : IWeightSource
{
    private readonly Dictionary<string, WeightTensor> _tensors = new(StringComparer.Ordinal);

    public IReadOnlyCollection<string> Names => _tensors.Keys;

    public bool TryGet(string name, out WeightTensor tensor) => _tensors.TryGetValue(name, out tensor!);

    public InMemoryWeights Add(string name, float[] values, params int[] shape)
    {
        _tensors[name] = new WeightTensor(name, TensorDType.F32, shape, MemoryMarshal.AsBytes(values.AsSpan()).ToArray());
        return this;
    }
}

/// <summary>
/// All tensors of a source, but only those whose names start with a prefix are listed, so that
/// <see cref="WeightScope.EnsureAllConsumed"/> checks that part alone.
/// </summary>
internal sealed class FilteredWeights(IWeightSource source, string prefix) : IWeightSource
{
    public IReadOnlyCollection<string> Names { get; } = [.. source.Names.Where(n => n.StartsWith(prefix, StringComparison.Ordinal))];

    public bool TryGet(string name, out WeightTensor tensor) => source.TryGet(name, out tensor);
}

/// <summary>Backend, random data and the whole-versus-chunks harness shared by the Mimi module tests.</summary>
internal static class MimiTestKit
{
    /// <summary>The Mimi section of tests/Parity/Fixtures/tiny/config.yaml.</summary>
    public static readonly MimiConfig Tiny = ModelConfigLoader.LoadFile(Infrastructure.RepoPaths.Fixture("tiny/config.yaml")).Mimi;

    public static SafeTensorsFile OpenTinyModel() => SafeTensorsFile.Open(Path.Combine(AppContext.BaseDirectory, "Fixtures", "tiny", "model.safetensors"));

    public static ITensorBackend CreateBackend() =>
        (ITensorBackend)new ManagedBackendProvider().Create(new BackendOptions { Threads = 1 });

    public static float[] Random(int count, int seed, float scale = 1f)
    {
        var random = new Random(seed);
        var values = new float[count];
        for (int i = 0; i < count; i++)
            values[i] = (float)(random.NextDouble() * 2 - 1) * scale;
        return values;
    }

    public static float[] Read(this ITensorBackend backend, ITensor tensor)
    {
        var values = new float[tensor.Shape.ElementCount];
        backend.Read(tensor, values);
        return values;
    }

    /// <summary>Columns [start, start + length) of a row-major [rows, columns] matrix.</summary>
    public static float[] Columns(float[] matrix, int rows, int columns, int start, int length)
    {
        var result = new float[rows * length];
        for (int r = 0; r < rows; r++)
            Array.Copy(matrix, r * columns + start, result, r * length, length);
        return result;
    }

    /// <summary>
    /// Runs <paramref name="x"/> [InChannels, T] through <paramref name="layer"/> on one fresh state, in calls of
    /// <paramref name="chunk"/> input steps (the last may be shorter), and returns the concatenated output.
    /// </summary>
    public static float[] RunInChunks(ITensorBackend backend, IStreamingLayer layer, float[] x, int steps, int chunk)
    {
        int inC = layer.InChannels, outC = layer.OutChannels;
        int outSteps = layer.OutputLength(steps);
        var output = new float[outC * outSteps];
        using IStreamingState state = layer.CreateState(chunk);
        int produced = 0;
        for (int start = 0; start < steps; start += chunk)
        {
            int length = Math.Min(chunk, steps - start);
            using ITensor xt = backend.Constant(Columns(x, inC, steps, start, length), new TensorShape(inC, length));
            int outLength = layer.OutputLength(length);
            using ITensor yt = backend.Allocate(new TensorShape(outC, outLength));
            layer.Forward(xt, yt, state);
            float[] y = backend.Read(yt);
            for (int r = 0; r < outC; r++)
                Array.Copy(y, r * outLength, output, r * outSteps + produced, outLength);
            produced += outLength;
        }
        produced.ShouldBe(outSteps);
        return output;
    }

    public static float MaxAbsDiff(float[] expected, float[] actual)
    {
        actual.Length.ShouldBe(expected.Length);
        float max = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            float d = MathF.Abs(expected[i] - actual[i]);
            if (float.IsNaN(d))
                return float.PositiveInfinity;
            max = MathF.Max(max, d);
        }
        return max;
    }

    public static void ShouldBeClose(this float[] actual, float[] expected, float tolerance, string what)
    {
        float diff = MaxAbsDiff(expected, actual);
        diff.ShouldBeLessThanOrEqualTo(tolerance, $"{what}: max |diff| = {diff:E2}");
    }

    public static float Elu(float x) => x > 0 ? x : MathF.Exp(x) - 1f;

    /// <summary>nn.Conv1d over the input with History samples of causal (or replicate) padding in front, in double.</summary>
    public static float[] ReferenceConv1d(StreamingConv1d.Config c, float[] weight, float[] bias, float[] x, int steps)
    {
        int h = c.History, n = h + steps, inPerGroup = c.InChannels / c.Groups, outPerGroup = c.OutChannels / c.Groups;
        var padded = new double[c.InChannels * n];
        for (int ch = 0; ch < c.InChannels; ch++)
        {
            for (int i = 0; i < n; i++)
            {
                float v = i < h ? (c.Pad == PadMode.Replicate ? x[ch * steps] : 0f) : x[ch * steps + i - h];
                padded[ch * n + i] = c.EluInput ? Elu(v) : v;
            }
        }
        int outSteps = steps / c.Stride;
        var y = new float[c.OutChannels * outSteps];
        for (int o = 0; o < c.OutChannels; o++)
        {
            int group = o / outPerGroup;
            for (int t = 0; t < outSteps; t++)
            {
                double sum = c.Bias ? bias[o] : 0;
                for (int ci = 0; ci < inPerGroup; ci++)
                {
                    for (int k = 0; k < c.KernelSize; k++)
                        sum += weight[(o * inPerGroup + ci) * c.KernelSize + k] * padded[(group * inPerGroup + ci) * n + t * c.Stride + k * c.Dilation];
                }
                y[o * outSteps + t] = (float)sum;
            }
        }
        return y;
    }
}
