using PocketTts.Stages;
using PocketTts.Tests.Parity.Infrastructure;
using PocketTts.Weights;

namespace PocketTts.Tests.Parity.FlowLm;

/// <summary>Compares FlowLM caches with the reference's per-layer state tensors.</summary>
internal static class KvCacheFixture
{
    /// <summary>
    /// Asserts that <paramref name="snapshot"/> equals <c>{prefix}transformer.layers.N.self_attn/offset</c> exactly and
    /// the first offset positions of <c>…/cache</c> ([2 (k, v), 1, T ≥ offset, heads, headDim]) within
    /// <paramref name="tolerance"/>.
    /// </summary>
    public static void ShouldMatchFixture(this FlowLmSnapshot snapshot, SafeTensorsFile file, string prefix, float tolerance)
    {
        file.Names.ShouldNotContain($"{prefix}transformer.layers.{snapshot.Layers}.self_attn/cache", "the fixture has more layers than the snapshot");
        for (int i = 0; i < snapshot.Layers; i++)
        {
            string module = $"{prefix}transformer.layers.{i}.self_attn/";
            file.Ints(module + "offset").ShouldBe([snapshot.Offset], $"{module}offset");
            WeightTensor cache = file[module + "cache"];
            cache.Shape[3].ShouldBe(snapshot.Heads);
            cache.Shape[4].ShouldBe(snapshot.HeadDim);
            float[] values = file.Floats(module + "cache");
            int half = values.Length / 2;
            int written = snapshot.Offset * snapshot.Heads * snapshot.HeadDim;
            snapshot.Keys[i].ShouldBeClose(values[..written], tolerance, module + "cache keys");
            snapshot.Values[i].ShouldBeClose(values[half..(half + written)], tolerance, module + "cache values");
        }
    }
}
