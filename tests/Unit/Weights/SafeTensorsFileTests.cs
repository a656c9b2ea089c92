using PocketTts.Tests.Unit.Infrastructure;
using PocketTts.Weights;
using static PocketTts.Tests.Unit.Weights.SafeTensorsBytes;

namespace PocketTts.Tests.Unit.Weights;

public class SafeTensorsFileTests
{
    public static TheoryData<string, int, string> HostileHeaders => new()
    {
        { "{\"a\":", 8, "the header is not valid JSON" },
        { "{} trailing", 8, "the header is not valid JSON" },
        { "[1]", 8, "the header must be a JSON object, not Array" },
        { "{" + Entry("a", "F64", "[2]", 0, 16) + "}", 16, "tensor 'a' has unsupported dtype 'F64' (supported: F32, F16, BF16, I8, I64, BOOL)" },
        { "{\"a\":{\"dtype\":7,\"shape\":[1],\"data_offsets\":[0,4]}}", 8, "tensor 'a' needs \"dtype\" (a string)" },
        { "{\"a\":{\"dtype\":\"F32\",\"shape\":[1]}}", 8, "tensor 'a' needs \"dtype\" (a string), \"shape\" (an array) and \"data_offsets\" (two numbers)" },
        { "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4,8]}}", 8, "tensor 'a' needs" },
        { "{\"a\":[1]}", 8, "tensor 'a' needs" },
        { "{" + Entry("a", "F32", "[-1]", 0, 4) + "}", 8, "tensor 'a' has an invalid dimension -1" },
        { "{" + Entry("a", "F32", "[1.5]", 0, 4) + "}", 8, "tensor 'a' has an invalid dimension 1.5" },
        { "{" + Entry("a", "F32", "[\"2\"]", 0, 8) + "}", 8, "tensor 'a' has an invalid dimension \"2\"" },
        { "{" + Entry("a", "F32", "[3000000000]", 0, 4) + "}", 8, "tensor 'a' has an invalid dimension 3000000000" },
        { "{" + Entry("a", "F32", "[2147483647,2147483647,2147483647]", 0, 4) + "}", 8, "tensor 'a' (F32 [2147483647, 2147483647, 2147483647]) has more elements than any file can hold" },
        { "{" + Entry("a", "I8", "[65536,65536,65536,65536]", 0, 0) + "}", 8, "tensor 'a' (I8 [65536, 65536, 65536, 65536]) has more elements" },
        { "{" + Entry("a", "F32", "[2]", 0, 4) + "}", 8, "tensor 'a' (F32 [2]) needs 8 bytes but its data_offsets [0, 4] span 4" },
        { "{" + Entry("a", "I64", "[1, 2]", 0, 8) + "}", 16, "tensor 'a' (I64 [1, 2]) needs 16 bytes but its data_offsets [0, 8] span 8" },
        { "{" + Entry("a", "F32", "[2]", 0, 8) + "}", 4, "tensor 'a' (F32 [2]) ends at byte 8 of the data, past its end (4 bytes); the file is truncated" },
        { "{" + Entry("a", "F32", "[1]", 12, 16) + "}", 8, "tensor 'a' (F32 [1]) ends at byte 16 of the data, past its end (8 bytes)" },
        { "{" + Entry("a", "F32", "[1]", 8, 4) + "}", 8, "tensor 'a' has invalid data_offsets [8, 4]" },
        { "{" + Entry("a", "F32", "[1]", -4, 0) + "}", 8, "tensor 'a' has invalid data_offsets [-4, 0]" },
        { "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[\"0\",4]}}", 8, "tensor 'a' has invalid data_offsets [\"0\", 4]" },
        { "{" + Entry("a", "F32", "[1]", 0, 4) + "," + Entry("b", "F32", "[1]", 2, 6) + "}", 8, "tensors 'a' [0, 4) and 'b' [2, 6) share bytes" },
        { "{" + Entry("a", "F32", "[2]", 0, 8) + "," + Entry("b", "F32", "[1]", 4, 8) + "}", 8, "tensors 'a' [0, 8) and 'b' [4, 8) share bytes" },
        { "{" + Entry("b", "F32", "[1]", 4, 8) + "," + Entry("a", "F32", "[3]", 0, 12) + "," + Entry("c", "F32", "[1]", 12, 16) + "}", 16, "tensors 'a' [0, 12) and 'b' [4, 8) share bytes" },
        { "{" + Entry("a", "F32", "[1]", 0, 4) + "," + Entry("a", "F32", "[1]", 4, 8) + "}", 8, "tensor 'a' appears twice in the header" },
        { "{\"__metadata__\":{\"k\":1}}", 0, "__metadata__ value 'k' must be a string, not Number (1)" },
        { "{\"__metadata__\":{\"k\":{\"x\":\"y\"}}}", 0, "__metadata__ value 'k' must be a string, not Object" },
        { "{\"__metadata__\":{\"k\":null}}", 0, "__metadata__ value 'k' must be a string, not Null" },
        { "{\"__metadata__\":[\"k\"]}", 0, "__metadata__ must be an object of strings, not Array" },
        { "{\"__metadata__\":{\"k\":\"a\",\"k\":\"b\"}}", 0, "__metadata__ has the key 'k' twice" },
        { "{\"__metadata__\":{},\"__metadata__\":{}}", 0, "the header has two __metadata__ entries" },
    };

    [Theory]
    [MemberData(nameof(HostileHeaders))]
    public void Hostile_headers_are_rejected_naming_the_file_the_tensor_and_the_reason(string header, int dataBytes, string expected)
    {
        byte[] bytes = Raw(header, dataBytes);
        Should.Throw<InvalidDataException>(() => SafeTensorsFile.FromBytes(bytes, "bad.safetensors"))
            .Message.ShouldStartWith($"bad.safetensors: {expected}", Case.Sensitive);
    }

    [Theory]
    [MemberData(nameof(HostileHeaders))]
    public void Hostile_files_on_disk_are_rejected_naming_their_path(string header, int dataBytes, string expected)
    {
        using var folder = new TempFolder();
        string path = folder.Write("bad.safetensors", Raw(header, dataBytes));
        string message = Should.Throw<InvalidDataException>(() => SafeTensorsFile.Open(path)).Message;
        message.ShouldStartWith(path + ": ");
        message.ShouldContain(expected);
    }

    [Theory]
    [InlineData(0, "not a safetensors file (0 bytes, shorter than the 8-byte header length)")]
    [InlineData(5, "not a safetensors file (5 bytes, shorter than the 8-byte header length)")]
    [InlineData(7, "not a safetensors file (7 bytes, shorter than the 8-byte header length)")]
    public void Files_shorter_than_the_length_field_are_rejected(int length, string expected)
    {
        Should.Throw<InvalidDataException>(() => SafeTensorsFile.FromBytes(new byte[length], "short")).Message.ShouldBe($"short: {expected}.");
        using var folder = new TempFolder();
        string path = folder.Write("short.safetensors", new byte[length]);
        Should.Throw<InvalidDataException>(() => SafeTensorsFile.Open(path)).Message.ShouldBe($"{path}: {expected}.");
    }

    [Fact]
    public void Header_lengths_that_are_zero_too_large_or_past_the_end_are_rejected()
    {
        Should.Throw<InvalidDataException>(() => SafeTensorsFile.FromBytes(new byte[16], "f"))
            .Message.ShouldBe("f: header length 0 is outside 1..104857600 bytes; not a safetensors file.");
        Should.Throw<InvalidDataException>(() => SafeTensorsFile.FromBytes(BitConverter.GetBytes(100L * 1024 * 1024 + 1), "f"))
            .Message.ShouldBe("f: header length 104857601 is outside 1..104857600 bytes; not a safetensors file.");
        Should.Throw<InvalidDataException>(() => SafeTensorsFile.FromBytes(BitConverter.GetBytes(ulong.MaxValue), "f"))
            .Message.ShouldContain("header length 18446744073709551615 is outside");
        byte[] truncated = [.. BitConverter.GetBytes(100UL), .. "{}"u8];
        Should.Throw<InvalidDataException>(() => SafeTensorsFile.FromBytes(truncated, "f"))
            .Message.ShouldBe("f: header length 100 runs past the end of the file (10 bytes); the file is truncated.");

        using var folder = new TempFolder();
        string path = folder.Write("empty-header.safetensors", BitConverter.GetBytes(8UL));
        Should.Throw<InvalidDataException>(() => SafeTensorsFile.Open(path)).Message.ShouldBe($"{path}: not a safetensors file (no header after the 8-byte header length).");
        path = folder.Write("truncated.safetensors", truncated);
        Should.Throw<InvalidDataException>(() => SafeTensorsFile.Open(path)).Message.ShouldContain("runs past the end of the file (10 bytes)");
    }

    [Theory]
    [InlineData(new byte[] { 0xFF, 0xFE })]      // the probe's key: a UTF-16 byte-order mark
    [InlineData(new byte[] { 0x61, 0xC3 })]      // a truncated two-byte sequence
    [InlineData(new byte[] { 0xED, 0xA0, 0x80 })] // a UTF-16 surrogate encoded as UTF-8
    public void A_header_that_is_not_utf8_is_an_invalid_file_not_a_crash(byte[] key)
    {
        // JsonDocument defers UTF-8 validation to the first read of a name, which threw InvalidOperationException.
        byte[] entry = System.Text.Encoding.UTF8.GetBytes(":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}");
        byte[] header = [(byte)'{', (byte)'"', .. key, (byte)'"', .. entry];
        byte[] bytes = [.. BitConverter.GetBytes((ulong)header.Length), .. header, 0, 0, 0, 0];
        Should.Throw<InvalidDataException>(() => SafeTensorsFile.FromBytes(bytes, "bad.safetensors")).Message
            .ShouldBe("bad.safetensors: the header is not valid UTF-8 (a safetensors header is UTF-8 JSON); not a safetensors file.");
    }

    [Fact]
    public void A_device_or_a_fifo_is_refused_without_being_opened()
    {
        using var folder = new TempFolder();
        string fifo = folder.File("fifo.safetensors");
        SpecialFiles.Mkfifo(fifo);
        Should.Throw<InvalidDataException>(() => SafeTensorsFile.Open(fifo)).Message
            .ShouldBe($"{fifo}: not a regular file but a device, FIFO or socket; the safetensors file must be a regular file.");
        Should.Throw<InvalidDataException>(() => SafeTensorsFile.Open("/dev/zero")).Message
            .ShouldBe("/dev/zero: not a regular file but a device, FIFO or socket; the safetensors file must be a regular file.");
    }

    [Fact]
    public void A_missing_file_is_reported_as_such()
    {
        using var folder = new TempFolder();
        string path = folder.File("absent.safetensors");
        Should.Throw<FileNotFoundException>(() => SafeTensorsFile.Open(path)).Message.ShouldBe($"Weights file not found: {path}");
    }

    [Fact]
    public void Valid_edge_cases_read_scalars_empty_tensors_gaps_bools_and_no_metadata()
    {
        string header = "{" + string.Join(",",
            Entry("scalar", "F32", "[]", 0, 4),
            Entry("empty", "F32", "[0, 3]", 4, 4),
            Entry("flags", "BOOL", "[3]", 8, 11),
            Entry("ids", "I64", "[1]", 16, 24)) + "}";
        byte[] bytes = Raw(header, 24);
        BitConverter.GetBytes(2.5f).CopyTo(bytes, bytes.Length - 24);
        bytes[^16] = 1;
        bytes[^15] = 0;
        bytes[^14] = 1;
        BitConverter.GetBytes(-7L).CopyTo(bytes, bytes.Length - 8);
        using var file = SafeTensorsFile.FromBytes(bytes, "edge");

        file.Metadata.ShouldBeEmpty();
        file.Names.ShouldBe(["scalar", "empty", "flags", "ids"], ignoreOrder: true);
        file["scalar"].Shape.ShouldBeEmpty();
        file["scalar"].ElementCount.ShouldBe(1);
        WeightConversion.ToFloat32(file["scalar"]).ShouldBe([2.5f]);
        file["empty"].ElementCount.ShouldBe(0);
        WeightConversion.ToFloat32(file["empty"]).ShouldBeEmpty();
        file["flags"].DType.ShouldBe(TensorDType.Bool);
        file["flags"].Data.ToArray().ShouldBe(new byte[] { 1, 0, 1 });
        BitConverter.ToInt64(file["ids"].Data.Span).ShouldBe(-7L);
        file.TryGet("absent", out _).ShouldBeFalse();
        Should.Throw<KeyNotFoundException>(() => file["absent"]).Message.ShouldBe("edge: no tensor named 'absent'.");
    }

    [Fact]
    public void Opening_maps_the_file_and_tensors_are_views_of_it()
    {
        byte[] bytes = new SafeTensorsWriter().Add("w", [1f, -2f, 3.5f], 3).Metadata("note", "é ✓").ToBytes();
        using var folder = new TempFolder();
        string path = folder.Write("w.safetensors", bytes);
        using (var file = SafeTensorsFile.Open(path))
        {
            file.Path.ShouldBe(path);
            file.Metadata["note"].ShouldBe("é ✓");
            WeightConversion.ToFloat32(file["w"]).ShouldBe([1f, -2f, 3.5f]);
        }
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
}
