using System.Text;
using PocketTts.Tests.Unit.Infrastructure;
using PocketTts.Weights;

namespace PocketTts.Tests.Unit.Weights;

public class SafeTensorsTests
{
    [Fact]
    public void Fixture_tensors_have_the_documented_types_and_shapes()
    {
        using var file = SafeTensorsFile.Open(RepoPaths.Fixture("text_conditioner.safetensors"));
        file["case0/embeddings"].DType.ShouldBe(TensorDType.F32);
        file["case0/embeddings"].Shape.ShouldBe([1, 5, 128]);
        file["case0/tokens"].DType.ShouldBe(TensorDType.I64);
        file.Metadata["case0/text"].ShouldBe("Hello world!");
        using var flow = SafeTensorsFile.Open(RepoPaths.Fixture("flow_lm.safetensors"));
        flow["lsd1/is_eos"].DType.ShouldBe(TensorDType.Bool);
    }

    [Fact]
    public void Written_files_read_back_with_padding_to_eight_bytes()
    {
        byte[] bytes = new SafeTensorsWriter().Add("a", [1f, 2f, 3f], 3).Add("b", [7L], 1).Add("c", [(sbyte)-3], 1).Metadata("k", "v").ToBytes();
        (BitConverter.ToUInt64(bytes, 0) % 8).ShouldBe(0UL);
        using var file = SafeTensorsFile.FromBytes(bytes);
        WeightConversion.ToFloat32(file["a"]).ShouldBe([1f, 2f, 3f]);
        WeightConversion.ToInt8(file["c"]).ShouldBe([(sbyte)-3]);
        file.Metadata["k"].ShouldBe("v");
    }

    [Fact]
    public void Half_precision_tensors_convert_to_float32()
    {
        byte[] f16 = [.. BitConverter.GetBytes((Half)1.5f), .. BitConverter.GetBytes((Half)(-2f))];
        byte[] bf16 = [0x80, 0x3F, 0x00, 0xC0]; // 1.0, -2.0
        using var file = SafeTensorsFile.FromBytes(new SafeTensorsWriter().Add("h", TensorDType.F16, f16, 2).Add("b", TensorDType.BF16, bf16, 2).ToBytes());
        WeightConversion.ToFloat32(file["h"]).ShouldBe([1.5f, -2f]);
        WeightConversion.ToFloat32(file["b"]).ShouldBe([1f, -2f]);
        Should.Throw<InvalidDataException>(() => WeightConversion.ToInt8(file["h"])).Message.ShouldContain("I8 is required");
    }

    [Fact]
    public void A_symlink_as_the_Hugging_Face_cache_makes_it_opens_the_file_it_points_at()
    {
        string dir = Directory.CreateTempSubdirectory("st-link-").FullName;
        try
        {
            string blob = Path.Combine(dir, "blob");
            File.WriteAllBytes(blob, new SafeTensorsWriter().Add("a", [1f, 2f], 2).ToBytes());
            string link = Path.Combine(dir, "model.safetensors");
            File.CreateSymbolicLink(link, "blob");
            using var file = SafeTensorsFile.Open(link);
            WeightConversion.ToFloat32(file["a"]).ShouldBe([1f, 2f]);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    private static byte[] Raw(string header, int dataBytes)
    {
        byte[] h = Encoding.UTF8.GetBytes(header);
        return [.. BitConverter.GetBytes((ulong)h.Length), .. h, .. new byte[dataBytes]];
    }

    [Theory]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,4]}}", 8, "needs 8 bytes but its offsets span 4")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", 4, "truncated")]
    [InlineData("{\"a\":{\"dtype\":\"Q4\",\"shape\":[2],\"data_offsets\":[0,8]}}", 8, "unsupported dtype 'Q4'")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}", 8, "invalid dimension")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[2,6]}}", 8, "overlap")]
    [InlineData("{\"a\":{\"dtype\":\"F32\"}}", 8, "needs \"dtype\", \"shape\" and two \"data_offsets\"")]
    [InlineData("{\"a\":", 8, "not valid JSON")]
    [InlineData("[1]", 8, "must be a JSON object")]
    [InlineData("{\"__metadata__\":{\"k\":1}}", 0, "must be a string")]
    public void Hostile_headers_are_rejected_with_the_reason(string header, int dataBytes, string expected)
    {
        Should.Throw<InvalidDataException>(() => SafeTensorsFile.FromBytes(Raw(header, dataBytes), "bad.safetensors"))
            .Message.ShouldContain(expected);
    }

    [Fact]
    public void Truncated_and_oversized_headers_are_rejected()
    {
        Should.Throw<InvalidDataException>(() => SafeTensorsFile.FromBytes(new byte[5])).Message.ShouldContain("shorter than the 8-byte header length");
        Should.Throw<InvalidDataException>(() => SafeTensorsFile.FromBytes(BitConverter.GetBytes(100UL))).Message.ShouldContain("truncated");
        Should.Throw<InvalidDataException>(() => SafeTensorsFile.FromBytes(BitConverter.GetBytes(ulong.MaxValue))).Message.ShouldContain("outside 1..");
        string path = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(path, new byte[3]);
            Should.Throw<InvalidDataException>(() => SafeTensorsFile.Open(path)).Message.ShouldContain("not a safetensors file");
        }
        finally
        {
            File.Delete(path);
        }
        Should.Throw<FileNotFoundException>(() => SafeTensorsFile.Open("/nonexistent.safetensors"));
    }
}
