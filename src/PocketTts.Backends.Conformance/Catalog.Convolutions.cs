using PocketTts.Tensors;

namespace PocketTts.Backends.Conformance;

/// <summary>Convolutions and transposed convolutions: strides, dilations, groups, depthwise, with and without bias.</summary>
internal static partial class Catalog
{
    private static IEnumerable<ConformanceCase> Convolutions()
    {
        ConvGeometry[] forward =
        [
            new(1, 1, 1),
            new(4, 6, 3),
            new(8, 8, 4, Stride: 2),
            new(6, 9, 3, Dilation: 3, Groups: 3),
            new(16, 16, 7, Groups: 16),
            new(5, 12, 2, Stride: 3, Dilation: 2),
        ];
        foreach (ConvGeometry g in forward)
        {
            foreach (int length in new[] { g.EffectiveKernelSize, 41 })
            {
                bool bias = g.OutChannels % 2 == 0;
                yield return Case("Conv1d", $"{Describe(g)} length {length}{(bias ? " bias" : "")}", c =>
                {
                    float[] x = Random(length, g.InChannels * length), w = Random(g.KernelSize, g.OutChannels * (g.InChannels / g.Groups) * g.KernelSize, 0.5f);
                    float[] b = bias ? Random(2, g.OutChannels) : [];
                    IPackedConv packed = c.Own(c.Backend.PackConv1d(g, w, b));
                    if (packed.IsTransposed || packed.Geometry != g)
                        throw new ConformanceFailure($"packed weights report {packed.Geometry}, transposed {packed.IsTransposed}");
                    ITensor y = c.Allocate(g.OutChannels, g.ConvOutputLength(length));
                    c.Backend.Conv1d(c.Tensor(x, g.InChannels, length), packed, y);
                    (double[] expected, double[] magnitude) = DoubleReference.Conv1d(
                        x, g.InChannels, length, w, bias ? b : null, g.OutChannels, g.KernelSize, g.Stride, g.Dilation, g.Groups);
                    c.Close(c.Values(y), expected, magnitude, c.Options.SumTolerance, "y");
                    return c.Outcome();
                });
            }
        }

        ConvGeometry[] transposed =
        [
            new(4, 6, 4, Stride: 2),
            new(8, 8, 8, Stride: 4),
            new(6, 6, 4, Stride: 2, Groups: 2),
            new(16, 16, 4, Stride: 2, Groups: 16),
            new(3, 5, 3, Stride: 5),
        ];
        foreach (ConvGeometry g in transposed)
        {
            foreach (int length in new[] { 1, 9 })
            {
                bool bias = g.InChannels != 8;
                yield return Case("ConvTranspose1d", $"{Describe(g)} length {length}{(bias ? " bias" : "")}", c =>
                {
                    float[] x = Random(length + 1, g.InChannels * length), w = Random(g.KernelSize + 1, g.InChannels * (g.OutChannels / g.Groups) * g.KernelSize, 0.5f);
                    float[] b = bias ? Random(4, g.OutChannels) : [];
                    IPackedConv packed = c.Own(c.Backend.PackConvTranspose1d(g, w, b));
                    if (!packed.IsTransposed || packed.Geometry != g)
                        throw new ConformanceFailure($"packed weights report {packed.Geometry}, transposed {packed.IsTransposed}");
                    ITensor y = c.Allocate(g.OutChannels, g.TransposedOutputLength(length));
                    c.Backend.ConvTranspose1d(c.Tensor(x, g.InChannels, length), packed, y);
                    (double[] expected, double[] magnitude) = DoubleReference.ConvTranspose1d(
                        x, g.InChannels, length, w, bias ? b : null, g.OutChannels, g.KernelSize, g.Stride, g.Groups);
                    c.Close(c.Values(y), expected, magnitude, c.Options.SumTolerance, "y");
                    return c.Outcome();
                });
            }
        }
    }

    private static string Describe(ConvGeometry g) =>
        $"in {g.InChannels} out {g.OutChannels} k {g.KernelSize}"
        + (g.Stride > 1 ? $" stride {g.Stride}" : "") + (g.Dilation > 1 ? $" dilation {g.Dilation}" : "") + (g.Groups > 1 ? $" groups {g.Groups}" : "");
}
