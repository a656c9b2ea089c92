using System.Text;
using PocketTts.Tests.Unit.Infrastructure;
using PocketTts.Weights;

namespace PocketTts.Tests.Unit.Weights;

public class SafeTensorsWriterTests
{
    private static SafeTensorsWriter Sample() => new SafeTensorsWriter()
        .Add("f32", [1f, -2f, 3.5f, float.NaN, float.NegativeInfinity, 0f], 2, 3)
        .Add("i8", [(sbyte)-128, (sbyte)0, (sbyte)127], 3)
        .Add("i64", [long.MinValue, 22L], 2, 1)
        .Add("bool", [true, false, true], 3)
        .Add("f16", TensorDType.F16, [.. BitConverter.GetBytes((Half)1.5f)], 1)
        .Metadata("text", "Hello world! \"quoted\" é ✓ +<>&")
        .Metadata("empty", "");

    [Fact]
    public void Written_tensors_and_metadata_read_back_unchanged()
    {
        using var file = SafeTensorsFile.FromBytes(Sample().ToBytes(), "sample");
        file.Names.ShouldBe(["f32", "i8", "i64", "bool", "f16"], ignoreOrder: true);
        file["f32"].Shape.ShouldBe([2, 3]);
        WeightConversion.ToFloat32(file["f32"]).ShouldBe([1f, -2f, 3.5f, float.NaN, float.NegativeInfinity, 0f]);
        file["i8"].DType.ShouldBe(TensorDType.I8);
        WeightConversion.ToInt8(file["i8"]).ShouldBe([(sbyte)-128, (sbyte)0, (sbyte)127]);
        file["i64"].Shape.ShouldBe([2, 1]);
        BitConverter.ToInt64(file["i64"].Data.Span).ShouldBe(long.MinValue);
        BitConverter.ToInt64(file["i64"].Data.Span[8..]).ShouldBe(22L);
        file["bool"].DType.ShouldBe(TensorDType.Bool);
        file["bool"].Data.ToArray().ShouldBe(new byte[] { 1, 0, 1 });
        WeightConversion.ToFloat32(file["f16"]).ShouldBe([1.5f]);
        file.Metadata["text"].ShouldBe("Hello world! \"quoted\" é ✓ +<>&");
        file.Metadata["empty"].ShouldBe("");
    }

    [Fact]
    public void The_layout_is_the_reference_one_compact_json_padded_with_spaces_and_tensors_without_gaps()
    {
        byte[] bytes = new SafeTensorsWriter().Add("a", [1f], 1).Add("b", [7L], 1).Metadata("k", "é").ToBytes();
        ulong headerLength = BitConverter.ToUInt64(bytes, 0);
        (headerLength % 8).ShouldBe(0UL);
        string header = Encoding.UTF8.GetString(bytes, 8, (int)headerLength);
        header.TrimEnd(' ').ShouldBe(
            "{\"__metadata__\":{\"k\":\"é\"},\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},\"b\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[4,12]}}");
        (header.Length - header.TrimEnd(' ').Length).ShouldBeLessThan(8);
        bytes.Length.ShouldBe(8 + (int)headerLength + 12);
        BitConverter.ToSingle(bytes, 8 + (int)headerLength).ShouldBe(1f);
        BitConverter.ToInt64(bytes, 12 + (int)headerLength).ShouldBe(7L);
    }

    [Fact]
    public void Rewriting_a_reference_file_reproduces_it_byte_for_byte()
    {
        byte[] original = File.ReadAllBytes(RepoPaths.Fixture("text_conditioner.safetensors"));
        using var file = SafeTensorsFile.FromBytes(original);
        var writer = new SafeTensorsWriter();
        foreach (var (key, value) in file.Metadata)
            writer.Metadata(key, value);
        foreach (string name in new[] { "case0/tokens", "case1/tokens", "edge/tokens", "case0/embeddings", "case1/embeddings", "edge/embeddings" })
            writer.Add(file[name]);
        writer.ToBytes().ShouldBe(original);
    }

    [Fact]
    public void Saving_writes_the_whole_file_under_its_name_and_nothing_else()
    {
        using var folder = new TempFolder();
        string path = folder.File("weights.safetensors");
        File.WriteAllText(path, "old content");
        Sample().Save(path);
        Directory.GetFiles(folder.Path).ShouldBe([path]);
        File.ReadAllBytes(path).ShouldBe(Sample().ToBytes());

        using var stream = new MemoryStream();
        Sample().WriteTo(stream);
        stream.ToArray().ShouldBe(Sample().ToBytes());
    }

    [Fact]
    public void A_failed_save_leaves_no_temporary_file_and_the_old_file_intact()
    {
        using var folder = new TempFolder();
        string target = folder.File("taken");
        Directory.CreateDirectory(target);   // a folder in the way: the final rename fails
        Should.Throw<IOException>(() => Sample().Save(target));
        Directory.GetFiles(folder.Path).ShouldBeEmpty();
        Directory.Exists(target).ShouldBeTrue();

        Should.Throw<DirectoryNotFoundException>(() => Sample().Save(folder.File("missing/weights.safetensors")));
        Directory.GetFiles(folder.Path, "*", SearchOption.AllDirectories).ShouldBeEmpty();
    }

    [Fact]
    public void Tensors_added_by_reference_are_written_from_their_source()
    {
        using var model = SafeTensorsFile.Open(RepoPaths.Fixture("tiny/model.safetensors"));
        var writer = new SafeTensorsWriter();
        foreach (string name in model.Names)
            writer.Add(model[name]);
        writer.Count.ShouldBe(150);
        using var copy = SafeTensorsFile.FromBytes(writer.ToBytes());
        foreach (string name in model.Names)
        {
            copy[name].DType.ShouldBe(model[name].DType);
            copy[name].Shape.ShouldBe(model[name].Shape);
            copy[name].Data.ToArray().ShouldBe(model[name].Data.ToArray(), name);
        }
    }

    [Fact]
    public void Bad_tensors_are_refused_with_the_reason()
    {
        var writer = new SafeTensorsWriter().Add("a", [1f], 1);
        Should.Throw<ArgumentException>(() => writer.Add("a", [2f], 1)).Message.ShouldStartWith("Tensor 'a' was already added.");
        Should.Throw<ArgumentException>(() => writer.Add("__metadata__", [2f], 1)).Message.ShouldStartWith("'__metadata__' is reserved");
        Should.Throw<ArgumentException>(() => writer.Add("", [2f], 1));
        Should.Throw<ArgumentException>(() => writer.Add("b", [1f, 2f], 3)).Message.ShouldStartWith("Tensor 'b': 8 bytes for F32 [3], expected 12.");
        Should.Throw<ArgumentException>(() => writer.Add("c", [1f], -1)).Message.ShouldStartWith("Tensor 'c': shape [-1] has a negative dimension");
        Should.Throw<ArgumentException>(() => writer.Add("d", TensorDType.I64, new byte[4], 1)).Message.ShouldStartWith("Tensor 'd': 4 bytes for I64 [1], expected 8.");
        var inconsistent = new WeightTensor("e", TensorDType.F32, [2], new byte[4]);
        Should.Throw<ArgumentException>(() => writer.Add(inconsistent)).Message.ShouldStartWith("Tensor 'e': 4 bytes for F32 [2], expected 8.");
        writer.Count.ShouldBe(1);
    }
}
