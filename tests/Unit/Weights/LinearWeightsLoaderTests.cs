using PocketTts.Tensors;
using PocketTts.Tests.Unit.Infrastructure;
using PocketTts.Weights;

namespace PocketTts.Tests.Unit.Weights;

public class LinearWeightsLoaderTests
{
    private static readonly float[] Weight = [0.5f, -1f, 0.25f, 2f, 0f, -0.75f];   // [3, 2]

    private static WeightScope Scope(InMemoryWeights weights) => new WeightScope(weights).Scope("layers", 0);

    [Fact]
    public void Float_weights_load_as_they_are()
    {
        var root = new WeightScope(new InMemoryWeights().Add("layers.0.linear1.weight", Weight, 3, 2).Add("layers.0.linear1.bias", [1f, 2f, 3f], 3));
        LinearWeights w = LinearWeightsLoader.Load(root.Scope("layers", 0), "linear1", 3, 2, hasBias: true, quantize: false);
        w.IsQuantized.ShouldBeFalse();
        w.OutFeatures.ShouldBe(3);
        w.InFeatures.ShouldBe(2);
        w.Weight.ToArray().ShouldBe(Weight);
        w.Bias.ToArray().ShouldBe([1f, 2f, 3f]);
        root.EnsureAllConsumed();
    }

    [Fact]
    public void Float_weights_are_quantized_at_load_when_asked()
    {
        var root = new WeightScope(new InMemoryWeights().Add("layers.0.linear1.weight", Weight, 3, 2));
        LinearWeights w = LinearWeightsLoader.Load(root.Scope("layers", 0), "linear1", 3, 2, hasBias: false, quantize: true);
        w.IsQuantized.ShouldBeTrue();
        w.Bias.IsEmpty.ShouldBeTrue();
        LinearWeights expected = WeightQuantizer.Quantize(new LinearWeights { OutFeatures = 3, InFeatures = 2, Weight = Weight });
        w.QuantizedWeight.ToArray().ShouldBe(expected.QuantizedWeight.ToArray());
        w.Scales.ToArray().ShouldBe(expected.Scales.ToArray());
        w.Validate();
        root.EnsureAllConsumed();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Int8_weights_load_with_their_scales_whatever_was_asked(bool quantize)
    {
        var root = new WeightScope(new InMemoryWeights()
            .Add("layers.0.linear2.weight", [(sbyte)1, (sbyte)-127, (sbyte)0, (sbyte)5], 2, 2)
            .Add("layers.0.linear2.weight_scale", [0.5f, 0.25f], 2));
        LinearWeights w = LinearWeightsLoader.Load(root.Scope("layers", 0), "linear2", 2, 2, hasBias: false, quantize);
        w.IsQuantized.ShouldBeTrue();
        w.QuantizedWeight.ToArray().ShouldBe([(sbyte)1, (sbyte)-127, (sbyte)0, (sbyte)5]);
        w.Scales.ToArray().ShouldBe([0.5f, 0.25f]);
        root.EnsureAllConsumed();
    }

    [Fact]
    public void A_quantized_model_file_loads_within_half_a_scale_of_the_float_model()
    {
        using var model = SafeTensorsFile.Open(RepoPaths.Fixture("tiny/model.safetensors"));
        using var quantized = SafeTensorsFile.FromBytes(WeightQuantizer.QuantizeModel(model, QuantizationGroups.Recommended).ToBytes());
        WeightScope layer = new WeightScope(quantized).Scope("flow_lm").Scope("transformer").Scope("layers", 1);
        LinearWeights w = LinearWeightsLoader.Load(layer, "linear1", 512, 128, hasBias: false, quantize: false);
        w.IsQuantized.ShouldBeTrue();
        float[] original = WeightConversion.ToFloat32(model["flow_lm.transformer.layers.1.linear1.weight"]);
        var back = new float[original.Length];
        WeightQuantizer.Dequantize(w.QuantizedWeight.Span, w.Scales.Span, 512, 128, back);
        for (int i = 0; i < original.Length; i++)
            ((double)Math.Abs(original[i] - back[i])).ShouldBeLessThanOrEqualTo(w.Scales.Span[i / 128] * 0.5 * (1 + 1e-6));
    }

    [Fact]
    public void Missing_misshaped_and_invalid_tensors_are_named()
    {
        var noScale = new InMemoryWeights().Add("layers.0.linear1.weight", [(sbyte)1, (sbyte)2], 1, 2);
        Should.Throw<InvalidDataException>(() => LinearWeightsLoader.Load(Scope(noScale), "linear1", 1, 2, false, false)).Message
            .ShouldBe("Missing tensor 'layers.0.linear1.weight_scale' (expected shape [1]).");

        var wrongShape = new InMemoryWeights().Add("layers.0.linear1.weight", Weight, 3, 2);
        Should.Throw<InvalidDataException>(() => LinearWeightsLoader.Load(Scope(wrongShape), "linear1", 2, 3, false, false)).Message
            .ShouldBe("Tensor 'layers.0.linear1.weight' has shape [3, 2], expected [2, 3].");

        Should.Throw<InvalidDataException>(() => LinearWeightsLoader.Load(Scope(wrongShape), "linear1", 3, 2, hasBias: true, false)).Message
            .ShouldBe("Missing tensor 'layers.0.linear1.bias' (expected shape [3]).");

        var zeroScale = new InMemoryWeights().Add("layers.0.linear1.weight", [(sbyte)1, (sbyte)2], 1, 2).Add("layers.0.linear1.weight_scale", [0f], 1);
        Should.Throw<InvalidDataException>(() => LinearWeightsLoader.Load(Scope(zeroScale), "linear1", 1, 2, false, false)).Message
            .ShouldBe("Tensor 'layers.0.linear1.weight_scale' holds 0 at row 0; scales must be positive and finite.");

        var integer = new InMemoryWeights().Add("layers.0.linear1.weight", [1L, 2L], 1, 2);
        Should.Throw<InvalidDataException>(() => LinearWeightsLoader.Load(Scope(integer), "linear1", 1, 2, false, false)).Message
            .ShouldBe("Tensor 'layers.0.linear1.weight' has element type I64; a float type (F32, F16, BF16) is required here.");

        var notFinite = new InMemoryWeights().Add("layers.0.linear1.weight", [1f, float.NaN], 1, 2);
        Should.Throw<InvalidDataException>(() => LinearWeightsLoader.Load(Scope(notFinite), "linear1", 1, 2, false, quantize: true)).Message
            .ShouldStartWith("Tensor 'layers.0.linear1.weight': Row 0 of the weight holds NaN");
    }
}
