using PocketTts.Backends;
using PocketTts.Backends.Managed;
using PocketTts.Model.Transformer;
using PocketTts.Tensors;
using PocketTts.Weights;

namespace PocketTts.Tests.Unit.Model.Transformer;

/// <summary>Backend, tiny-model weights and random data shared by the transformer and FlowLM module tests.</summary>
internal static class TransformerTestKit
{
    /// <summary>FlowLM's transformer in the tiny model: d 128, 2 heads, 2 layers, feed-forward 512, unlimited context.</summary>
    public static readonly StreamingTransformerConfig FlowLmTransformer = new(128, 2, 2, 512, 10000f, LayerScale: false, Context: null);

    /// <summary>The tiny Mimi encoder transformer with layer scale; the context is the test's choice.</summary>
    public static StreamingTransformerConfig MimiLike(int? context) => new(64, 2, 2, 128, 10000f, LayerScale: true, Context: context);

    public static ITensorBackend CreateBackend() =>
        (ITensorBackend)new ManagedBackendProvider().Create(new BackendOptions { Threads = 1 });

    public static SafeTensorsFile OpenTinyWeights() =>
        SafeTensorsFile.Open(Path.Combine(AppContext.BaseDirectory, "Fixtures", "tiny", "model.safetensors"));

    /// <summary>The scope of FlowLM's (<c>flow_lm.transformer</c>) or the Mimi encoder's transformer.</summary>
    public static WeightScope Scope(SafeTensorsFile weights, StreamingTransformerConfig config) =>
        config.LayerScale
            ? new WeightScope(weights).Scope("mimi").Scope("encoder_transformer").Scope("transformer")
            : new WeightScope(weights).Scope("flow_lm").Scope("transformer");

    public static float[] Random(int count, int seed)
    {
        var random = new Random(seed);
        var values = new float[count];
        for (int i = 0; i < count; i++)
            values[i] = (float)(random.NextDouble() * 2 - 1);
        return values;
    }

    public static float[] ReadAll(this ITensorBackend backend, ITensor tensor)
    {
        var values = new float[tensor.Shape.ElementCount];
        backend.Read(tensor, values);
        return values;
    }

    public static float MaxAbsDiff(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        a.Length.ShouldBe(b.Length);
        float max = 0;
        for (int i = 0; i < a.Length; i++)
            max = MathF.Max(max, float.IsNaN(a[i] - b[i]) ? float.PositiveInfinity : MathF.Abs(a[i] - b[i]));
        return max;
    }
}
