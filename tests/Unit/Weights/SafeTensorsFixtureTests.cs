using System.Globalization;
using System.Text.RegularExpressions;
using PocketTts.Tests.Unit.Infrastructure;
using PocketTts.Weights;

namespace PocketTts.Tests.Unit.Weights;

/// <summary>
/// Every fixture file of the Python reference opens, and the tensors, shapes, dtypes and metadata that the fixture
/// README's tables document are exactly what the reader finds.
/// </summary>
public partial class SafeTensorsFixtureTests
{
    private static string[] FixturePaths()
    {
        string root = RepoPaths.Fixture("");
        return [.. Directory.GetFiles(root, "*.safetensors", SearchOption.AllDirectories).Select(p => Path.GetRelativePath(root, p).Replace('\\', '/')).Order(StringComparer.Ordinal)];
    }

    public static TheoryData<string> FixtureFiles() => [.. FixturePaths()];

    [Fact]
    public void All_twenty_nine_fixture_files_are_found()
    {
        FixturePaths().Length.ShouldBe(29, "16 of the 2.1.0 set, 13 of the upstream 3.x set");
        FixturePaths().ShouldContain("tiny/raw_mimi_weightnorm_expected.safetensors");
        FixturePaths().ShouldContain("upstream-3x/tiny_drifting/model.safetensors");
    }

    [Theory]
    [MemberData(nameof(FixtureFiles))]
    public void Every_fixture_file_opens_and_its_tensors_tile_the_data_exactly(string relative)
    {
        string path = RepoPaths.Fixture(relative);
        using var file = SafeTensorsFile.Open(path);
        file.Names.Count.ShouldBeGreaterThan(0);
        long headerLength = BitConverter.ToInt64(File.ReadAllBytes(path).AsSpan(0, 8));
        (headerLength % 8).ShouldBe(0L, "the reference pads headers to 8 bytes");
        long dataBytes = file.Names.Sum(n => (long)file[n].Data.Length);
        dataBytes.ShouldBe(new FileInfo(path).Length - 8 - headerLength, "safetensors files written by the reference have no gaps");
        foreach (string name in file.Names)
        {
            WeightTensor t = file[name];
            t.Name.ShouldBe(name);
            t.Data.Length.ShouldBe((int)t.DType.ByteCount(t.Shape), name);
        }
    }

    public static TheoryData<string> DocumentedFiles() => [.. ReadmeSections().Keys];

    [Fact]
    public void The_readme_documents_the_stage_fixtures()
    {
        ReadmeSections().Keys.ShouldBe(
        [
            "text_conditioner.safetensors", "flow_net.safetensors", "mimi_encode.safetensors", "mimi_decode.safetensors",
            "flow_lm.safetensors", "voice_state.safetensors", "voice_state_legacy.safetensors", "voice_state_inputs.safetensors",
            "resample.safetensors", "tiny/raw_mimi_weightnorm.safetensors",
        ], ignoreOrder: true);
    }

    [Theory]
    [MemberData(nameof(DocumentedFiles))]
    public void Documented_tensors_and_metadata_are_read_as_the_readme_states(string relative)
    {
        string section = ReadmeSections()[relative];
        using var file = SafeTensorsFile.Open(RepoPaths.Fixture(relative));
        int rows = 0;
        foreach (Match row in TableRow().Matches(section))
        {
            int[] shape = [.. row.Groups["shape"].Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(d => int.Parse(d, CultureInfo.InvariantCulture))];
            TensorDType dtype = Enum.Parse<TensorDType>(row.Groups["dtype"].Value, ignoreCase: true);
            foreach (string name in Expand(row.Groups["name"].Value))
            {
                file.TryGet(name, out WeightTensor tensor).ShouldBeTrue($"{relative}: {name}");
                tensor.DType.ShouldBe(dtype, name);
                tensor.Shape.ShouldBe(shape, name);
                rows++;
            }
        }
        foreach (Match pair in MetadataPair().Matches(section.Split('\n').FirstOrDefault(l => l.StartsWith("Metadata (", StringComparison.Ordinal)) ?? ""))
            file.Metadata[pair.Groups["key"].Value].ShouldBe(pair.Groups["value"].Value);
        if (!relative.StartsWith("tiny/", StringComparison.Ordinal))   // the raw checkpoint is described in prose
            rows.ShouldBe(file.Names.Count, "the table lists every tensor");
    }

    [Fact]
    public void Fixture_tensors_have_the_documented_types_and_values()
    {
        using var text = SafeTensorsFile.Open(RepoPaths.Fixture("text_conditioner.safetensors"));
        text["case0/embeddings"].DType.ShouldBe(TensorDType.F32);
        text["case0/embeddings"].Shape.ShouldBe([1, 5, 128]);
        text["case0/tokens"].DType.ShouldBe(TensorDType.I64);
        text["case0/tokens"].Shape.ShouldBe([1, 5]);
        text.Metadata["case0/text"].ShouldBe("Hello world!");
        using var flow = SafeTensorsFile.Open(RepoPaths.Fixture("flow_lm.safetensors"));
        flow["lsd1/is_eos"].DType.ShouldBe(TensorDType.Bool);
        flow["lsd1/is_eos"].Data.ToArray().ShouldAllBe(b => b == 0 || b == 1);
        BitConverter.ToInt64(flow["state_after_voice/transformer.layers.0.self_attn/offset"].Data.Span).ShouldBe(22L);
        using var model = SafeTensorsFile.Open(RepoPaths.Fixture("tiny/model.safetensors"));
        model.Names.Count.ShouldBe(150);
        model.Names.Sum(n => model[n].ElementCount).ShouldBe(1_329_962L);
    }

    /// <summary>Table names with a count: <c>layers.N.… (x2)</c> → layers 0 and 1; <c>frame_audio/NN (x20)</c> → 00 … 19.</summary>
    private static IEnumerable<string> Expand(string name)
    {
        Match m = Regex.Match(name, @"^(?<base>.+) \(x(?<count>\d+)\)$");
        if (!m.Success)
            return [name];
        string pattern = m.Groups["base"].Value;
        int count = int.Parse(m.Groups["count"].Value, CultureInfo.InvariantCulture);
        return Enumerable.Range(0, count).Select(i => pattern.Contains("NN", StringComparison.Ordinal)
            ? pattern.Replace("NN", i.ToString("D2", CultureInfo.InvariantCulture), StringComparison.Ordinal)
            : pattern.Replace(".N.", "." + i.ToString(CultureInfo.InvariantCulture) + ".", StringComparison.Ordinal));
    }

    /// <summary>README sections whose heading names exactly one safetensors file, by that file.</summary>
    private static Dictionary<string, string> ReadmeSections()
    {
        string readme = File.ReadAllText(RepoPaths.Fixture("README.md"));
        var sections = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string section in readme.Split("\n### ").Skip(1))
        {
            MatchCollection files = Regex.Matches(section.Split('\n')[0], @"`([^`]+\.safetensors)`");
            if (files.Count == 1)
                sections[files[0].Groups[1].Value] = section;
        }
        return sections;
    }

    [GeneratedRegex(@"^\| `(?<name>[^`]+)` \| \[(?<shape>[^\]]*)\] \| (?<dtype>[A-Z0-9]+) \|", RegexOptions.Multiline)]
    private static partial Regex TableRow();

    [GeneratedRegex(@"`(?<key>[^`]+)` = `(?<value>[^`]*)`")]
    private static partial Regex MetadataPair();
}
