using PocketTts.Weights;

namespace PocketTts.Tests.Unit.Weights;

public class WeightScopeTests
{
    private static InMemoryWeights Source() => new InMemoryWeights()
        .Add("decoder.layers.0.weight", new float[6], 2, 3)
        .Add("decoder.layers.0.bias", new float[2], 2)
        .Add("decoder.layers.0.ids", [1L, 2L], 2)
        .Add("extra.tensor", new float[1], 1);

    [Fact]
    public void Scopes_read_by_full_key_and_check_shapes()
    {
        var root = new WeightScope(Source());
        root.Prefix.ShouldBe("");
        var layer = root.Scope("decoder").Scope("layers", 0);
        layer.Prefix.ShouldBe("decoder.layers.0.");
        layer.GetFloats("weight", 2, 3).Length.ShouldBe(6);
        layer.Get("bias", 2).Name.ShouldBe("decoder.layers.0.bias");
        layer.Contains("bias").ShouldBeTrue();
        layer.Contains("gamma").ShouldBeFalse();
    }

    [Fact]
    public void A_missing_tensor_names_the_full_key_and_the_expected_shape()
    {
        var layer = new WeightScope(Source()).Scope("decoder").Scope("layers", 0);
        Should.Throw<InvalidDataException>(() => layer.Get("gamma", 4)).Message.ShouldBe("Missing tensor 'decoder.layers.0.gamma' (expected shape [4]).");
        Should.Throw<InvalidDataException>(() => layer.Scope("attn").GetFloats("weight", 4, 4)).Message.ShouldBe("Missing tensor 'decoder.layers.0.attn.weight' (expected shape [4, 4]).");
    }

    [Fact]
    public void A_misshaped_tensor_names_the_full_key_and_both_shapes()
    {
        var layer = new WeightScope(Source()).Scope("decoder").Scope("layers", 0);
        Should.Throw<InvalidDataException>(() => layer.Get("weight", 3, 2)).Message.ShouldBe("Tensor 'decoder.layers.0.weight' has shape [2, 3], expected [3, 2].");
        Should.Throw<InvalidDataException>(() => layer.Get("bias", 2, 1)).Message.ShouldBe("Tensor 'decoder.layers.0.bias' has shape [2], expected [2, 1].");
    }

    [Fact]
    public void A_tensor_of_the_wrong_type_names_the_full_key()
    {
        var layer = new WeightScope(Source()).Scope("decoder").Scope("layers", 0);
        Should.Throw<InvalidDataException>(() => layer.GetFloats("ids", 2)).Message.ShouldBe("Tensor 'decoder.layers.0.ids' has element type I64; a float type (F32, F16, BF16) is required here.");
    }

    [Fact]
    public void Unexpected_tensors_are_listed_by_full_key()
    {
        var root = new WeightScope(Source());
        var layer = root.Scope("decoder").Scope("layers", 0);
        layer.Get("weight", 2, 3);
        layer.Get("bias", 2);
        layer.Get("ids", 2);
        Should.Throw<InvalidDataException>(root.EnsureAllConsumed).Message.ShouldBe("Unexpected tensor(s) in the weights: extra.tensor.");
        root.Scope("extra").Get("tensor", 1);
        root.EnsureAllConsumed();
    }

    [Fact]
    public void A_mis_shaped_read_does_not_count_as_consumed()
    {
        var root = new WeightScope(new InMemoryWeights().Add("w", new float[2], 2));
        Should.Throw<InvalidDataException>(() => root.Get("w", 3));
        Should.Throw<InvalidDataException>(root.EnsureAllConsumed).Message.ShouldBe("Unexpected tensor(s) in the weights: w.");
    }

    [Fact]
    public void Long_lists_of_unexpected_tensors_are_cut_after_ten()
    {
        var weights = new InMemoryWeights();
        for (int i = 0; i < 12; i++)
            weights.Add($"t{i:D2}", new float[1], 1);
        Should.Throw<InvalidDataException>(new WeightScope(weights).EnsureAllConsumed).Message
            .ShouldBe("Unexpected tensor(s) in the weights: t00, t01, t02, t03, t04, t05, t06, t07, t08, t09, … (12 in all).");
    }
}
