using PocketTts.Weights;

namespace PocketTts.Tests.Unit.Weights;

public class WeightConversionTests
{
    [Fact]
    public void Half_precision_tensors_convert_to_float32()
    {
        byte[] f16 = [.. BitConverter.GetBytes((Half)1.5f), .. BitConverter.GetBytes((Half)(-2f)), .. BitConverter.GetBytes(Half.PositiveInfinity)];
        byte[] bf16 = [0x80, 0x3F, 0x00, 0xC0, 0x49, 0x40]; // 1.0, -2.0, 3.140625 (the upper halves of float32)
        var weights = new InMemoryWeights().Add("h", TensorDType.F16, f16, 3).Add("b", TensorDType.BF16, bf16, 3);
        weights.TryGet("h", out var h);
        weights.TryGet("b", out var b);
        WeightConversion.ToFloat32(h).ShouldBe([1.5f, -2f, float.PositiveInfinity]);
        WeightConversion.ToFloat32(b).ShouldBe([1f, -2f, 3.140625f]);
    }

    [Fact]
    public void Tensors_of_another_type_are_refused_by_name()
    {
        var weights = new InMemoryWeights().Add("x.h", TensorDType.F16, new byte[2], 1).Add("x.ids", [1L], 1);
        weights.TryGet("x.h", out var h);
        weights.TryGet("x.ids", out var ids);
        Should.Throw<InvalidDataException>(() => WeightConversion.ToInt8(h)).Message.ShouldBe("Tensor 'x.h' has element type F16; I8 is required here.");
        Should.Throw<InvalidDataException>(() => WeightConversion.ToFloat32(ids)).Message.ShouldBe("Tensor 'x.ids' has element type I64; a float type (F32, F16, BF16) is required here.");
    }
}
