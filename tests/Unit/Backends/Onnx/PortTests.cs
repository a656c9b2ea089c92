using PocketTts.Backends.Onnx.Runtime;

namespace PocketTts.Tests.Unit.Backends.Onnx;

/// <summary>A port fits a stage's shape to the rank a graph declares, so graphs with and without batch axes need no code.</summary>
public sealed class PortTests
{
    [Fact]
    public void A_shape_is_padded_with_leading_ones_to_the_declared_rank()
    {
        new Port("latent", 3).Shape(32).ShouldBe([1L, 1L, 32L]);
        new Port("sequence", 3).Shape(0, 32).ShouldBe([1L, 0L, 32L]);
        new Port("latents", 2).Shape(4, 32).ShouldBe([4L, 32L]);
    }

    [Fact]
    public void Leading_ones_beyond_the_rank_are_dropped_and_other_sizes_refused()
    {
        new Port("eos_logit", 1).Shape(1, 1).ShouldBe([1L]);
        Should.Throw<InvalidOperationException>(() => new Port("hidden", 1).Shape(3, 8)).Message
            .ShouldBe("The graph's 'hidden' has 1 dimensions; a tensor [3, 8] does not fit them.");
    }
}
