using PocketTts.Tensors;
using static PocketTts.Tests.Unit.Backends.Managed.BackendTestData;

namespace PocketTts.Tests.Unit.Backends.Torch;

/// <summary>torch-cuda against torch on the CPU; skipped, with the probe's reason, on machines without CUDA.</summary>
[Collection(TorchPlugin.Collection)]
public sealed class TorchCudaTests
{
    [TorchCudaFact]
    public void A_layer_on_the_GPU_matches_the_CPU()
    {
        const int rows = 3, width = 16;
        float[] x = Random(1, rows * width), w = Random(2, width * width), bias = Random(3, width);
        var weights = new LinearWeights { OutFeatures = width, InFeatures = width, Weight = w, Bias = bias };

        float[] Layer(ITensorBackend b)
        {
            using ITensor input = b.Tensor(x, rows, width), q = b.Allocate(new TensorShape(rows, width)), y = b.Allocate(new TensorShape(rows, width));
            using IPackedLinear linear = b.PackLinear(weights);
            using IKvCache cache = b.CreateKvCache(2, width / 2, 8, 4);
            b.Linear(input, linear, q);
            b.Rope(q, 2, 5, 10_000f, q);
            b.Attention(q, q, q, cache, 0, y);
            b.Unary(UnaryOp.Gelu, y, y);
            return b.Values(y);
        }

        using ITensorBackend cpu = TorchPlugin.Create("torch"), gpu = TorchPlugin.Create("torch-cuda");
        float[] expected = Layer(cpu), actual = Layer(gpu);
        for (int i = 0; i < expected.Length; i++)
            MathF.Abs(actual[i] - expected[i]).ShouldBeLessThanOrEqualTo(1e-4f * MathF.Max(1f, MathF.Abs(expected[i])), $"[{i}]");
    }
}
