using PocketTts.Weights;

namespace PocketTts.Tests.Unit.Weights;

public class InMemoryWeightsTests
{
    [Fact]
    public void Tensors_of_every_type_are_found_by_name_in_insertion_order()
    {
        var weights = new InMemoryWeights()
            .Add("z.weight", [1f, 2f, 3f, 4f], 2, 2)
            .Add("a.ids", [5L, -6L], 2)
            .Add("m.q", [(sbyte)-1, (sbyte)1], 1, 2)
            .Add("flags", TensorDType.Bool, new byte[] { 1, 0 }, 2);

        weights.Count.ShouldBe(4);
        weights.Names.ShouldBe(["z.weight", "a.ids", "m.q", "flags"]);
        weights.TryGet("z.weight", out var w).ShouldBeTrue();
        w.Name.ShouldBe("z.weight");
        w.Shape.ShouldBe([2, 2]);
        WeightConversion.ToFloat32(w).ShouldBe([1f, 2f, 3f, 4f]);
        weights.TryGet("a.ids", out var ids).ShouldBeTrue();
        ids.DType.ShouldBe(TensorDType.I64);
        BitConverter.ToInt64(ids.Data.Span[8..]).ShouldBe(-6L);
        weights.TryGet("m.q", out var q).ShouldBeTrue();
        WeightConversion.ToInt8(q).ShouldBe([(sbyte)-1, (sbyte)1]);
        weights.TryGet("absent", out _).ShouldBeFalse();
    }

    [Fact]
    public void Adding_under_a_new_name_renames_the_tensor_and_replacing_keeps_the_position()
    {
        var source = new WeightTensor("raw.name", TensorDType.F32, [1], BitConverter.GetBytes(2f));
        var weights = new InMemoryWeights().Add("first", [0f], 1).Add("mapped.name", source).Add("last", [0f], 1);
        weights.TryGet("mapped.name", out var t).ShouldBeTrue();
        t.Name.ShouldBe("mapped.name");
        t.Data.ShouldBe(source.Data);

        weights.Add("first", [9f], 1);
        weights.Names.ShouldBe(["first", "mapped.name", "last"]);
        weights.TryGet("first", out var replaced).ShouldBeTrue();
        WeightConversion.ToFloat32(replaced).ShouldBe([9f]);
    }

    [Fact]
    public void Inconsistent_tensors_are_refused()
    {
        var weights = new InMemoryWeights();
        Should.Throw<ArgumentException>(() => weights.Add("a", [1f, 2f], 3)).Message.ShouldStartWith("Tensor 'a': 8 bytes for F32 [3], expected 12.");
        Should.Throw<ArgumentException>(() => weights.Add("b", new WeightTensor("b", TensorDType.I64, [1], new byte[4]))).Message.ShouldStartWith("Tensor 'b': 4 bytes for I64 [1], expected 8.");
        Should.Throw<ArgumentException>(() => weights.Add("", [1f], 1));
        weights.Count.ShouldBe(0);
    }
}
