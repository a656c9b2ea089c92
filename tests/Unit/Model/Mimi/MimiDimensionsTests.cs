using PocketTts.Model.Mimi;
using static PocketTts.Tests.Unit.Model.Mimi.MimiTestKit;

namespace PocketTts.Tests.Unit.Model.Mimi;

public sealed class MimiDimensionsTests
{
    [Fact]
    public void The_tiny_configuration_gives_the_reference_rates()
    {
        MimiDimensions dims = MimiDimensions.From(Tiny);
        dims.FrameSamples.ShouldBe(1920);
        dims.HopLength.ShouldBe(120);
        dims.StepsPerFrame.ShouldBe(16);
        dims.Dimension.ShouldBe(64);
        dims.LatentDim.ShouldBe(32);
        dims.QuantizerDim.ShouldBe(32);
        dims.OuterDim.ShouldBe(64);
    }

    [Fact]
    public void Absent_inner_and_outer_widths_default_to_the_SEANet_dimension()
    {
        MimiDimensions dims = MimiDimensions.From(Tiny with { InnerDim = null, OuterDim = null });
        dims.LatentDim.ShouldBe(64);
        dims.OuterDim.ShouldBe(64);
    }

    [Fact]
    public void Inconsistent_configurations_are_named()
    {
        Should.Throw<ArgumentException>(() => MimiDimensions.From(Tiny with { Channels = 2 })).Message.ShouldContain("must be 1: Pocket TTS is mono");
        Should.Throw<ArgumentException>(() => MimiDimensions.From(Tiny with { FrameRate = 11 }))
            .Message.ShouldContain("must be a multiple of the SEANet hop 120");
        Should.Throw<ArgumentException>(() => MimiDimensions.From(Tiny with { FrameRate = 200 }))
            .Message.ShouldContain("integer stride of at least 2");
        Should.Throw<ArgumentException>(() => MimiDimensions.From(Tiny with { Quantizer = Tiny.Quantizer with { OutputDimension = 48 } }))
            .Message.ShouldContain("quantizer.output_dimension (48) must equal outer_dim (64)");
    }
}
