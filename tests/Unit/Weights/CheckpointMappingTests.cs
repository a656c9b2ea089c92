using PocketTts.Tests.Unit.Infrastructure;
using PocketTts.Weights;

namespace PocketTts.Tests.Unit.Weights;

public class CheckpointMappingTests
{
    private const float WeightNormTolerance = 1.2e-7f;   // fixture README: the reference's folding is within 1.2e-7 of the tiny weights

    private static SafeTensorsFile Fixture(string name) => SafeTensorsFile.Open(RepoPaths.Fixture("tiny/" + name));

    private static float MaxAbsDifference(WeightTensor a, WeightTensor b)
    {
        float[] x = WeightConversion.ToFloat32(a), y = WeightConversion.ToFloat32(b);
        x.Length.ShouldBe(y.Length);
        float max = 0;
        for (int i = 0; i < x.Length; i++)
            max = MathF.Max(max, MathF.Abs(x[i] - y[i]));
        return max;
    }

    [Fact]
    public void Layouts_are_detected_from_the_key_names()
    {
        using var model = Fixture("model.safetensors");
        using var flow = Fixture("raw_flow_lm.safetensors");
        using var mimi = Fixture("raw_mimi_weightnorm.safetensors");
        using var mapped = Fixture("raw_mimi_weightnorm_expected.safetensors");
        CheckpointMapping.Detect(model).ShouldBe(CheckpointLayout.Model);
        CheckpointMapping.Detect(flow).ShouldBe(CheckpointLayout.RawFlowLm);
        CheckpointMapping.Detect(mimi).ShouldBe(CheckpointLayout.RawMimi);
        CheckpointMapping.Detect(mapped).ShouldBe(CheckpointLayout.RawMimi);   // already renamed: mapping it again changes nothing
    }

    [Fact]
    public void Files_that_fit_no_layout_or_mix_layouts_are_explained()
    {
        Should.Throw<InvalidDataException>(() => CheckpointMapping.Detect(new InMemoryWeights())).Message.ShouldBe("The weights hold no tensors.");
        Should.Throw<InvalidDataException>(() => CheckpointMapping.Detect(new InMemoryWeights().Add("lm_head.weight", [0f], 1))).Message
            .ShouldBe("The weights are not a Pocket TTS checkpoint (no flow_lm.* or mimi.* tensors, nor those of a raw training checkpoint; first key 'lm_head.weight').");
        Should.Throw<InvalidDataException>(() => CheckpointMapping.Detect(new InMemoryWeights().Add("flow_lm.bos_emb", [0f], 1).Add("bos_emb", [0f], 1))).Message
            .ShouldBe("The weights mix the model layout ('flow_lm.bos_emb') with other keys ('bos_emb'); a model file has only flow_lm.* and mimi.* tensors.");
        Should.Throw<InvalidDataException>(() => CheckpointMapping.Detect(new InMemoryWeights().Add("flow_net.input_proj.weight", [0f], 1).Add("model.decoder.model.0.conv.conv.bias", [0f], 1))).Message
            .ShouldBe("The weights mix a raw FlowLM checkpoint ('flow_net.input_proj.weight') and a raw Mimi checkpoint ('model.decoder.model.0.conv.conv.bias'); give them as two files.");
    }

    [Fact]
    public void A_model_file_is_used_as_it_is()
    {
        using var model = Fixture("model.safetensors");
        CheckpointMapping.ToModelLayout(model).ShouldBeSameAs(model);
    }

    [Fact]
    public void The_raw_flow_lm_maps_exactly_onto_the_flow_lm_tensors_of_the_model()
    {
        using var raw = Fixture("raw_flow_lm.safetensors");
        using var model = Fixture("model.safetensors");
        IWeightSource mapped = CheckpointMapping.ToModelLayout(raw);
        string[] expected = [.. model.Names.Where(n => n.StartsWith("flow_lm.", StringComparison.Ordinal)).Order(StringComparer.Ordinal)];
        mapped.Names.Order(StringComparer.Ordinal).ShouldBe(expected);
        foreach (string name in expected)
        {
            mapped.TryGet(name, out WeightTensor t).ShouldBeTrue(name);
            t.Name.ShouldBe(name);
            t.DType.ShouldBe(model[name].DType, name);
            t.Shape.ShouldBe(model[name].Shape, name);
            t.Data.ToArray().ShouldBe(model[name].Data.ToArray(), name);
        }
    }

    [Fact]
    public void The_raw_mimi_maps_onto_what_the_reference_loader_makes_of_it()
    {
        using var raw = Fixture("raw_mimi_weightnorm.safetensors");
        using var expected = Fixture("raw_mimi_weightnorm_expected.safetensors");
        var mapped = CheckpointMapping.MapMimi(raw).ToDictionary(p => p.Name, p => p.Tensor);
        var folded = raw.Names.Where(n => n.EndsWith(".weight_g", StringComparison.Ordinal))
            .Select(n => n[..^2].Replace(".conv.conv.", ".conv.", StringComparison.Ordinal).Replace(".convtr.convtr.", ".convtr.", StringComparison.Ordinal)).ToHashSet();
        folded.Count.ShouldBe(22);

        mapped.Keys.Order(StringComparer.Ordinal).ShouldBe(expected.Names.Order(StringComparer.Ordinal));
        foreach (string name in expected.Names)
        {
            mapped[name].DType.ShouldBe(TensorDType.F32, name);
            mapped[name].Shape.ShouldBe(expected[name].Shape, name);
            float difference = MaxAbsDifference(mapped[name], expected[name]);
            difference.ShouldBeLessThanOrEqualTo(WeightNormTolerance, name);
            if (!folded.Contains(name))
                difference.ShouldBe(0, name);   // only weight-normed convolutions are computed; the rest is copied
        }
    }

    [Fact]
    public void The_raw_mimi_maps_onto_the_mimi_tensors_of_the_model_with_their_full_names()
    {
        using var raw = Fixture("raw_mimi_weightnorm.safetensors");
        using var model = Fixture("model.safetensors");
        using var expected = Fixture("raw_mimi_weightnorm_expected.safetensors");
        IWeightSource mapped = CheckpointMapping.ToModelLayout(raw);
        string[] mimiNames = [.. model.Names.Where(n => n.StartsWith("mimi.", StringComparison.Ordinal)).Order(StringComparer.Ordinal)];
        // The expected file holds the same names without the "mimi." prefix (the reference loads it into the submodule).
        expected.Names.Select(n => "mimi." + n).Order(StringComparer.Ordinal).ShouldBe(mimiNames);
        mapped.Names.Order(StringComparer.Ordinal).ShouldBe(mimiNames);
        foreach (string name in mimiNames)
        {
            mapped.TryGet(name, out WeightTensor t).ShouldBeTrue(name);
            t.Shape.ShouldBe(model[name].Shape, name);
            MaxAbsDifference(t, model[name]).ShouldBeLessThanOrEqualTo(WeightNormTolerance, name);
        }
    }

    [Fact]
    public void Both_raw_checkpoints_together_give_the_whole_model_layout()
    {
        using var flow = Fixture("raw_flow_lm.safetensors");
        using var mimi = Fixture("raw_mimi_weightnorm.safetensors");
        using var model = Fixture("model.safetensors");
        InMemoryWeights mapped = CheckpointMapping.FromRawCheckpoints(flow, mimi);
        mapped.Names.Order(StringComparer.Ordinal).ShouldBe(model.Names.Order(StringComparer.Ordinal));
        CheckpointMapping.Detect(mapped).ShouldBe(CheckpointLayout.Model);
        foreach (string name in model.Names)
        {
            mapped.TryGet(name, out WeightTensor t).ShouldBeTrue(name);
            MaxAbsDifference(t, model[name]).ShouldBeLessThanOrEqualTo(name.StartsWith("flow_lm.", StringComparison.Ordinal) ? 0 : WeightNormTolerance, name);
        }

        Should.Throw<InvalidDataException>(() => CheckpointMapping.FromRawCheckpoints(mimi, flow)).Message
            .ShouldBe("Expected a raw FlowLM and a raw Mimi checkpoint (flow_lm.weights_path, mimi.weights_path) but got a raw Mimi checkpoint and a raw FlowLM checkpoint.");
        Should.Throw<InvalidDataException>(() => CheckpointMapping.FromRawCheckpoints(model, mimi)).Message.ShouldContain("but got a whole-model file and a raw Mimi checkpoint");
    }

    [Fact]
    public void The_raw_mimi_fixture_exercises_every_rule_the_readme_lists()
    {
        using var raw = Fixture("raw_mimi_weightnorm.safetensors");
        raw.Names.Count(n => n.EndsWith(".weight_g", StringComparison.Ordinal)).ShouldBe(22);
        raw.Names.Count(n => n.EndsWith(".weight_v", StringComparison.Ordinal)).ShouldBe(22);
        string[] dropped =
        [
            "encoder_codebook_stats", "model.quantizer.logvar_proj.weight", "model.quantizer.vq.layers.0._codebook.cluster_usage",
            "model.quantizer.vq.layers.0._codebook.embedding_sum", "quantizer.logvar_param", "quantizer.logvar_proj.weight",
            "wavlm_emb_downsample.conv.conv.bias", "wavlm_emb_downsample.conv.conv.weight", "wavlm_input_resample.kernel", "wavlm_proj.weight",
        ];
        dropped.ShouldAllBe(d => raw.Names.Contains(d));
        (raw.Names.Count - 44 - dropped.Length).ShouldBe(65);   // plain tensors
        var mapped = CheckpointMapping.MapMimi(raw).Select(p => p.Name).ToHashSet();
        mapped.Count.ShouldBe(22 + 65);
        mapped.ShouldContain("downsample.conv.conv.weight");
        mapped.ShouldContain("upsample.convtr.convtr.weight");
        mapped.ShouldContain("decoder_transformer.transformer.layers.0.self_attn.in_proj.weight");
        mapped.ShouldContain("quantizer.output_proj.weight");
        mapped.ShouldContain("decoder.model.2.convtr.weight");
        mapped.ShouldNotContain(n => n.Contains("wavlm", StringComparison.Ordinal) || n.Contains("logvar", StringComparison.Ordinal) || n.Contains("codebook", StringComparison.Ordinal));
    }

    [Fact]
    public void Weight_norm_folds_along_dimension_zero_for_convolutions_and_transposed_convolutions()
    {
        // [out 2, in 1, k 2] conv: rows (3, 4) and (0, 5) both have norm 5. A transposed conv [in 2, out 1, k 2] folds the same way.
        float[] v = [3, 4, 0, 5];
        var raw = new InMemoryWeights()
            .Add("encoder.model.0.conv.conv.weight_g", [10f, 1f], 2, 1, 1)
            .Add("encoder.model.0.conv.conv.weight_v", v, 2, 1, 2)
            .Add("decoder.model.2.convtr.convtr.weight_g", [-1f, 2f], 2, 1, 1)
            .Add("decoder.model.2.convtr.convtr.weight_v", v, 2, 1, 2)
            .Add("model.decoder.model.5.conv.conv.weight_g", [5f, 5f], 2, 1, 1)
            .Add("model.decoder.model.5.conv.conv.weight_v", v, 2, 1, 2);
        var mapped = CheckpointMapping.MapMimi(raw).ToDictionary(p => p.Name, p => p.Tensor);

        mapped.Keys.Order(StringComparer.Ordinal).ShouldBe(["decoder.model.2.convtr.weight", "encoder.model.0.conv.weight", "model.decoder.model.5.conv.weight"]);
        WeightConversion.ToFloat32(mapped["encoder.model.0.conv.weight"]).ShouldBe([6f, 8f, 0f, 1f]);
        WeightConversion.ToFloat32(mapped["decoder.model.2.convtr.weight"]).ShouldBe([-0.6f, -0.8f, 0f, 2f], 1e-7f);
        mapped["encoder.model.0.conv.weight"].Shape.ShouldBe([2, 1, 2]);
        // The reference strips "model." only from plain keys, never on the weight-norm path.
        WeightConversion.ToFloat32(mapped["model.decoder.model.5.conv.weight"]).ShouldBe(v);
    }

    [Fact]
    public void Plain_mimi_keys_lose_the_model_prefix_one_level_of_nesting_and_in_proj_weight()
    {
        var raw = new InMemoryWeights()
            .Add("model.quantizer.output_proj.weight", [1f], 1, 1, 1)
            .Add("encoder.model.0.conv.conv.bias", [2f], 1)
            .Add("downsample.conv.conv.conv.weight", [3f], 1, 1, 1)
            .Add("upsample.convtr.convtr.convtr.weight", [4f], 1, 1, 1)
            .Add("model.decoder_transformer.transformer.layers.0.self_attn.in_proj_weight", [5f], 1, 1)
            .Add("model.quantizer.vq.layers.0.anything", [0f], 1)
            .Add("some._codebook.x", [0f], 1)
            .Add("wavlm_emb_downsample.other", [0f], 1);
        CheckpointMapping.MapMimi(raw).ToDictionary(p => p.Name, p => WeightConversion.ToFloat32(p.Tensor)[0]).ShouldBe(new Dictionary<string, float>
        {
            ["quantizer.output_proj.weight"] = 1,
            ["encoder.model.0.conv.bias"] = 2,
            ["downsample.conv.conv.weight"] = 3,
            ["upsample.convtr.convtr.weight"] = 4,
            ["decoder_transformer.transformer.layers.0.self_attn.in_proj.weight"] = 5,
        }, ignoreOrder: true);
    }

    [Fact]
    public void Flow_lm_keys_are_renamed_and_training_tensors_dropped()
    {
        var raw = new InMemoryWeights()
            .Add("condition_provider.conditioners.transcript_in_segment.embed.weight", [1f], 1, 1)
            .Add("condition_provider.conditioners.speaker_wavs.output_proj.weight", [2f], 1, 1)
            .Add("fuser.padding_value", [3f], 1, 1, 1)
            .Add("transformer.layers.3.self_attn.in_proj_weight", [4f], 1, 1)
            .Add("out_eos.bias", [5f], 1)
            .Add("flow.w_s_t.weight", [0f], 1)
            .Add("condition_provider.conditioners.transcript_in_segment.learnt_padding", [0f], 1)
            .Add("condition_provider.conditioners.speaker_wavs.learnt_padding", [0f], 1)
            .Add("num_ema_updates", [0f], 1);
        CheckpointMapping.MapFlowLm(raw).ToDictionary(p => p.Name, p => WeightConversion.ToFloat32(p.Tensor)[0]).ShouldBe(new Dictionary<string, float>
        {
            ["conditioner.embed.weight"] = 1,
            ["speaker_proj_weight"] = 2,
            ["bos_before_voice"] = 3,
            ["transformer.layers.3.self_attn.in_proj.weight"] = 4,
            ["out_eos.bias"] = 5,
        }, ignoreOrder: true);
    }

    [Fact]
    public void Inconsistent_raw_checkpoints_are_reported()
    {
        var gOnly = new InMemoryWeights().Add("decoder.model.0.conv.conv.weight_g", new float[2], 2, 1, 1);
        Should.Throw<InvalidDataException>(() => CheckpointMapping.MapMimi(gOnly).ToList()).Message
            .ShouldBe("Weight-normed tensor 'decoder.model.0.conv.conv.weight_g' has no 'decoder.model.0.conv.conv.weight_v'.");

        var vOnly = new InMemoryWeights().Add("decoder.model.0.conv.conv.weight_v", new float[2], 2, 1, 1);
        Should.Throw<InvalidDataException>(() => CheckpointMapping.MapMimi(vOnly).ToList()).Message
            .ShouldBe("Weight-normed tensor 'decoder.model.0.conv.conv.weight_v' has no 'decoder.model.0.conv.conv.weight_g'.");

        var mismatched = new InMemoryWeights()
            .Add("decoder.model.0.conv.conv.weight_g", new float[3], 3, 1, 1)
            .Add("decoder.model.0.conv.conv.weight_v", new float[4], 2, 1, 2);
        Should.Throw<InvalidDataException>(() => CheckpointMapping.MapMimi(mismatched).ToList()).Message
            .ShouldBe("Weight norm of 'decoder.model.0.conv.weight': weight_g [3, 1, 1] does not give one gain per slice of weight_v [2, 1, 2] along dimension 0.");

        var twice = new InMemoryWeights().Add("model.quantizer.output_proj.weight", [1f], 1).Add("quantizer.output_proj.weight", [1f], 1);
        Should.Throw<InvalidDataException>(() => CheckpointMapping.MapMimi(twice).ToList()).Message
            .ShouldBe("Raw checkpoint keys 'model.quantizer.output_proj.weight' and 'quantizer.output_proj.weight' both map to 'quantizer.output_proj.weight'.");

        var renamedTwice = new InMemoryWeights().Add("bos_before_voice", [1f], 1).Add("fuser.padding_value", [1f], 1);
        Should.Throw<InvalidDataException>(() => CheckpointMapping.MapFlowLm(renamedTwice).ToList()).Message
            .ShouldBe("Raw checkpoint keys 'bos_before_voice' and 'fuser.padding_value' both map to 'bos_before_voice'.");
    }
}
