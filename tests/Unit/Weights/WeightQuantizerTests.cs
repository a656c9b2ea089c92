using PocketTts.Tensors;
using PocketTts.Tests.Unit.Infrastructure;
using PocketTts.Weights;

namespace PocketTts.Tests.Unit.Weights;

public class WeightQuantizerTests
{
    private static float[] Gaussian(int count, int seed, float std = 1)
    {
        var random = new Random(seed);
        var values = new float[count];
        for (int i = 0; i < count; i++)
            values[i] = std * (float)(Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()));
        return values;
    }

    private static (sbyte[] Q, float[] Scales) Quantize(float[] w, int rows, int cols)
    {
        var q = new sbyte[w.Length];
        var scales = new float[rows];
        WeightQuantizer.Quantize(w, rows, cols, q, scales);
        return (q, scales);
    }

    [Theory]
    [InlineData(64, 256, 1)]
    [InlineData(3, 1, 2)]
    [InlineData(17, 1024, 3)]
    public void Each_row_is_reproduced_within_half_its_scale(int rows, int cols, int seed)
    {
        float[] w = Gaussian(rows * cols, seed, std: 0.02f);
        var (q, scales) = Quantize(w, rows, cols);
        var back = new float[w.Length];
        WeightQuantizer.Dequantize(q, scales, rows, cols, back);
        for (int o = 0; o < rows; o++)
        {
            ReadOnlySpan<float> row = w.AsSpan(o * cols, cols);
            float maxAbs = 0;
            foreach (float x in row)
                maxAbs = MathF.Max(maxAbs, MathF.Abs(x));
            scales[o].ShouldBe(maxAbs / 127, $"row {o}");
            q.AsSpan(o * cols, cols).ToArray().Max(x => Math.Abs((int)x)).ShouldBe(127, $"row {o}: the largest weight uses the whole range");
            for (int i = 0; i < cols; i++)
            {
                double error = Math.Abs((double)w[o * cols + i] - back[o * cols + i]);
                error.ShouldBeLessThanOrEqualTo(scales[o] / 2.0 * (1 + 1e-6), $"row {o}, column {i}");
            }
        }
    }

    [Theory]
    [InlineData(256, 256, 11)]
    [InlineData(1024, 128, 12)]
    [InlineData(32, 4096, 13)]
    public void Gaussian_matrices_keep_a_signal_to_noise_ratio_above_35_dB(int rows, int cols, int seed)
    {
        float[] w = Gaussian(rows * cols, seed, std: 0.05f);
        var (q, scales) = Quantize(w, rows, cols);
        var back = new float[w.Length];
        WeightQuantizer.Dequantize(q, scales, rows, cols, back);
        double signal = 0, noise = 0;
        for (int i = 0; i < w.Length; i++)
        {
            signal += (double)w[i] * w[i];
            noise += ((double)w[i] - back[i]) * ((double)w[i] - back[i]);
        }
        double snr = 10 * Math.Log10(signal / noise);
        snr.ShouldBeGreaterThan(35);
        snr.ShouldBeLessThan(60);   // int8 cannot do much better; a larger value would mean nothing was quantized
    }

    [Fact]
    public void Values_round_half_to_even()
    {
        // scale = 127 / 127 = 1, so q = round(w) exactly.
        var (q, scales) = Quantize([127f, 0.5f, 1.5f, 2.5f, -0.5f, -2.5f, -127f, 3.49f], 1, 8);
        scales.ShouldBe([1f]);
        q.ShouldBe([(sbyte)127, (sbyte)0, (sbyte)2, (sbyte)2, (sbyte)0, (sbyte)-2, (sbyte)-127, (sbyte)3]);
    }

    [Fact]
    public void Zero_and_vanishing_rows_get_scale_one_and_zeros()
    {
        var (q, scales) = Quantize([0f, 0f, -0f, 1e-45f, 2f, -4f], 3, 2);
        scales.ShouldBe([1f, 1f, 4f / 127]);
        q.ShouldBe([(sbyte)0, (sbyte)0, (sbyte)0, (sbyte)0, (sbyte)64, (sbyte)-127]);
        var back = new float[6];
        WeightQuantizer.Dequantize(q, scales, 3, 2, back);
        back[..4].ShouldAllBe(x => x == 0);
    }

    [Fact]
    public void Bad_input_is_refused_with_the_reason()
    {
        Should.Throw<ArgumentException>(() => Quantize([1f, float.NaN], 2, 1)).Message.ShouldStartWith("Row 1 of the weight holds NaN; only finite weights can be quantized.");
        Should.Throw<ArgumentException>(() => Quantize([float.PositiveInfinity], 1, 1)).Message.ShouldStartWith("Row 0 of the weight holds Infinity; only finite weights can be quantized.");
        Should.Throw<ArgumentException>(() => WeightQuantizer.Quantize(new float[6], 2, 3, new sbyte[6], new float[3]))
            .Message.ShouldStartWith("A [2, 3] matrix needs 6 weights, 6 int8 values and 2 scales; got 6, 6 and 3.");
        Should.Throw<ArgumentException>(() => WeightQuantizer.Quantize([], 0, 3, [], [])).Message.ShouldStartWith("A matrix needs positive dimensions, got [0, 3].");
    }

    [Fact]
    public void Linear_weights_are_quantized_with_their_bias_kept()
    {
        float[] w = Gaussian(12, 5);
        var floats = new LinearWeights { OutFeatures = 3, InFeatures = 4, Weight = w, Bias = new float[] { 1, 2, 3 } };
        LinearWeights q = WeightQuantizer.Quantize(floats);
        q.IsQuantized.ShouldBeTrue();
        q.Weight.IsEmpty.ShouldBeTrue();
        q.Bias.ToArray().ShouldBe([1f, 2f, 3f]);
        q.QuantizedWeight.ToArray().ShouldBe(Quantize(w, 3, 4).Q);
        q.Validate();
        Should.Throw<ArgumentException>(() => WeightQuantizer.Quantize(q)).Message.ShouldStartWith("The weights are already int8.");
    }

    [Fact]
    public void Groups_select_the_reference_layers_by_key()
    {
        QuantizationGroups.Recommended.ShouldBe(QuantizationGroups.Attention | QuantizationGroups.Ffn);
        string[] selected =
        [
            "flow_lm.transformer.layers.0.self_attn.in_proj.weight", "flow_lm.transformer.layers.0.self_attn.out_proj.weight",
            "flow_lm.transformer.layers.23.linear1.weight", "flow_lm.transformer.layers.5.linear2.weight",
        ];
        selected.ShouldAllBe(k => QuantizationGroups.Recommended.Selects(k));
        string[] notSelected =
        [
            "flow_lm.transformer.layers.0.norm1.weight", "flow_lm.transformer.layers.x.linear1.weight", "flow_lm.transformer.layers..linear1.weight",
            "flow_lm.transformer.layers.0.linear1.weight_scale", "flow_lm.transformer.layers.0.linear1.bias", "flow_lm.input_linear.weight",
            "flow_lm.out_eos.weight", "flow_lm.flow_net.cond_embed.weight", "mimi.decoder_transformer.transformer.layers.0.linear1.weight",
            "mimi.encoder_transformer.transformer.layers.0.self_attn.in_proj.weight", "transformer.layers.0.linear1.weight",
        ];
        notSelected.ShouldAllBe(k => !QuantizationGroups.Recommended.Selects(k));
        QuantizationGroups.Attention.Selects("flow_lm.transformer.layers.0.linear1.weight").ShouldBeFalse();
        QuantizationGroups.Ffn.Selects("flow_lm.transformer.layers.0.self_attn.in_proj.weight").ShouldBeFalse();
        QuantizationGroups.FlowNet.Selects("flow_lm.flow_net.cond_embed.weight").ShouldBeTrue();
        QuantizationGroups.FlowNet.Selects("flow_lm.flow_net.cond_embed.bias").ShouldBeFalse();
        QuantizationGroups.None.Selects("flow_lm.transformer.layers.0.linear1.weight").ShouldBeFalse();
        (QuantizationGroups.Recommended | QuantizationGroups.FlowNet).Names().ShouldBe(["attention", "ffn", "flow_net"]);
    }

    [Fact]
    public void The_metadata_describes_the_scheme_and_groups()
    {
        WeightQuantizer.MetadataJson(QuantizationGroups.Recommended).ShouldBe(
            "{\"format\":\"int8\",\"symmetric\":true,\"granularity\":\"per_output_channel\",\"scale_suffix\":\"_scale\",\"groups\":[\"attention\",\"ffn\"]}");
    }

    [Fact]
    public void A_quantized_model_file_holds_int8_matrices_with_their_scales_and_everything_else_unchanged()
    {
        using var model = SafeTensorsFile.Open(RepoPaths.Fixture("tiny/model.safetensors"));
        byte[] bytes = WeightQuantizer.QuantizeModel(model, QuantizationGroups.Recommended, new Dictionary<string, string> { ["source"] = "tiny" }).ToBytes();
        using var quantized = SafeTensorsFile.FromBytes(bytes, "quantized");

        quantized.Metadata["source"].ShouldBe("tiny");
        quantized.Metadata[WeightQuantizer.MetadataKey].ShouldBe(WeightQuantizer.MetadataJson(QuantizationGroups.Recommended));
        string[] converted = [.. model.Names.Where(n => QuantizationGroups.Recommended.Selects(n))];
        converted.Length.ShouldBe(8);   // 2 layers × in_proj, out_proj, linear1, linear2
        quantized.Names.Count.ShouldBe(model.Names.Count + converted.Length);
        foreach (string name in model.Names)
        {
            if (!converted.Contains(name))
            {
                quantized[name].Data.ToArray().ShouldBe(model[name].Data.ToArray(), name);
                continue;
            }
            WeightTensor w = model[name], q = quantized[name], s = quantized[name + "_scale"];
            q.DType.ShouldBe(TensorDType.I8);
            q.Shape.ShouldBe(w.Shape);
            s.DType.ShouldBe(TensorDType.F32);
            s.Shape.ShouldBe([w.Shape[0]]);
            var (expectedQ, expectedScales) = Quantize(WeightConversion.ToFloat32(w), w.Shape[0], w.Shape[1]);
            WeightConversion.ToInt8(q).ShouldBe(expectedQ, name);
            WeightConversion.ToFloat32(s).ShouldBe(expectedScales, name);
        }
        quantized.Names.Count(n => n.EndsWith("_scale", StringComparison.Ordinal)).ShouldBe(8);

        Should.Throw<InvalidDataException>(() => WeightQuantizer.QuantizeModel(quantized, QuantizationGroups.Recommended)).Message
            .ShouldBe("Tensor 'flow_lm.transformer.layers.0.linear1.weight' is already quantized.");
    }

    [Fact]
    public void Quantizing_a_file_without_the_selected_layers_is_refused()
    {
        var weights = new InMemoryWeights().Add("mimi.quantizer.output_proj.weight", new float[4], 2, 2, 1);
        Should.Throw<InvalidDataException>(() => WeightQuantizer.QuantizeModel(weights, QuantizationGroups.Recommended)).Message
            .ShouldBe("No tensor of the groups attention, ffn was found; is this a Pocket TTS model file?");
        var bad = new InMemoryWeights().Add("flow_lm.transformer.layers.0.linear1.weight", [1f, float.NaN], 1, 2);
        Should.Throw<InvalidDataException>(() => WeightQuantizer.QuantizeModel(bad, QuantizationGroups.Recommended)).Message
            .ShouldStartWith("Tensor 'flow_lm.transformer.layers.0.linear1.weight': Row 0 of the weight holds NaN");
    }
}
