using PocketTts.Model;
using PocketTts.Tensors;
using PocketTts.Weights;

namespace PocketTts.Tests.Unit.Model;

public class ModelWeightsTests
{
    private static readonly float[] Matrix = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]; // [4, 3]

    [Fact]
    public void Rows_of_a_float_layer_are_views_of_its_rows_and_bias()
    {
        var layer = new LinearWeights { OutFeatures = 4, InFeatures = 3, Weight = Matrix, Bias = new float[] { 0.1f, 0.2f, 0.3f, 0.4f } };

        LinearWeights middle = layer.Rows(1, 2);

        middle.OutFeatures.ShouldBe(2);
        middle.Weight.ToArray().ShouldBe([4f, 5, 6, 7, 8, 9]);
        middle.Bias.ToArray().ShouldBe([0.2f, 0.3f]);
        middle.IsQuantized.ShouldBeFalse();
        middle.Validate();
    }

    [Fact]
    public void Rows_of_an_int8_layer_keep_their_scales()
    {
        LinearWeights layer = WeightQuantizer.Quantize(new LinearWeights { OutFeatures = 4, InFeatures = 3, Weight = Matrix });

        LinearWeights last = layer.Rows(2, 2);

        last.IsQuantized.ShouldBeTrue();
        last.QuantizedWeight.ToArray().ShouldBe(layer.QuantizedWeight.Slice(6, 6).ToArray());
        last.Scales.ToArray().ShouldBe(layer.Scales.Slice(2, 2).ToArray());
        last.Weight.IsEmpty.ShouldBeTrue();
        last.Validate();
    }

    [Theory]
    [InlineData(-1, 2)]
    [InlineData(3, 2)]
    [InlineData(0, 0)]
    public void Rows_outside_the_layer_are_refused(int start, int count)
    {
        var layer = new LinearWeights { OutFeatures = 4, InFeatures = 3, Weight = Matrix };
        Should.Throw<ArgumentOutOfRangeException>(() => layer.Rows(start, count)).Message.ShouldContain("outside a layer with 4 outputs");
    }
}
