using PocketTts.Weights;

namespace PocketTts.Tests.Unit.Weights;

public class WeightScopeTests
{
    private static InMemoryWeights Source()
    {
        var w = new InMemoryWeights();
        w.Add("decoder.layers.0.weight", new float[6], 2, 3);
        w.Add("decoder.layers.0.bias", new float[2], 2);
        w.Add("extra.tensor", new float[1], 1);
        return w;
    }

    [Fact]
    public void Scopes_read_by_full_key_and_check_shapes()
    {
        var root = new WeightScope(Source());
        var layer = root.Scope("decoder").Scope("layers", 0);
        layer.Prefix.ShouldBe("decoder.layers.0.");
        layer.GetFloats("weight", 2, 3).Length.ShouldBe(6);
        layer.Contains("bias").ShouldBeTrue();
        layer.Contains("gamma").ShouldBeFalse();
    }

    [Fact]
    public void Missing_and_misshaped_tensors_name_the_full_key_and_both_shapes()
    {
        var layer = new WeightScope(Source()).Scope("decoder").Scope("layers", 0);
        Should.Throw<InvalidDataException>(() => layer.Get("gamma", 4)).Message.ShouldBe("Missing tensor 'decoder.layers.0.gamma' (expected shape [4]).");
        Should.Throw<InvalidDataException>(() => layer.Get("weight", 3, 2)).Message.ShouldBe("Tensor 'decoder.layers.0.weight' has shape [2, 3], expected [3, 2].");
    }

    [Fact]
    public void Unconsumed_tensors_are_listed()
    {
        var root = new WeightScope(Source());
        root.Get("decoder.layers.0.weight", 2, 3);
        root.Get("decoder.layers.0.bias", 2);
        Should.Throw<InvalidDataException>(root.EnsureAllConsumed).Message.ShouldBe("Unexpected tensor(s) in the weights: extra.tensor.");
        root.Get("extra.tensor", 1);
        root.EnsureAllConsumed();
    }
}
