using System.Runtime;
using PocketTts.Backends.Managed;
using PocketTts.Tensors;
using static PocketTts.Tests.Unit.Backends.Managed.BackendTestData;

namespace PocketTts.Tests.Unit.Backends.Managed;

/// <summary>
/// Packed weights live on the pinned object heap (see <see cref="WeightArrays"/>). A no-GC region is process-wide,
/// so these tests run alone.
/// </summary>
[Collection(WeightArraysTests.Name)]
public sealed class WeightArraysTests
{
    internal const string Name = "Pinned object heap (runs alone)";

    [Fact]
    public void A_copy_is_a_new_array_with_the_same_values()
    {
        float[] values = Random(1, 1000);

        float[] copy = WeightArrays.Copy<float>(values);

        copy.ShouldNotBeSameAs(values);
        copy.ShouldBe(values);
    }

    [Fact]
    public void A_zeroed_array_reads_as_zeros() =>
        WeightArrays.Zeroed<float>(300_000).ShouldAllBe(v => v == 0f);

    [Fact]
    public void Packed_linear_and_convolution_weights_are_pinned_arrays()
    {
        using var backend = Create(1);
        float[] weight = Random(2, 8 * 4), bias = Random(3, 8), scales = Random(4, 8), convWeight = Random(5, 4 * 2 * 3);
        sbyte[] quantized = Array.ConvertAll(Random(6, 8 * 4, 127f), v => (sbyte)v);
        PackedLinear packed, packedInt8;
        PackedConv conv, transposed;

        // Small arrays: an ordinary one starts in generation 0, a pinned one is in generation 2 from the start.
        // No collection may run in between. The region's budget is process-wide, so a thread the runner or an earlier
        // test left behind can exhaust it; then the region has ended, the generations prove nothing, and the check
        // runs again.
        for (int attempt = 1; ; attempt++)
        {
            GC.TryStartNoGCRegion(16 << 20).ShouldBeTrue();
            bool undisturbed;
            try
            {
                packed = (PackedLinear)backend.PackLinear(new LinearWeights { OutFeatures = 8, InFeatures = 4, Weight = weight, Bias = bias });
                packedInt8 = (PackedLinear)backend.PackLinear(new LinearWeights { OutFeatures = 8, InFeatures = 4, QuantizedWeight = quantized, Scales = scales });
                conv = (PackedConv)backend.PackConv1d(new ConvGeometry(2, 4, 3), convWeight, bias.AsMemory(0, 4));
                transposed = (PackedConv)backend.PackConvTranspose1d(new ConvGeometry(4, 2, 3), convWeight, bias.AsMemory(0, 2));
                GC.GetGeneration(new float[4]).ShouldBe(0, "an ordinary new array");
                object[] arrays = [packed.Weight, packed.Bias!, packed.PanelBias, packedInt8.QuantizedPanels, packedInt8.Scales, conv.Weights, conv.Bias!, transposed.Weights, transposed.Bias!];
                arrays.Select(GC.GetGeneration).ShouldAllBe(generation => generation == 2, "packed arrays");
            }
            finally
            {
                undisturbed = GCSettings.LatencyMode == GCLatencyMode.NoGCRegion;
                if (undisturbed)
                    GC.EndNoGCRegion();
            }
            if (undisturbed)
                break;
            attempt.ShouldBeLessThan(3, "a collection ran inside the no-GC region on every attempt");
        }
        // One panel of 16 outputs, [InFeatures][16]: the 8 outputs, then zeros.
        for (int i = 0; i < 4; i++)
        {
            for (int o = 0; o < 16; o++)
                packed.Weight[i * 16 + o].ShouldBe(o < 8 ? weight[o * 4 + i] : 0f);
        }
        packed.Bias.ShouldBe(bias);
        // One int8 panel of 8 outputs and one block of 16 inputs: each output's 4 weights, then zeros.
        for (int o = 0; o < 8; o++)
        {
            for (int i = 0; i < 16; i++)
                packedInt8.QuantizedPanels[o * 16 + i].ShouldBe(i < 4 ? quantized[o * 4 + i] : (sbyte)0);
        }
        packedInt8.Scales.ShouldBe(scales);
    }
}

/// <summary>Runs <see cref="WeightArraysTests"/> alone: a no-GC region would fail while other tests allocate.</summary>
[CollectionDefinition(WeightArraysTests.Name, DisableParallelization = true)]
public sealed class WeightArraysTestGroup;
